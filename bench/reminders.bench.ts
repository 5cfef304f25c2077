import type { SNSClient } from '@aws-sdk/client-sns';
import { fixedClock } from '#shared/clock.ts';
import { addDays } from '#shared/domain/dates.ts';
import { type PendingReminder, reminderDate } from '#shared/domain/review.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { RemindersJob } from '#shared/jobs/reminders.ts';
import { batchPut } from '#shared/local/demo.ts';
import { ensureTable, startLocalDynamo } from '#shared/local/dynamo-server.ts';
import { ContactDirectory } from '#shared/notify/contacts.ts';
import { silentLogger } from '#shared/notify/mask.ts';
import { SnsNotifier } from '#shared/notify/sns-notifier.ts';
import { createDocumentClient } from '#shared/store/dynamo.ts';
import { InstitutionReader } from '#shared/store/institution-reader.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { accessPatterns, keys } from '#shared/store/keys.ts';
import { ReminderIndex } from '#shared/store/reminder-index.ts';

/**
 * `npm run bench -- reminders`: the daily reminder run for registers of 1,000 / 10,000 / 100,000
 * institutions, 1% due today and the rest spread over the next 200 days of the index. Only what the
 * run touches is written (minimal profile items with their index key; PRIVATE items of the due ones).
 * Figures: items read, PublishBatch calls (a fake SNS client counts them) and run time.
 */
const TODAY = '2026-12-01';
const SIZES = (process.env.REMINDER_BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);

/** Counts PublishBatch calls and accepts every entry, as SNS does when all goes well. */
function fakeSns() {
  const counter = { calls: 0, entries: 0 };
  const client = {
    send: async (command: { input: { PublishBatchRequestEntries?: Array<{ Id?: string }> } }) => {
      counter.calls++;
      const entries = command.input.PublishBatchRequestEntries ?? [];
      counter.entries += entries.length;
      return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })), Failed: [] };
    },
  };
  return { client: client as unknown as SNSClient, counter };
}

function profileItem(i: number, due: boolean) {
  const uscc = makeUscc(`91330106${String(i).padStart(9, '0')}`);
  // Due today at the 30-day point, or some later day within the next 200 days.
  const on = due ? TODAY : addDays(TODAY, 1 + (i % 200));
  const reviewDue = addDays(on, 30);
  const nextReminder: PendingReminder = { point: 'due_30', on: reminderDate(reviewDue, 'due_30') };
  return {
    uscc,
    item: {
      ...keys.profile(uscc),
      gsi4pk: accessPatterns.remindersDue(on).pk,
      gsi4sk: uscc,
      uscc,
      name: `基准${i}医疗美容诊所`,
      nextReviewDue: reviewDue,
      nextReminder,
      reviewOverdue: false,
      closed: false,
      version: 1,
    },
  };
}

async function runSize(n: number) {
  const dynamo = await startLocalDynamo();
  const db = createDocumentClient({ region: 'cn-north-1', endpoint: dynamo.endpoint });
  try {
    const table = `bench-${n}`;
    await ensureTable(db as never, table);
    const setupStart = Date.now();
    const dueEvery = 100; // 1% due
    const items: Record<string, unknown>[] = [];
    let due = 0;
    for (let i = 0; i < n; i++) {
      const isDue = i % dueEvery === 0;
      const { uscc, item } = profileItem(i, isDue);
      items.push(item);
      if (isDue) {
        due++;
        items.push({
          ...keys.private(uscc),
          uscc,
          contacts: { phones: [`139${String(i).padStart(8, '0')}`], wechatOpenIds: [`oBENCH_openid_${i}`] },
        });
      }
    }
    await batchPut(db, table, items);
    const state = new JobStateStore(db, table);
    await state.advance('reminders', addDays(TODAY, -1), new Date());
    const setupMs = Date.now() - setupStart;

    const sns = fakeSns();
    const contacts = new ContactDirectory(db, table);
    const index = new ReminderIndex(db, table);
    const job = new RemindersJob({
      index,
      reader: new InstitutionReader(db, table),
      state,
      notifier: new SnsNotifier({
        sns: sns.client,
        topicArn: 'arn:aws-cn:sns:cn-north-1:000000000000:notices',
        contacts,
        guidance: { phones: [], wechatOpenIds: [] },
        logger: silentLogger,
      }),
      clock: fixedClock(`${TODAY}T09:00:00+08:00`),
    });
    const started = performance.now();
    const report = await job.run(TODAY);
    const runMs = performance.now() - started;
    return {
      institutions: n,
      due,
      indexItemsRead: index.itemsRead,
      contactItemsRead: contacts.itemsRead,
      publishBatchCalls: sns.counter.calls,
      messages: sns.counter.entries,
      runMs: Math.round(runMs),
      setupS: Math.round(setupMs / 100) / 10,
      reminders: JSON.stringify(report.reminders),
    };
  } finally {
    db.destroy();
    await dynamo.close();
  }
}

export async function run() {
  const rows = [];
  for (const n of SIZES) {
    const row = await runSize(n);
    console.log(
      `${String(row.institutions).padStart(7)} institutions, ${row.due} due: read ${row.indexItemsRead} index items + ${row.contactItemsRead} contact items, ` +
        `${row.publishBatchCalls} PublishBatch calls (${row.messages} messages), run ${row.runMs} ms (setup ${row.setupS} s)`,
    );
    rows.push(row);
  }
  console.table(rows);
}
