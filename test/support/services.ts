import { buildWorkflowDeps } from '#shared/bootstrap.ts';
import type { ChangeEvent } from '#shared/domain/model.ts';
import type { Actor, District } from '#shared/domain/types.ts';
import { RecordingNotifier } from '#shared/notify/port.ts';
import {
  approveAssessment,
  publiciseAssessment,
  publishAssessment,
  recheckAssessment,
  scoreAssessment,
} from '#shared/services/assessments.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import { registerInstitution } from '#shared/services/institutions.ts';
import type { AuditEntry } from '#shared/store/audit.ts';
import { clinicIn, hospitalIn, type MovableClock, movableClock, nextDay } from './admin.ts';
import { testConfig } from './config.ts';
import type { TestDynamo } from './local-table.ts';
import { override } from './override.ts';

/**
 * The regulators' services over a fresh table, called directly (no HTTP app): a movable clock at Monday
 * 2026-11-23 10:00 in Shanghai and recorded notices.
 */
export interface ServiceHarness {
  deps: WorkflowDeps;
  clock: MovableClock;
  notices: RecordingNotifier;
  /** Every audit entry of `uscc`, oldest first. */
  audit(uscc: string): Promise<AuditEntry[]>;
  /** Every change event of the feed, in order. */
  events(): Promise<ChangeEvent[]>;
}

export { override } from './override.ts';

/** The deps with `store.method` failing, as a table out of reach would: a step stopped half-way. */
export function failing<K extends keyof WorkflowDeps>(
  deps: WorkflowDeps,
  store: K,
  method: keyof WorkflowDeps[K],
): WorkflowDeps {
  const down = { [method]: () => Promise.reject(new Error('down')) } as Partial<WorkflowDeps[K] & object>;
  return { ...deps, [store]: override(deps[store] as WorkflowDeps[K] & object, down) };
}

export const CITY: Actor = { subject: 'test-city', role: 'city' };
export const districtOfficer = (district: District): Actor => ({
  subject: 'test-district',
  role: 'district',
  district,
});
export const GUIDANCE: Actor = { subject: 'test-guidance', role: 'guidance' };
export const institutionActor = (uscc: string): Actor => ({
  subject: `inst-${uscc}`,
  role: 'institution',
  uscc,
});

export async function serviceHarness(
  dynamo: TestDynamo,
  now = '2026-11-23T10:00:00+08:00',
): Promise<ServiceHarness> {
  const table = await dynamo.freshTable();
  const clock = movableClock(now);
  const notices = new RecordingNotifier();
  const deps = buildWorkflowDeps(testConfig({ TABLE_NAME: table }), dynamo.db, notices, clock);
  return {
    deps,
    clock,
    notices,
    audit: async (uscc) => (await deps.audit.list(uscc, null, 100)).items,
    events: async () => (await deps.events.list({ afterSeq: 0, limit: 100, consistent: true })).items,
  };
}

/** A hospital of 上城区 registered by the city; its uscc. */
export async function registeredHospital(h: ServiceHarness): Promise<string> {
  const input = hospitalIn('上城区');
  await registerInstitution(h.deps, CITY, input);
  return input.uscc;
}

/** A clinic of 西湖区 registered by its district; its uscc. */
export async function registeredClinic(h: ServiceHarness): Promise<string> {
  const input = clinicIn('西湖区');
  await registerInstitution(h.deps, districtOfficer('西湖区'), input);
  return input.uscc;
}

/** A registered hospital whose initial result (90, assessed today) the city put into publicity today. */
export async function hospitalInPublicity(h: ServiceHarness) {
  const uscc = await registeredHospital(h);
  const scored = await scoreAssessment(h.deps, CITY, {
    uscc,
    score: 90,
    assessedOn: h.clock.today(),
    reason: 'initial',
  });
  const result = await publiciseAssessment(h.deps, CITY, scored.id);
  return { uscc, result };
}

/**
 * `uscc`'s result scored `score` today (by the city for a hospital; by its district for a clinic, then
 * approved and re-checked) and published after its publicity: the clock ends at 09:00 on the day after
 * the publicity. Returns the published result.
 */
export async function publishScore(
  h: ServiceHarness,
  uscc: string,
  score: number,
  kind: 'hospital' | 'clinic',
) {
  const scorer = kind === 'clinic' ? districtOfficer('西湖区') : CITY;
  const scored = await scoreAssessment(h.deps, scorer, {
    uscc,
    score,
    assessedOn: h.clock.today(),
    reason: 'initial',
  });
  if (kind === 'clinic') {
    await approveAssessment(
      h.deps,
      { subject: 'test-admin', role: 'district_admin', district: '西湖区' },
      scored.id,
    );
    await recheckAssessment(h.deps, CITY, scored.id);
  }
  const inPublicity = await publiciseAssessment(h.deps, CITY, scored.id);
  h.clock.set(`${nextDay(inPublicity.publicity?.endOn as string)}T09:00:00+08:00`);
  return publishAssessment(h.deps, GUIDANCE, scored.id);
}
