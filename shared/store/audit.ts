import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../domain/errors.ts';
import type { Actor } from '../domain/types.ts';
import { keys } from './keys.ts';
import { type Page, stripKeys } from './page.ts';

export interface AuditEntry {
  id: string;
  uscc: string;
  at: string;
  actor: Actor;
  action: string;
  before: unknown;
  after: unknown;
}

/** Append-only audit trail: entries are only ever added, never updated or deleted. */
export class AuditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(entry: Omit<AuditEntry, 'id'> & { id?: string }): Promise<AuditEntry> {
    const stored: AuditEntry = { ...entry, id: entry.id ?? randomUUID() };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.audit(stored.uscc, stored.at, stored.id), ...stored },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return stored;
  }

  async list(
    uscc: string,
    startKey: Record<string, unknown> | null,
    limit: number,
  ): Promise<Page<AuditEntry>> {
    const pk = keys.auditPartition(uscc);
    // A start key of another institution's trail would make DynamoDB refuse the Query (a 500).
    if (startKey && (startKey.pk !== pk || typeof startKey.sk !== 'string')) {
      throw new ValidationError('invalid cursor', [{ path: 'cursor', message: 'not a cursor of this list' }]);
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: startKey ? { pk: startKey.pk, sk: startKey.sk } : undefined,
        Limit: limit,
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => stripKeys<AuditEntry>(i)),
      lastKey: out.LastEvaluatedKey ?? null,
    };
  }
}
