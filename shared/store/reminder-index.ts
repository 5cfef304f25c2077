import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StaleWriteError } from '../domain/errors.ts';
import type { InstitutionProfile } from '../domain/model.ts';
import type { PendingReminder } from '../domain/review.ts';
import { isConditionFailure } from './dynamo.ts';
import { accessPatterns, keys, partitionQuery } from './keys.ts';
import { type Page, stripKeys } from './page.ts';

/**
 * The sparse reminder index (gsi4 `DUE#<day>`): only profiles owing a reminder on that day carry
 * the key, so reading a day costs what is due that day, whatever the register's size.
 */
export class ReminderIndex {
  /** Items read from the index so far (benchmarks, job reports). */
  itemsRead = 0;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Profiles whose next reminder falls on `day` (the index projects the whole profile). */
  async dueOn(
    day: string,
    startKey: Record<string, unknown> | null,
    limit: number,
  ): Promise<Page<InstitutionProfile>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        ...partitionQuery(accessPatterns.remindersDue(day)),
        ExclusiveStartKey: startKey ?? undefined,
        Limit: limit,
      }),
    );
    this.itemsRead += out.Items?.length ?? 0;
    return {
      items: (out.Items ?? []).map((i) => stripKeys<InstitutionProfile>(i)),
      lastKey: out.LastEvaluatedKey ?? null,
    };
  }

  /**
   * Moves a profile's reminder bookkeeping on, conditional on the version it was read at, and moves
   * it in the index (or out of it, when no reminder is owed any more).
   *
   * Why not InstitutionWriter.saveProfile: that rewrites every search-index item of the institution
   * (dozens per name), and nothing searchable changes here; this is one conditional UpdateItem that
   * touches only the reminder fields, the version and the index key.
   */
  async advance(
    previous: Pick<InstitutionProfile, 'uscc' | 'version'>,
    next: { nextReminder: PendingReminder | null; reviewOverdue: boolean; updatedAt: string },
  ): Promise<void> {
    const values: Record<string, unknown> = {
      ':v': previous.version,
      ':v1': previous.version + 1,
      ':r': next.nextReminder,
      ':o': next.reviewOverdue,
      ':at': next.updatedAt,
    };
    let update = 'SET nextReminder = :r, reviewOverdue = :o, version = :v1, updatedAt = :at';
    if (next.nextReminder) {
      values[':gpk'] = accessPatterns.remindersDue(next.nextReminder.on).pk;
      values[':gsk'] = previous.uscc;
      update += ', gsi4pk = :gpk, gsi4sk = :gsk';
    } else {
      update += ' REMOVE gsi4pk, gsi4sk';
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.profile(previous.uscc),
          UpdateExpression: update,
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: values,
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
  }
}
