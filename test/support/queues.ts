import {
  DeleteMessageBatchCommand,
  type DeleteMessageBatchCommandInput,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageBatchCommand,
  type SendMessageBatchCommandInput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { sqsRecord } from './notices.ts';

export interface QueuedMessage {
  id: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  /** Times received: SQS's ApproximateReceiveCount. */
  receives: number;
  /** Taken by a receive and not yet deleted or released. */
  inFlight: boolean;
}

/**
 * SQS queues in memory behind an aws-sdk-client-mock of the SQS client: receive (taking messages in
 * flight), batch send and batch delete, as the dead-letter move uses them. `refuseSends` and
 * `refuseDeletes` make SQS report those entries failed.
 */
export function memoryQueues() {
  const mock = mockClient(SQSClient);
  const queues = new Map<string, QueuedMessage[]>();
  const refusals = { sends: 0, deletes: 0 };
  let next = 0;
  const queue = (url: string) => {
    const q = queues.get(url) ?? [];
    queues.set(url, q);
    return q;
  };
  const put = (url: string, body: string, attributes: Record<string, MessageAttributeValue> = {}) => {
    next += 1;
    queue(url).push({ id: `msg-${next}`, body, attributes, receives: 0, inFlight: false });
  };
  mock.on(ReceiveMessageCommand).callsFake((input: ReceiveMessageCommandInput) => {
    const taken = queue(String(input.QueueUrl))
      .filter((m) => !m.inFlight)
      .slice(0, input.MaxNumberOfMessages ?? 1);
    for (const m of taken) {
      m.inFlight = true;
      m.receives += 1;
    }
    const messages: Message[] = taken.map((m) => ({
      MessageId: m.id,
      ReceiptHandle: `rh-${m.id}`,
      Body: m.body,
      ...(Object.keys(m.attributes).length > 0 ? { MessageAttributes: m.attributes } : {}),
    }));
    return Promise.resolve(messages.length > 0 ? { Messages: messages } : {});
  });
  mock.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
    const entries = input.Entries ?? [];
    const refused = entries.slice(0, refusals.sends);
    refusals.sends -= refused.length;
    for (const e of entries.slice(refused.length))
      put(String(input.QueueUrl), String(e.MessageBody), e.MessageAttributes ?? {});
    return Promise.resolve({
      Successful: entries
        .slice(refused.length)
        .map((e) => ({ Id: e.Id, MessageId: 'x', MD5OfMessageBody: '' })),
      Failed: refused.map((e) => ({ Id: e.Id, Code: 'KMS.ThrottlingException', SenderFault: false })),
    });
  });
  mock.on(DeleteMessageBatchCommand).callsFake((input: DeleteMessageBatchCommandInput) => {
    const entries = input.Entries ?? [];
    const refused = entries.slice(0, refusals.deletes);
    refusals.deletes -= refused.length;
    const q = queue(String(input.QueueUrl));
    for (const e of entries.slice(refused.length)) {
      const at = q.findIndex((m) => `rh-${m.id}` === e.ReceiptHandle);
      if (at >= 0) q.splice(at, 1);
    }
    return Promise.resolve({
      Successful: entries.slice(refused.length).map((e) => ({ Id: e.Id })),
      Failed: refused.map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
    });
  });
  return {
    mock,
    client: new SQSClient({ region: 'cn-north-1' }),
    put,
    /** The messages of a queue, in flight or not. */
    messages: (url: string) => queue(url),
    /** The next `n` sent entries / deleted entries are reported failed. */
    refuseSends: (n: number) => {
      refusals.sends = n;
    },
    refuseDeletes: (n: number) => {
      refusals.deletes = n;
    },
    /** Ends every receive's visibility: what is still in a queue can be received again. */
    expireVisibility: () => {
      for (const q of queues.values()) for (const m of q) m.inFlight = false;
    },
    /** Takes every message of a queue as one Lambda SQS event, as the event source mapping hands it over. */
    drain: (url: string): SQSEvent => ({
      Records: queue(url)
        .splice(0)
        .map((m) => sqsRecord(m.id, JSON.parse(m.body), { receiveCount: m.receives + 1 })),
    }),
  };
}
