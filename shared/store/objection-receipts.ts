import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalDate } from '../domain/types.ts';
import { isConditionFailure } from './dynamo.ts';
import { keys } from './keys.ts';
import { stripKeys } from './page.ts';

/**
 * What the public may know of an objection, kept apart from the objection itself so that the public
 * status page reads nothing the objector wrote: which result it concerns, when it was received, and
 * the regulator's decision with its published reason.
 */
export interface ObjectionReceipt {
  reference: string;
  objectionId: string;
  resultId: string;
  uscc: string;
  receivedOn: LocalDate;
  /** The last day of the result's publicity: an open objection is under review after it. */
  publicityEndOn: LocalDate;
  status: 'open' | 'upheld' | 'dismissed';
  decidedOn: LocalDate | null;
  /** The regulator's reason, written to be published. */
  reason: string | null;
}

/** The receipts of objections by reference: one item each (`OBJREF#<reference>` / `RECEIPT`). */
export class ObjectionReceipts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Claims `receipt.reference`; false when another objection holds it (the caller draws another). */
  async claim(receipt: ObjectionReceipt): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.objectionReceipt(receipt.reference), ...receipt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async get(reference: string): Promise<ObjectionReceipt | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.objectionReceipt(reference) }),
    );
    return out.Item ? stripKeys<ObjectionReceipt>(out.Item) : null;
  }

  /** Records the decision (idempotent: a retry writes the same values). */
  async decide(
    reference: string,
    decision: { status: 'upheld' | 'dismissed'; decidedOn: LocalDate; reason: string },
  ): Promise<void> {
    const held = await this.get(reference);
    if (!held) return;
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: { ...keys.objectionReceipt(reference), ...held, ...decision },
      }),
    );
  }

  /** Drops the receipt of an objection that was refused after all (it was never lodged). */
  async release(reference: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: keys.objectionReceipt(reference) }));
  }
}
