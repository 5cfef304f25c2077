import { buildAdminDeps } from '#shared/bootstrap.ts';
import { createApp } from '#shared/http/app.ts';
import { buildDemoData, loadDemoData } from '#shared/local/demo.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { testConfig } from './config.ts';
import type { TestDynamo } from './local-table.ts';

/** The whole app over a fresh table holding `count` demo institutions (notices recorded, not sent). */
export async function demoApp(dynamo: TestDynamo, count: number) {
  const table = await dynamo.freshTable();
  const deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
  const data = buildDemoData({ count, today: deps.clock.today(), calendar: deps.calendar });
  await loadDemoData(dynamo.db, table, data);
  return { app: createApp(deps), deps, data, table };
}
