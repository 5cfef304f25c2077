import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleWriteError, ValidationError } from '../domain/errors.ts';
import type { InspectionPlanEntry } from '../domain/inspection.ts';
import type { InstitutionPrivate, Objection, Violation } from '../domain/model.ts';
import type { ReplyStatement } from '../domain/reply.ts';
import type { Actor, Grade, LocalDate } from '../domain/types.ts';
import { batchGetAll } from './batch-get.ts';
import { isConditionFailure } from './dynamo.ts';
import { accessPatterns, campaignApplicationKeys, keys, partitionQuery } from './keys.ts';
import { queryAll, stripKeys } from './page.ts';
import { TTL_ATTRIBUTE } from './table-definition.ts';

/** A violation as stored: the model plus what the downgrade projection needs to be replayed exactly. */
export interface StoredViolation extends Violation {
  rectificationDeadline: LocalDate | null;
  effectiveCompliance: boolean;
  /** The re-review due date the downgrade set, when there was one. */
  nextReviewDue: LocalDate | null;
  /** Score carried over to the downgrade entry of the history. */
  score: number | null;
  downgradeResultId: string | null;
  /** The day it was recorded (Asia/Shanghai): the downgrade takes effect then. */
  recordedOn: LocalDate;
  recordedByActor: Actor;
  /** The rulebook revision in force on `occurredOn` that set the downgrade (absent on older records). */
  revision?: string;
}

export type UpgradeApplicationStatus = 'pending' | 'accepted' | 'refused' | 'untrue';

export interface UpgradeApplication {
  id: string;
  uscc: string;
  year: number;
  selfScore: number;
  report: string;
  gradeAtApplication: Grade;
  submittedOn: LocalDate;
  submittedBy: string;
  status: UpgradeApplicationStatus;
  decidedOn: LocalDate | null;
  decidedBy: string | null;
  decisionReason: string | null;
  /** The assessment an accepted application became. */
  assessmentId: string | null;
  /** Set when the self-assessment was found untrue (自评不实). */
  banUntil: LocalDate | null;
  version: number;
}

export interface InspectionPlan {
  year: number;
  seed: string;
  rates: Record<Grade, number>;
  excludeOffSite: boolean;
  /** The population the draw ran over, so anyone can re-draw it. */
  population: { uscc: string; grade: Grade }[];
  excluded: string[];
  entries: InspectionPlanEntry[];
  createdAt: string;
  createdBy: Actor;
}

const UPGRADE_KEY = keys.upgradeApplication;

/** An application as stored: its key, and its place in the campaign of its year. */
const applicationItem = (a: UpgradeApplication) => ({
  ...UPGRADE_KEY(a.id),
  ...campaignApplicationKeys(a),
  ...a,
});

/**
 * The regulators' case records: objections, violations, upgrade applications and inspection plans.
 * Each write that changes a state is conditional on the state it was read in.
 */
