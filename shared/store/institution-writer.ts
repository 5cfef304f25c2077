import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors.ts';
import type { InstitutionPrivate, InstitutionProfile } from '../domain/model.ts';
import { partitionGram } from '../domain/search-query.ts';
import { searchableTexts, searchTerms, searchText } from '../domain/search-terms.ts';
import { isConditionFailure } from './dynamo.ts';
import { keys, profileIndexKeys } from './keys.ts';
import { compareStored, withWriteToken } from './retry-check.ts';

const CONCURRENCY = 8;

/** Name order as Chinese readers expect it: by full pinyin. */
export function sortNameOf(name: string): string {
  return searchableTexts(name, []).pinyin[0] ?? name;
}

/**
 * Write side of the register. Every profile write is conditional on the version it was read at,
 * and the search index is a deterministic projection of the profile, so re-applying it is harmless.
 */
export class InstitutionWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Creates an institution; a second registration of the same uscc is a ConflictError. If the stored
   * profile is this same registration (a duplicate request, or a retry after a lost answer), the
   * private data and the index are completed before the conflict is reported.
   */
  async create(profile: InstitutionProfile, priv: InstitutionPrivate): Promise<void> {
    const written = withWriteToken(profileItem(profile));
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: written,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const match = await compareStored(this.db, this.table, keys.profile(profile.uscc), written, [
        'updatedAt',
      ]);
      if (match !== 'mine') {
        if (match === 'same') await this.completeRegistration(profile, priv);
        throw new ConflictError(`institution ${profile.uscc} is already registered`);
      }
    }
    await this.completeRegistration(profile, priv);
  }

  /** The steps after the profile: both idempotent, so a retry may run them again. */
  private async completeRegistration(profile: InstitutionProfile, priv: InstitutionPrivate) {
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.private(priv.uscc), ...priv },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((err: unknown) => {
        if (!isConditionFailure(err)) throw err;
      });
    await this.reindex(null, profile);
  }

  /**
   * Replaces the profile if nobody changed it since `expectedVersion`; the stored version becomes
   * `expectedVersion + 1`. Returns the stored profile.
   */
  async saveProfile(
    previous: InstitutionProfile,
    next: Omit<InstitutionProfile, 'version'>,
  ): Promise<InstitutionProfile> {
    const stored: InstitutionProfile = { ...next, version: previous.version + 1 };
    const written = withWriteToken(profileItem(stored));
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: written,
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': previous.version },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const match = await compareStored(this.db, this.table, keys.profile(stored.uscc), written, [
        'updatedAt',
      ]);
      if (match !== 'mine') {
        // The same change stored by another call: its index may be unfinished, and redoing it is harmless.
        if (match === 'same') await this.reindex(previous, stored);
        throw new ConflictError(
          `institution ${previous.uscc} was changed concurrently; read it again and retry`,
        );
      }
    }
    await this.reindex(previous, stored);
    return stored;
  }

  async savePrivate(
    previous: InstitutionPrivate,
    next: Omit<InstitutionPrivate, 'version'>,
  ): Promise<InstitutionPrivate> {
    const stored: InstitutionPrivate = { ...next, version: previous.version + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.private(stored.uscc), ...stored },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': previous.version },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) {
        throw new ConflictError(
          `institution ${previous.uscc} was changed concurrently; read it again and retry`,
        );
      }
      throw err;
    }
    return stored;
  }

  /**
   * Brings the search index in line with `next`: items for grams the institution no longer has are
   * deleted, the others are written. A write never replaces an item made from a newer profile.
   */
  async reindex(previous: InstitutionProfile | null, next: InstitutionProfile): Promise<void> {
    const wanted = searchItems(next);
    const wantedKeys = new Set(wanted.map((i) => `${i.pk}|${i.sk}`));
    const stale = previous ? searchItems(previous).filter((i) => !wantedKeys.has(`${i.pk}|${i.sk}`)) : [];
    const puts = wanted.map(
      (item) => () =>
        this.db
          .send(
            new PutCommand({
              TableName: this.table,
              Item: item,
              ConditionExpression: 'attribute_not_exists(pk) OR v <= :v',
              ExpressionAttributeValues: { ':v': next.version },
            }),
          )
          .catch((err: unknown) => {
            if (!isConditionFailure(err)) throw err;
          }),
    );
    const deletes = stale.map(
      (item) => () =>
        this.db
          .send(
            new DeleteCommand({
              TableName: this.table,
              Key: { pk: item.pk, sk: item.sk },
              ConditionExpression: 'attribute_not_exists(pk) OR v <= :v',
              ExpressionAttributeValues: { ':v': next.version },
            }),
          )
          .catch((err: unknown) => {
            if (!isConditionFailure(err)) throw err;
          }),
    );
    await runLimited([...puts, ...deletes], CONCURRENCY);
  }
}

/** The stored item of a profile, with the index keys that list it. */
export function profileItem(p: InstitutionProfile): Record<string, unknown> {
  const sortName = sortNameOf(p.name);
  return {
    ...keys.profile(p.uscc),
    ...profileIndexKeys({
      uscc: p.uscc,
      district: p.district,
      kind: p.kind,
      grade: p.grade,
      sortName,
      reminderOn: p.closed ? null : (p.nextReminder?.on ?? null),
    }),
    ...p,
    gradeKey: p.grade ?? 'U',
  };
}

/** The search index items of one profile (pure, deterministic). */
export function searchItems(
  p: InstitutionProfile,
): Array<Record<string, unknown> & { pk: string; sk: string }> {
  const texts = searchableTexts(p.name, p.aliases);
  const text = searchText(texts);
  const sortName = texts.pinyin[0] ?? p.name;
  return searchTerms(p.name, p.aliases).map((t) => ({
    pk: keys.searchPartition(partitionGram(t.space, t.gram)),
    sk:
      t.bucket === 0
        ? `0#${String(t.length).padStart(3, '0')}#${sortName}#${p.uscc}`
        : `1#${sortName}#${p.uscc}`,
    uscc: p.uscc,
    name: p.name,
    kind: p.kind,
    district: p.district,
    grade: p.grade,
    gradeKey: p.grade ?? 'U',
    score: p.score,
    closed: p.closed,
    text,
    v: p.version,
  }));
}

async function runLimited(tasks: Array<() => Promise<unknown>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
