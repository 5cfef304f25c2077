import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import type { Actor } from '#shared/domain/types.ts';
import { createApp } from '#shared/http/app.ts';
import { buildDemoData, type DemoData, loadDemoData } from '#shared/local/demo.ts';
import { devNoticesRoutes } from '#shared/local/notices-page.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { closeInstitution } from '#shared/services/institutions.ts';
import { lodgeObjection, resolveObjection } from '#shared/services/objections.ts';
import { decideReply, submitReply } from '#shared/services/replies.ts';
import { recordViolation } from '#shared/services/violations.ts';
import { testConfig } from './config.ts';
import { startTestDynamo, type TestDynamo } from './local-table.ts';

const CITY: Actor = { subject: 'city-officer', role: 'city' };

/** One institution of each state a citizen may meet, by uscc. */
export interface SiteStates {
  /** With an approved statement about its grade (`reply`). */
  graded: InstitutionProfile;
  inPublicity: InstitutionProfile;
  ungraded: InstitutionProfile;
  downgraded: InstitutionProfile;
  closed: InstitutionProfile;
  /** References of an open and of a dismissed objection. */
  openReference: string;
  decidedReference: string;
}

export interface DemoSite {
  base: string;
  data: DemoData;
  states: SiteStates;
  close(): Promise<void>;
}

/**
 * The whole service with demo data over an in-memory table, served on a free port, with one
 * institution in each state (a downgrade with its cause, a closed one) and two objections: what the
 * browser tests and the documentation screenshots look at.
 */
export async function startDemoSite(count = 80): Promise<DemoSite> {
  const dynamo: TestDynamo = await startTestDynamo();
  const table = await dynamo.freshTable();
  const deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
  const data = buildDemoData({ count, today: deps.clock.today(), calendar: deps.calendar });
  await loadDemoData(dynamo.db, table, data);
  const today = deps.clock.today();
  const taken = new Set<string>();
  const pick = (test: (p: InstitutionProfile) => boolean) => {
    const p = data.profiles.find((x) => !taken.has(x.uscc) && test(x));
    if (!p) throw new Error('the demo data lacks an institution for a page state');
    taken.add(p.uscc);
    return p;
  };
  const inPublicity = pick((p) => p.publicity !== null && p.publicity.startOn <= today && p.grade !== null);
  const graded = pick((p) => p.grade === 'B' && !p.publicity && !p.closed);
  const ungraded = pick((p) => p.grade === null && !p.publicity && !p.closed);
  const downgraded = pick((p) => p.grade === 'A' && !p.publicity && !p.closed);
  const closed = pick((p) => p.grade !== null && !p.publicity && !p.closed);
  const actorFor = (p: InstitutionProfile): Actor =>
    p.kind === 'clinic' ? { subject: 'district-officer', role: 'district', district: p.district } : CITY;
  await recordViolation(deps, actorFor(downgraded), downgraded.uscc, {
    occurredOn: today,
    type: 'violation',
    severity: 'serious',
    description: '超范围开展医疗美容项目',
  });
  await closeInstitution(deps, actorFor(closed), closed.uscc);
  const statement = await submitReply(
    deps,
    { subject: 'institution', role: 'institution', uscc: graded.uscc },
    graded.uscc,
    { text: '本机构已按监督意见完成整改，欢迎患者和社会各界监督。' },
  );
  await decideReply(deps, actorFor(graded), graded.uscc, { id: statement.view.id, outcome: 'approved' });
  const resultId = (inPublicity.publicity as { resultId: string }).resultId;
  const open = await lodgeObjection(deps, resultId, '该机构的评分与实际情况不符。', 'client-a');
  const decided = await lodgeObjection(deps, resultId, '公示的地址已变更。', 'client-b');
  await resolveObjection(deps, CITY, decided.id, {
    upheld: false,
    resolution: '经核查，机构地址变更已登记，不影响评分结果。',
  });

  const app = createApp(deps);
  app.route('/dev', devNoticesRoutes(mkdtempSync(join(tmpdir(), 'notices-'))));
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const fresh = async (p: InstitutionProfile) => (await deps.reader.getProfile(p.uscc)) ?? p;
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    data,
    states: {
      graded: await fresh(graded),
      inPublicity,
      ungraded,
      downgraded: await fresh(downgraded),
      closed: await fresh(closed),
      openReference: open.reference ?? '',
      decidedReference: decided.reference ?? '',
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await dynamo.close();
    },
  };
}
