import { mintLocalToken } from '#shared/auth/mint.ts';
import { buildAdminDeps } from '#shared/bootstrap.ts';
import type { District, Role } from '#shared/domain/types.ts';
import { makeUscc } from '#shared/domain/uscc.ts';
import { createApp } from '#shared/http/app.ts';
import type { AdminDeps } from '#shared/http/deps.ts';
import { type Notifier, RecordingNotifier } from '#shared/notify/port.ts';
import { type MovableClock, movableClock } from './clock.ts';
import { TEST_JWT_SECRET, testConfig } from './config.ts';
import { body } from './http.ts';
import type { TestDynamo } from './local-table.ts';
import { withProof } from './proof.ts';

export { type MovableClock, movableClock };

export interface AdminHarness {
  app: ReturnType<typeof createApp>;
  deps: AdminDeps;
  clock: MovableClock;
  notices: RecordingNotifier;
  table: string;
  token(
    role: Role,
    claims?: { district?: District; uscc?: string; association?: string; subject?: string },
  ): Promise<string>;
  call(method: string, path: string, token: string | null, body?: unknown): Promise<Response>;
}

/** A fresh table, the whole app over it, a movable clock at Monday 2026-11-23 10:00 and recorded notices. */
export async function adminHarness(
  dynamo: TestDynamo,
  opts: { notifier?: Notifier; now?: string } = {},
): Promise<AdminHarness> {
  const table = await dynamo.freshTable();
  const config = testConfig({ TABLE_NAME: table });
  const clock = movableClock(opts.now ?? '2026-11-23T10:00:00+08:00');
  const notices = new RecordingNotifier();
  const deps = buildAdminDeps(config, dynamo.db, opts.notifier ?? notices, clock);
  const app = createApp(deps, { error: () => {} });
  return {
    app,
    deps,
    clock,
    notices,
    table,
    token: (role, claims = {}) =>
      mintLocalToken({
        secret: TEST_JWT_SECRET,
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        role,
        subject: claims.subject ?? `test-${role}`,
        ...(claims.district ? { district: claims.district } : {}),
        ...(claims.uscc ? { uscc: claims.uscc } : {}),
        ...(claims.association ? { association: claims.association } : {}),
        now: new Date(),
      }),
    // An objection gets a solved proof of work unless the body carries its own `altcha`.
    call: async (method, path, token, raw) => {
      const body = await withProof(app, method, path, raw);
      return app.request(path, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    },
  };
}

let counter = 0;

/** A fresh valid uscc (unique within the test process). */
export function newUscc(): string {
  counter++;
  return makeUscc(`91330106MA${String(counter).padStart(7, '0')}`);
}

export const clinicIn = (district: District, uscc = newUscc()) => ({
  uscc,
  name: `${district.slice(0, 2)}测试医疗美容诊所${uscc.slice(-5)}`,
  kind: 'clinic',
  district,
  address: `杭州市${district}测试路1号`,
  contacts: { phones: ['13988880000'], wechatOpenIds: ['o-test-openid'] },
  services: { liposuction: true },
});

export const hospitalIn = (district: District, uscc = newUscc()) => ({
  uscc,
  name: `${district.slice(0, 2)}测试医疗美容医院${uscc.slice(-5)}`,
  kind: 'hospital',
  district,
  address: `杭州市${district}测试路2号`,
});

/**
 * Scores `uscc` with `score` for `reason`, assessed today, as the holder of `token` (201 expected);
 * returns the new result as the API answers it.
 */
export async function scoreResult(
  h: AdminHarness,
  token: string,
  uscc: string,
  score: number,
  reason: 'initial' | 'review' = 'initial',
) {
  return body(
    await expectStatus(
      h.call('POST', '/v1/admin/assessments', token, { uscc, score, assessedOn: h.clock.today(), reason }),
      201,
    ),
  );
}

/** Posts the publicity of result `id` as the holder of `token` (200 expected); returns its window. */
export async function postPublicity(
  h: AdminHarness,
  token: string,
  id: string,
): Promise<{ startOn: string; endOn: string }> {
  const window = await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publicity`, token), 200);
  return (await window.json()) as { startOn: string; endOn: string };
}

/** The city scores the hospital `uscc` today (scoreResult) and posts its publicity: the result's id and window. */
export async function cityResultInPublicity(
  h: AdminHarness,
  uscc: string,
  score: number,
  reason: 'initial' | 'review' = 'initial',
): Promise<{ id: string; startOn: string; endOn: string }> {
  const city = await h.token('city');
  const { id } = await scoreResult(h, city, uscc, score, reason);
  return { id, ...(await postPublicity(h, city, id)) };
}

/**
 * Scores the 西湖区 clinic `uscc` with `score` for `reason` and takes the result through approval, the
 * city's recheck and its publicity, the clock moved to the working day after it: what is left is the
 * guidance group's publish. Returns the result's id.
 */
export async function clinicResultThroughPublicity(
  h: AdminHarness,
  uscc: string,
  score: number,
  reason: 'initial' | 'review' = 'initial',
): Promise<string> {
  const city = await h.token('city');
  const district = await h.token('district', { district: '西湖区' });
  const admin = await h.token('district_admin', { district: '西湖区' });
  const { id } = await scoreResult(h, district, uscc, score, reason);
  await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/approve`, admin), 200);
  await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/recheck`, city), 200);
  const window = await postPublicity(h, city, id);
  h.clock.set(`${nextDay(window.endOn)}T09:00:00+08:00`);
  return id;
}

/** A new clinic of 西湖区 registered and its first result taken to publish (clinicResultThroughPublicity). */
export async function clinicReadyToPublish(
  h: AdminHarness,
  score: number,
): Promise<{ uscc: string; id: string }> {
  const district = await h.token('district', { district: '西湖区' });
  const reg = clinicIn('西湖区');
  await expectStatus(h.call('POST', '/v1/admin/institutions', district, reg), 201);
  return { uscc: reg.uscc, id: await clinicResultThroughPublicity(h, reg.uscc, score) };
}

/**
 * Drives a clinic of 西湖区 through the whole flow to publication with `score` and returns its uscc and
 * result id; the clock ends on the day after publicity.
 */
export async function publishedClinic(h: AdminHarness, score: number): Promise<{ uscc: string; id: string }> {
  const ready = await clinicReadyToPublish(h, score);
  const guidance = await h.token('guidance');
  await expectStatus(h.call('POST', `/v1/admin/assessments/${ready.id}/publish`, guidance), 200);
  return ready;
}

/** A published clinic (`publishedClinic`) that has applied for an upgrade with a self-assessment of 96. */
export async function clinicApplyingForUpgrade(h: AdminHarness, score: number): Promise<string> {
  const { uscc } = await publishedClinic(h, score);
  const me = await h.token('institution', { uscc });
  await expectStatus(
    h.call('POST', `/v1/institutions/${uscc}/upgrade-applications`, me, {
      selfScore: 96,
      report: '自评报告',
    }),
    201,
  );
  return uscc;
}

/** Registers a hospital of `district` as the city; returns its uscc and the city's token. */
export async function registeredHospital(
  h: AdminHarness,
  district: District = '上城区',
): Promise<{ uscc: string; city: string }> {
  const city = await h.token('city');
  const reg = hospitalIn(district);
  await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
  return { uscc: reg.uscc, city };
}

/** Registers a hospital of `district` and scores its initial result (90, assessed today) as the city. */
export async function scoredHospital(
  h: AdminHarness,
  district: District,
): Promise<{ uscc: string; id: string; city: string }> {
  const { uscc, city } = await registeredHospital(h, district);
  const { id } = await scoreResult(h, city, uscc, 90);
  return { uscc, id, city };
}

/**
 * Registers a hospital of 上城区 and puts its initial result (90, assessed 2026-11-23) into publicity
 * as the city; returns its uscc and result id.
 */
export async function hospitalInPublicity(
  h: AdminHarness,
  city?: string,
): Promise<{ uscc: string; id: string }> {
  const token = city ?? (await h.token('city'));
  const reg = hospitalIn('上城区');
  await expectStatus(h.call('POST', '/v1/admin/institutions', token, reg), 201);
  const scored = await expectStatus(
    h.call('POST', '/v1/admin/assessments', token, {
      uscc: reg.uscc,
      score: 90,
      assessedOn: '2026-11-23',
      reason: 'initial',
    }),
    201,
  );
  const { id } = (await scored.json()) as { id: string };
  await postPublicity(h, token, id);
  return { uscc: reg.uscc, id };
}

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Awaits a response and fails with its body when the status is not the expected one. */
export async function expectStatus(pending: Response | Promise<Response>, status: number): Promise<Response> {
  const res = await pending;
  if (res.status !== status) {
    throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  }
  return res;
}
