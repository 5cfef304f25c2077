import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../store/dynamo.ts';
import { keys } from '../store/keys.ts';
import { type Page, stripKeys } from '../store/page.ts';
import { maskAddress } from './mask.ts';
import { claimChannel, type NoticeMessage, recipientId } from './message.ts';
import type { NoticeKind } from './port.ts';

/**
 * States of a notice claim:
 * - `claimed`: a sender holds it until `leaseUntil` and is sending now (or crashed: after the lease
 *   the next delivery of the message takes it over);
 * - `sent`: delivered; never sent again;
 * - `failed_terminal`: refused for good (user refused, invalid address), with the reason; never retried;
 * - `withheld`: an SMS not sent because a spend limit was reached (the reason names it); never retried;
 * - `retrying`: the last attempt failed transiently; the queue redelivers it;
 * - `dead_lettered`: the last attempt the queue allows failed; the message is in the dead-letter queue
 *   (the `dead-letters` job's move claims it again).
 */
export const CLAIM_STATES = [
  'claimed',
  'sent',
  'failed_terminal',
  'withheld',
  'retrying',
  'dead_lettered',
] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

/** A claim as regulators see it: the address masked, never in the clear. */
export interface NoticeRecord {
  uscc: string;
  kind: NoticeKind;
  cycle: string;
  channel: 'wechat' | 'sms';
  recipientId: string;
  /** Masked address, e.g. `139****5678`. */
  recipient: string;
  state: ClaimState;
  reason: string | null;
  attempts: number;
  on: string;
  claimedAt: string;
  leaseUntil: string;
  sentAt: string | null;
  updatedAt: string;
}

/** States after which a notice is never sent again. */
type SettledState = 'sent' | 'failed_terminal' | 'withheld';

export type ClaimOutcome =
  | { status: 'claimed'; token: string; attempts: number }
  /** Already sent or terminally failed: the message must be dropped, not sent. */
  | { status: 'done'; state: SettledState }
  /** Another sender holds a live lease: try again later. */
  | { status: 'busy'; leaseUntil: string };

/**
 * The claim records that make notices exactly-once: one item per institution#kind#cycle#channel
 * (and address), written with a condition BEFORE anything is sent.
 */
export class NoticeClaimStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(m: NoticeMessage) {
    return keys.noticeClaim(m.uscc, m.kind, m.cycle, claimChannel(m));
  }

  /**
   * Takes the claim if nobody has it, the last attempt failed transiently, or a crashed sender's
   * lease has run out. Of two concurrent claimers exactly one wins.
   */
  async claim(m: NoticeMessage, now: Date, leaseMs: number): Promise<ClaimOutcome> {
    const token = randomUUID();
    const nowIso = now.toISOString();
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(m),
          UpdateExpression:
            'SET #state = :claimed, claimToken = :token, claimedAt = :now, leaseUntil = :lease, updatedAt = :now, ' +
            'attempts = if_not_exists(attempts, :zero) + :one, uscc = :uscc, kind = :kind, #cycle = :cycle, ' +
            '#channel = :channel, recipientId = :rid, recipient = :masked, #on = :on, sentAt = if_not_exists(sentAt, :null)',
          ConditionExpression:
            'attribute_not_exists(pk) OR #state IN (:retrying, :dead) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#cycle': 'cycle',
            '#channel': 'channel',
            '#on': 'on',
          },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':retrying': 'retrying',
            ':dead': 'dead_lettered',
            ':token': token,
            ':now': nowIso,
            ':lease': new Date(now.getTime() + leaseMs).toISOString(),
            ':zero': 0,
            ':one': 1,
            ':uscc': m.uscc,
            ':kind': m.kind,
            ':cycle': m.cycle,
            ':channel': m.channel,
            ':rid': recipientId(m.to),
            ':masked': maskAddress(m.channel, m.to),
            ':on': m.on,
            ':null': null,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { status: 'claimed', token, attempts: Number(out.Attributes?.attempts ?? 1) };
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    const current = await this.get(m);
    if (current?.state === 'sent' || current?.state === 'failed_terminal' || current?.state === 'withheld') {
      return { status: 'done', state: current.state };
    }
    // Lost a race to a claimer whose lease is live (or the item changed under us): come back later.
    return { status: 'busy', leaseUntil: current?.leaseUntil ?? nowIso };
  }

  async markSent(m: NoticeMessage, token: string, now: Date): Promise<void> {
    await this.finish(m, token, now, 'sent', null);
  }

  async markTerminal(m: NoticeMessage, token: string, now: Date, reason: string): Promise<void> {
    await this.finish(m, token, now, 'failed_terminal', reason);
  }

  /** A spend limit stopped this SMS: settled, never retried, the reason shown to regulators. */
  async markWithheld(m: NoticeMessage, token: string, now: Date, reason: string): Promise<void> {
    await this.finish(m, token, now, 'withheld', reason);
  }

  /** Releases the claim after a transient failure, so the queue's redelivery can take it at once. */
  async markRetrying(m: NoticeMessage, token: string, now: Date, reason: string, deadLettered: boolean) {
    await this.finish(m, token, now, deadLettered ? 'dead_lettered' : 'retrying', reason);
  }

  private async finish(m: NoticeMessage, token: string, now: Date, state: ClaimState, reason: string | null) {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(m),
          UpdateExpression:
            state === 'sent'
              ? 'SET #state = :state, reason = :reason, updatedAt = :now, sentAt = :now REMOVE claimToken'
              : 'SET #state = :state, reason = :reason, updatedAt = :now REMOVE claimToken',
          // Only the holder of the claim settles it: a sender whose lease was taken over must not.
          ConditionExpression: 'claimToken = :token',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':state': state,
            ':reason': reason,
            ':now': now.toISOString(),
            ':token': token,
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      throw new ClaimLostError(m);
    }
  }

  async get(m: NoticeMessage): Promise<NoticeRecord | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: this.key(m), ConsistentRead: true }),
    );
    return out.Item ? toRecord(out.Item) : null;
  }

  /** The notices of one institution, by kind, cycle and channel. */
  async list(
    uscc: string,
    startKey: Record<string, unknown> | null,
    limit: number,
  ): Promise<Page<NoticeRecord>> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.noticePartition(uscc) },
        ExclusiveStartKey: startKey ?? undefined,
        Limit: limit,
      }),
    );
    return { items: (out.Items ?? []).map(toRecord), lastKey: out.LastEvaluatedKey ?? null };
  }
}

/** The lease of this claim was taken over by another sender while we were sending. */
export class ClaimLostError extends Error {
  constructor(m: NoticeMessage) {
    super(`claim ${m.uscc}#${m.kind}#${m.cycle}#${claimChannel(m)} was taken over by another sender`);
    this.name = 'ClaimLostError';
  }
}

function toRecord(item: Record<string, unknown>): NoticeRecord {
  const { claimToken: _token, ...rest } = stripKeys<NoticeRecord & { claimToken?: string }>(item);
  return {
    ...rest,
    reason: rest.reason ?? null,
    sentAt: rest.sentAt ?? null,
    attempts: Number(rest.attempts ?? 0),
  };
}
