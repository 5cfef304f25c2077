import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { type DeliveryContext, type DeliveryOutcome, deliverNotice } from './delivery.ts';
import { type Channel, type NoticeMessage, NoticeMessageSchema } from './message.ts';

/** SNS wraps the message in an envelope unless the subscription uses raw message delivery. */
const SnsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });

/** A queue record that is not a notice of this channel: it can never succeed, so it goes to the DLQ. */
export class MalformedNoticeError extends Error {
  constructor(detail: string) {
    super(`malformed notice record: ${detail}`);
    this.name = 'MalformedNoticeError';
  }
}

/** Parses an SQS record body (raw or SNS-enveloped) into a notice of `channel`. */
export function parseNoticeRecord(body: string, channel: Channel): NoticeMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
    const envelope = SnsEnvelope.safeParse(json);
    if (envelope.success) json = JSON.parse(envelope.data.Message);
  } catch {
    throw new MalformedNoticeError('not JSON');
  }
  const parsed = NoticeMessageSchema.safeParse(json);
  // Issue paths only: the record may carry a phone number, which must not reach the log.
  if (!parsed.success)
    throw new MalformedNoticeError(parsed.error.issues.map((i) => i.path.join('.')).join(', '));
  if (parsed.data.channel !== channel)
    throw new MalformedNoticeError(`channel ${parsed.data.channel} on the ${channel} queue`);
  return parsed.data;
}

/**
 * The sender Lambda's handler: each record is delivered through the claim path; records that
 * throw are reported in `batchItemFailures`, so only they come back (and, after the queue's
 * maxReceiveCount, go to the dead-letter queue).
 */
export function createQueueHandler(opts: {
  channel: Channel;
  delivery: Omit<DeliveryContext, 'receiveCount'>;
  onOutcome?: (outcome: DeliveryOutcome) => void;
}): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord) => {
    let message: NoticeMessage;
    try {
      message = parseNoticeRecord(record.body, opts.channel);
    } catch (err) {
      opts.delivery.logger.error('malformed notice record; it will reach the dead-letter queue', {
        messageId: record.messageId,
        error: (err as Error).message,
      });
      throw err;
    }
    const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
    const outcome = await deliverNotice(message, { ...opts.delivery, receiveCount });
    opts.onOutcome?.(outcome);
  };
  return (event, context) =>
    processPartialResponse(event, handleRecord, processor, {
      ...(context ? { context } : {}),
      throwOnFullBatchFailure: false,
    });
}