export class WorkflowStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private async putNew(item: Record<string, unknown>, what: string): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new ConflictError(`${what} already exists`);
      throw err;
    }
  }

  private async getItem<T>(key: { pk: string; sk: string }): Promise<T | null> {
    const out = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return out.Item ? stripKeys<T>(out.Item) : null;
  }

  // Objections live under their result: one Query lists a result's objections.

  async createObjection(o: Objection): Promise<void> {
    await this.putNew({ ...keys.objection(o.resultId, o.id), ...o }, `objection ${o.id}`);
  }

  /**
   * Takes one unit of a counter (`OBJLIMIT#<key>`) unless it already reached `max`: one atomic
   * UpdateItem (ADD with a condition on the count), so the limit holds across instances. The item
   * carries `expiresAt` (epoch seconds) for the table's TTL. False when the limit is reached.
   */
  async takeQuota(key: string, max: number, expiresAt: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.objectionLimit(key),
          UpdateExpression: 'ADD #n :one SET #ttl = :exp',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :max',
          ExpressionAttributeNames: { '#n': 'count', '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':exp': expiresAt },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /**
   * Claims an objection text for a result (the text's hash under the result): the first objection
   * with that text wins; the id of the one holding it when another already did.
   */
  async claimObjectionText(resultId: string, textHash: string, objectionId: string): Promise<string | null> {
    const key = keys.objectionText(resultId, textHash);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...key, objectionId },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return null;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      const held = await this.db.send(
        new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
      );
      return String(held.Item?.objectionId ?? '');
    }
  }

  async releaseObjectionText(resultId: string, textHash: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: keys.objectionText(resultId, textHash),
      }),
    );
  }

  async deleteObjection(resultId: string, id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.objection(resultId, id) }));
  }

  async getObjection(resultId: string, id: string): Promise<Objection | null> {
    return this.getItem<Objection>(keys.objection(resultId, id));
  }

  /** Moves an objection out of `from`; a ConflictError when it is no longer in that state. */
  async updateObjection(previous: Objection, next: Objection): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.objection(next.resultId, next.id), ...next },
          ConditionExpression: '#status = :s',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': previous.status },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err))
        throw new StaleWriteError(`objection ${previous.id} was changed concurrently`);
      throw err;
    }
  }

  /** One page of a result's objections in id order; `lastKey` continues it. */
  async listObjectionPage(
    resultId: string,
    limit: number,
    startKey: Record<string, unknown> | null,
  ): Promise<{ items: Objection[]; lastKey: Record<string, unknown> | null }> {
    const pk = keys.result(resultId).pk;
    if (
      startKey &&
      (startKey.pk !== pk || typeof startKey.sk !== 'string' || !startKey.sk.startsWith(keys.objectionPrefix))
    ) {
      throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'not a cursor of this list' }]);
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': pk, ':p': keys.objectionPrefix },
        ConsistentRead: true,
        Limit: limit,
        ...(startKey ? { ExclusiveStartKey: { pk: startKey.pk, sk: startKey.sk } } : {}),
      }),
    );
    const last = out.LastEvaluatedKey;
    return {
      items: (out.Items ?? []).map((i) => stripKeys<Objection>(i)),
      lastKey: last ? { pk: last.pk, sk: last.sk } : null,
    };
  }

  async listObjections(resultId: string): Promise<Objection[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': keys.result(resultId).pk, ':p': keys.objectionPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => stripKeys<Objection>(i));
  }

  async createViolation(v: StoredViolation): Promise<void> {
    await this.putNew({ ...keys.violation(v.uscc, v.occurredOn, v.id), ...v }, `violation ${v.id}`);
  }

  async getViolation(uscc: string, occurredOn: LocalDate, id: string): Promise<StoredViolation | null> {
    return this.getItem<StoredViolation>(keys.violation(uscc, occurredOn, id));
  }

  async listViolations(uscc: string): Promise<StoredViolation[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.profile(uscc).pk, ':p': keys.violationPrefix },
        ScanIndexForward: false,
        // A publication decides against these whether a downgrade stands: it must see every committed one.
        ConsistentRead: true,
        Limit: 100,
      }),
    );
    return (out.Items ?? []).map((i) => stripKeys<StoredViolation>(i));
  }

  async createApplication(a: UpgradeApplication): Promise<void> {
    await this.putNew(applicationItem(a), `upgrade application ${a.id}`);
  }

  async getApplication(id: string): Promise<UpgradeApplication | null> {
    return this.getItem<UpgradeApplication>(UPGRADE_KEY(id));
  }

  async replaceApplication(
    previous: UpgradeApplication,
    next: Omit<UpgradeApplication, 'version'>,
  ): Promise<UpgradeApplication> {
    const stored = { ...next, version: previous.version + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: applicationItem(stored),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': previous.version },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err))
        throw new StaleWriteError(`upgrade application ${previous.id} was changed concurrently`);
      throw err;
    }
    return stored;
  }

  /** An institution's latest statement about its grade, or null when it never submitted one. */
  async getReplyStatement(uscc: string): Promise<ReplyStatement | null> {
    return this.getItem<ReplyStatement>(keys.replyStatement(uscc));
  }

  /**
   * Writes an institution's statement over `previous` (null: there is none yet), conditional on it:
   * of a submission and a decision, or two decisions, racing on the same statement exactly one wins.
   */
  async putReplyStatement(
    previous: ReplyStatement | null,
    next: Omit<ReplyStatement, 'version'>,
  ): Promise<ReplyStatement> {
    const stored = { ...next, version: (previous?.version ?? 0) + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.replyStatement(next.uscc), ...stored },
          ...(previous
            ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
    } catch (err) {
      if (isConditionFailure(err))
        throw new StaleWriteError(`the statement of ${next.uscc} was changed concurrently; read it again`);
      throw err;
    }
    return stored;
  }

  /** Every upgrade application of a calendar year (the yearly campaign): a paged Query of its partition. */
  async listApplicationsOfYear(year: number): Promise<UpgradeApplication[]> {
    const items = await queryAll(this.db, {
      TableName: this.table,
      ...partitionQuery(accessPatterns.campaignApplications(year)),
    });
    return items.map((i) => stripKeys<UpgradeApplication>(i));
  }

  /** One plan per year: a second one for the same year is a ConflictError. */
  async createPlan(plan: InspectionPlan): Promise<void> {
    await this.putNew({ ...keys.inspectionPlan(plan.year), ...plan }, `the inspection plan for ${plan.year}`);
  }

  async getPlan(year: number): Promise<InspectionPlan | null> {
    return this.getItem<InspectionPlan>(keys.inspectionPlan(year));
  }

  /** Creates the private item of an institution unless it exists (finishing a registration). */
  async ensurePrivate(priv: InstitutionPrivate): Promise<void> {
    await this.putNew({ ...keys.private(priv.uscc), ...priv }, 'private item').catch((err: unknown) => {
      if (!(err instanceof ConflictError)) throw err;
    });
  }

  /** Private items of many institutions. */
  async getPrivates(usccs: readonly string[]): Promise<Map<string, InstitutionPrivate>> {
    const items = await batchGetAll(
      this.db,
      this.table,
      usccs.map((u) => keys.private(u)),
      { consistent: true },
    );
    return new Map(items.map((item) => stripKeys<InstitutionPrivate>(item)).map((p) => [p.uscc, p]));
  }
}
