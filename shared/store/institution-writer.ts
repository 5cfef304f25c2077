import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleWriteError } from '../domain/errors.ts';
import type { InstitutionPrivate, InstitutionProfile } from '../domain/model.ts';
import { registerRowOf, searchableTexts } from '../domain/search-terms.ts';
import { isConditionFailure } from './dynamo.ts';
import { keys, profileIndexKeys } from './keys.ts';
import { RegisterRows } from './register-rows.ts';
import { RegisterTallyStore } from './register-tally.ts';
import { compareStored, withWriteToken } from './retry-check.ts';

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
    private readonly rows = new RegisterRows(db, table),
    private readonly tally = new RegisterTallyStore(db, table, rows),
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
        throw new StaleWriteError(
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
        throw new StaleWriteError(
          `institution ${previous.uscc} was changed concurrently; read it again and retry`,
        );
      }
      throw err;
    }
    return stored;
  }

  /**
   * Brings the register row (search, statistics, export) in line with `next`, then bumps the register
   * version so warm readers pick the change up. Both steps are idempotent: the row is a deterministic
   * projection written only over an older one, and an extra bump only makes readers re-read this row.
   * Then the statistics count the row where it belongs now, from its mark, so a retry moves nothing
   * twice; if other writers keep winning the tally item, the grades-export job settles it from the
   * version's recent changes instead.
   */
  async reindex(_previous: InstitutionProfile | null, next: InstitutionProfile): Promise<void> {
    await this.rows.put(registerRowOf(next));
    await this.rows.bump(next.uscc);
    await this.tally.settle([next.uscc]);
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
