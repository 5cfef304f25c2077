import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { districtNames } from '#shared/domain/rules.ts';
import { KINDS } from '#shared/domain/types.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { createApp } from '#shared/http/app.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import { keys } from '#shared/store/keys.ts';
import { testConfig } from '../support/config.ts';
import { useTestDynamo } from '../support/local-table.ts';
import { privateFixture, profileFixture } from '../support/profiles.ts';

/** Words that only regulator-only data would bring into a public answer. */
const PRIVATE_TERMS =
  /generalAnesthesia|liposuction|prepaid|watch.?list|inspection|upgradeBan|upgradeYears|offSiteSupervised|contacts|phones|wechat|openid|audit|drawn|重点关注|双随机|抽查|全麻|抽脂|预付/i;

const phone = fc
  .tuple(fc.constantFrom('13', '15', '17', '18', '19'), fc.integer({ min: 0, max: 999_999_999 }))
  .map(([p, n]) => `${p}${String(n).padStart(9, '0')}`);
const openId = fc
  .string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
    minLength: 27,
    maxLength: 27,
  })
  .map((s) => `o${s}`);

const institution = fc.record({
  phones: fc.array(phone, { minLength: 1, maxLength: 3 }),
  openIds: fc.array(openId, { minLength: 0, maxLength: 2 }),
  services: fc.record({
    generalAnesthesia: fc.boolean(),
    liposuction: fc.boolean(),
    prepaidNonCompliant: fc.boolean(),
  }),
  grade: fc.constantFrom('A', 'B', 'C', 'D', null),
  kind: fc.constantFrom(...KINDS),
  district: fc.constantFrom(...districtNames()),
  auditNote: fc.integer({ min: 100_000, max: 999_999 }).map((n) => `核查记录${n}`),
  planSeed: fc.integer({ min: 100_000, max: 999_999 }).map((n) => `seed-${n}`),
});

let serial = 0;

describe('public answers and exports never carry regulator-only data', () => {
  const dynamo = useTestDynamo();
  let table: string;
  let deps: ReturnType<typeof buildAdminDeps>;

  beforeAll(async () => {
    table = await dynamo.freshTable();
    deps = buildAdminDeps(testConfig({ TABLE_NAME: table }), dynamo.db, new RecordingNotifier());
  });

  it('holds for institutions with random contacts, services, audit entries and inspection draws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(institution, { minLength: 1, maxLength: 3 }), async (generated) => {
        const registered: InstitutionProfile[] = [];
        const secrets: string[] = [];
        for (const g of generated) {
          serial += 1;
          const uscc = makeUscc(`91330106MB${String(serial).padStart(7, '0')}`);
          const p = profileFixture({
            uscc,
            name: `隐私测试${String.fromCharCode(0x4e00 + serial)}医疗美容诊所`,
            kind: g.kind,
            district: g.district,
            grade: g.grade as InstitutionProfile['grade'],
            score: g.grade === null ? null : { A: 96, B: 90, C: 80, D: 60 }[g.grade],
            publishedOn: g.grade === null ? null : '2026-01-10',
          });
          await deps.writer.create(
            p,
            privateFixture(uscc, {
              contacts: { phones: g.phones, wechatOpenIds: g.openIds },
              services: g.services,
              upgradeBanUntil: '2027-06-30',
              upgradeYears: [2025],
              offSiteSupervised: true,
            }),
          );
          await deps.audit.record({
            uscc,
            at: '2026-11-20T10:00:00.000+08:00',
            actor: { role: 'city', subject: 'inspector-1' } as never,
            action: 'violation_recorded',
            before: null,
            after: { note: g.auditNote, phone: g.phones[0] },
          });
          await dynamo.db.send(
            new PutCommand({
              TableName: table,
              Item: {
                ...keys.inspectionPlan(2026),
                year: 2026,
                seed: g.planSeed,
                entries: [{ grade: 'D', drawn: [uscc] }],
              },
            }),
          );
          await deps.events.append({
            key: `institution_registered:${uscc}`,
            type: 'institution_registered',
            uscc,
            district: p.district,
            occurredAt: '2026-11-20T10:00:00.000+08:00',
            before: null,
            after: { grade: p.grade, score: p.score },
          });
          registered.push(p);
          secrets.push(...g.phones, ...g.openIds, g.auditNote, g.planSeed);
        }
        const app = createApp(deps, { error: () => {} });
        const paths = [
          '/v1/stats',
          '/v1/publicity',
          '/v1/changes?limit=50',
          '/v1/changes.atom?limit=50',
          '/v1/export/grades.csv',
          '/stats',
          '/',
          ...registered.flatMap((p) => [
            `/v1/institutions/${p.uscc}`,
            `/v1/institutions/${p.uscc}/qr.svg`,
            `/v1/institutions?q=${encodeURIComponent(p.name.slice(0, 5))}`,
            `/v1/institutions?q=${p.uscc}`,
            `/v1/institutions?district=${encodeURIComponent(p.district)}&limit=50`,
            `/?q=${encodeURIComponent(p.name.slice(0, 5))}`,
            `/i/${p.uscc}`,
          ]),
        ];
        for (const path of paths) {
          const res = await app.request(path);
          expect(res.status, path).toBe(200);
          const text = await res.text();
          for (const s of secrets) expect(text.includes(s), `${path} shows ${s}`).toBe(false);
          expect(text, path).not.toMatch(PRIVATE_TERMS);
        }
        // The answers do show the institutions: the scan looked at the right bodies.
        const detail = await app.request(`/v1/institutions/${registered[0]?.uscc}`);
        expect(await detail.text()).toContain(registered[0]?.name);
      }),
      { numRuns: Number(process.env.PRIVACY_RUNS ?? 12), endOnFailure: true },
    );
  });
});
