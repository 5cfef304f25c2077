import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StaleWriteError,
  ValidationError,
} from '#shared/domain/errors.ts';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import type { Actor } from '#shared/domain/types.ts';
import {
  approveAssessment,
  getAssessment,
  mustGetResult,
  openObjections,
  publiciseAssessment,
  publishAssessment,
  recheckAssessment,
  scoreAssessment,
  scoreProblems,
  scoringId,
  takeStep,
  withdrawAssessment,
} from '#shared/services/assessments.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';
import { profileFixture, usccNo } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';
import { violationFixture } from '../../support/violations.ts';

/**
 * Scoring and the steps of a result's life, called as the services they are (DOMAIN.md "Life of a
 * grading result", API.md "The grading flow"): who may take each step, in which order, what each step
 * writes to the result, and what a retried or racing request gets.
 */

const city: Actor = { subject: 'city-1', role: 'city' };
const westLake: Actor = { subject: 'xh-1', role: 'district', district: '西湖区' };
const westLakeAdmin: Actor = { subject: 'xh-admin', role: 'district_admin', district: '西湖区' };
const guidance: Actor = { subject: 'guide-1', role: 'guidance' };

/** A clinic of 西湖区 and a hospital of 上城区, neither graded yet. */
const clinic = profileFixture(1, {
  grade: null,
  score: null,
  publishedOn: null,
  currentResultId: null,
  nextReviewDue: null,
});
const hospital: InstitutionProfile = {
  ...clinic,
  uscc: usccNo(2),
  name: '测试2医疗美容医院',
  kind: 'hospital',
  district: '上城区',
};

function setup(now = '2026-11-23T10:00:00+08:00') {
  return memoryWorkflow({ now, profiles: [clinic, hospital] });
}

const scoring = (uscc: string, score: number, more: object = {}) => ({
  uscc,
  score,
  assessedOn: '2026-11-20',
  reason: 'initial' as const,
  ...more,
});

/** The hospital scored by the city and posted to publicity today (Monday 2026-11-23, window to Friday). */
async function hospitalInPublicity(f: ReturnType<typeof setup>, score = 90) {
  const r = await scoreAssessment(f.deps, city, scoring(hospital.uscc, score));
  return publiciseAssessment(f.deps, city, r.id);
}

describe('scoringId', () => {
  it('is the same for the same caller and key, and differs when either differs', () => {
    expect(scoringId('city-1', 'k1')).toBe(scoringId('city-1', 'k1'));
    expect(scoringId('city-1', 'k1')).toMatch(/^sc-[0-9a-f]{24}$/);
    const ids = [
      scoringId('city-1', 'k1'),
      scoringId('city-2', 'k1'),
      scoringId('city-1', 'k2'),
      // Caller and key are kept apart: moving a character from one to the other is another request.
      scoringId('city-1k', '1'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('scoreProblems', () => {
  it('lists a breakdown that does not add up and a date in the future together', () => {
    const problems = scoreProblems(
      { ...scoring('U', 90), assessedOn: '2026-11-24', breakdown: { 依法执业: 40, 医疗质量: 40 } },
      '2026-11-23',
    );
    expect(problems.map((p) => p.path)).toEqual(['breakdown', 'assessedOn']);
    expect(problems[1]).toEqual({
      path: 'assessedOn',
      message: 'the assessment date 2026-11-24 is in the future',
    });
  });

  it('accepts an assessment made today, and a breakdown that adds up', () => {
    expect(
      scoreProblems(
        { ...scoring('U', 90), assessedOn: '2026-11-23', breakdown: { 依法执业: 50, 医疗质量: 40 } },
        '2026-11-23',
      ),
    ).toEqual([]);
  });
});

describe('scoreAssessment', () => {
  it('creates a scored result with the grade of its score, who scored it and when', async () => {
    const f = setup();
    const r = await scoreAssessment(
      f.deps,
      westLake,
      scoring(clinic.uscc, 94.9, {
        breakdown: { 依法执业: 50, 医疗质量: 44.9 },
        assessor: '张三',
        delegatedTo: '浙江省医学美容质控中心',
      }),
    );
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.result(r.id)).toEqual({
      id: r.id,
      uscc: clinic.uscc,
      kind: 'clinic',
      district: '西湖区',
      status: 'scored',
      score: 94.9,
      grade: 'B',
      breakdown: { 依法执业: 50, 医疗质量: 44.9 },
      reason: 'initial',
      assessedOn: '2026-11-20',
      revision: '2025-1',
      assessor: '张三',
      delegatedTo: '浙江省医学美容质控中心',
      publicity: null,
      openObjections: 0,
      publishedOn: null,
      nextReviewDue: null,
      createdAt: '2026-11-23T10:00:00.000+08:00',
      createdBy: 'xh-1',
      version: 1,
      updatedAt: '2026-11-23T10:00:00.000+08:00',
      lastAction: 'score',
      lastActor: westLake,
      lastActionAt: '2026-11-23T10:00:00.000+08:00',
      previousStatus: null,
      applicationId: null,
    });
    expect(f.audit).toEqual([
      {
        id: `score:${r.id}`,
        uscc: clinic.uscc,
        at: '2026-11-23T10:00:00.000+08:00',
        actor: westLake,
        action: 'assessment.score',
        before: null,
        after: {
          resultId: r.id,
          status: 'scored',
          grade: 'B',
          score: 94.9,
          breakdown: { 依法执业: 50, 医疗质量: 44.9 },
          reason: 'initial',
          revision: '2025-1',
          publicity: null,
          publishedOn: null,
          nextReviewDue: null,
        },
      },
    ]);
    // Scoring is not public: no event, no notice.
    expect(f.events).toEqual([]);
    expect(f.notices.intents).toEqual([]);
  });

  it('keeps no breakdown, assessor or delegation that was not given, and grades 95 A', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, city, scoring(hospital.uscc, 95));
    expect(f.result(r.id)).toMatchObject({
      grade: 'A',
      breakdown: null,
      assessor: null,
      delegatedTo: null,
      kind: 'hospital',
      district: '上城区',
    });
    expect(r.grade).toBe('A');
    expect(r.status).toBe('scored');
  });

  it('takes the given id and the application it came from', async () => {
    const f = setup();
    const r = await scoreAssessment(
      f.deps,
      city,
      { ...scoring(clinic.uscc, 96), reason: 'upgrade' },
      { id: 'up-1', applicationId: 'app-1', asUpgradeDecision: true },
    );
    expect(r.id).toBe('up-1');
    expect(f.result('up-1')).toMatchObject({ applicationId: 'app-1', reason: 'upgrade', grade: 'A' });
  });

  it('is 404 naming the uscc for an institution that is not registered', async () => {
    const f = setup();
    const act = scoreAssessment(f.deps, city, scoring(usccNo(99), 90));
    await expect(act).rejects.toThrow(NotFoundError);
    await expect(act).rejects.toThrow(`no institution with uscc ${usccNo(99)}`);
  });

  it('lets the district score only the clinics of its own district, and the city only what it scores', async () => {
    const f = setup();
    const other: Actor = { subject: 'sc-1', role: 'district', district: '上城区' };
    await expect(scoreAssessment(f.deps, other, scoring(clinic.uscc, 90))).rejects.toThrow(
      'a 上城区 officer may not act on a clinic in 西湖区 (只能处理本辖区的诊所)',
    );
    await expect(scoreAssessment(f.deps, westLake, scoring(hospital.uscc, 90))).rejects.toThrow(
      ForbiddenError,
    );
    await expect(scoreAssessment(f.deps, city, scoring(clinic.uscc, 90))).rejects.toThrow(
      'clinics are scored by the district institute of their district (诊所由所在区县监督机构评分)',
    );
    expect(f.audit).toEqual([]);
  });

  it('lets the city score any kind when it turns an accepted upgrade application into an assessment', async () => {
    const f = setup();
    const r = await scoreAssessment(
      f.deps,
      city,
      { ...scoring(clinic.uscc, 90), reason: 'upgrade' },
      { applicationId: 'app-2', asUpgradeDecision: true },
    );
    expect(f.result(r.id)?.status).toBe('scored');
  });

  it('refuses an upgrade result not coming from an application (422), and scores a closed institution never (409)', async () => {
    const f = setup();
    const upgrade = scoreAssessment(f.deps, westLake, { ...scoring(clinic.uscc, 96), reason: 'upgrade' });
    await expect(upgrade).rejects.toThrow(RuleViolationError);
    await expect(upgrade).rejects.toThrow(
      /an upgrade result comes only from an accepted upgrade application/,
    );
    f.putProfile({ ...clinic, closed: true, closedOn: '2026-11-01' });
    const closed = scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    await expect(closed).rejects.toThrow(ConflictError);
    await expect(closed).rejects.toThrow('the institution is closed (机构已注销/停业)');
    expect(f.audit).toEqual([]);
  });

  it('is 400 listing every invalid field, and stores nothing', async () => {
    const f = setup();
    const act = scoreAssessment(f.deps, westLake, {
      ...scoring(clinic.uscc, 90),
      assessedOn: '2026-11-24',
      breakdown: { 依法执业: 40 },
    });
    await expect(act).rejects.toThrow(ValidationError);
    const err = (await act.catch((e) => e)) as ValidationError;
    expect(err.errors.map((p) => p.path)).toEqual(['breakdown', 'assessedOn']);
    expect(err.message).toBe(
      `${err.errors[0]?.path}: ${err.errors[0]?.message}; assessedOn: the assessment date 2026-11-24 is in the future`,
    );
    expect(f.audit).toEqual([]);
  });

  it('answers a repeat of a scoring with the same id 409, after finishing its audit entry', async () => {
    const f = setup();
    f.failing('audit.record', () => new Error('audit unavailable'), 1);
    await expect(scoreAssessment(f.deps, city, scoring(hospital.uscc, 90), { id: 'sc-1' })).rejects.toThrow(
      'audit unavailable',
    );
    expect(f.audit).toEqual([]);
    const repeat = scoreAssessment(f.deps, city, scoring(hospital.uscc, 90), { id: 'sc-1' });
    await expect(repeat).rejects.toThrow(ConflictError);
    await expect(repeat).rejects.toThrow('assessment sc-1 was already created by an earlier request');
    expect(f.audit.map((a) => a.id)).toEqual(['score:sc-1']);
  });

  it('passes on a failure of the store that is not a repeat', async () => {
    const f = setup();
    f.failing('results.create', () => new Error('table unavailable'));
    await expect(scoreAssessment(f.deps, city, scoring(hospital.uscc, 90))).rejects.toThrow(
      'table unavailable',
    );
    expect(f.audit).toEqual([]);
  });
});

describe('mustGetResult and getAssessment', () => {
  it('is 404 naming the id of an unknown assessment', async () => {
    const f = setup();
    await expect(mustGetResult(f.deps, 'nope')).rejects.toThrow(NotFoundError);
    await expect(mustGetResult(f.deps, 'nope')).rejects.toThrow('no assessment with id nope');
  });

  it('gives a regulator in scope the result with all its objections, and refuses one outside it', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    f.objections.push(
      { id: 'o1', resultId: r.id, lodgedAt: 'x', text: 't', status: 'open' },
      { id: 'o2', resultId: r.id, lodgedAt: 'x', text: 't', status: 'dismissed' },
      { id: 'o3', resultId: 'other', lodgedAt: 'x', text: 't', status: 'open' },
    );
    const seen = await getAssessment(f.deps, westLakeAdmin, r.id);
    expect(seen.result.id).toBe(r.id);
    expect(seen.objections.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect((await openObjections(f.deps, r.id)).map((o) => o.id)).toEqual(['o1']);
    const other: Actor = { subject: 'sc-1', role: 'district', district: '上城区' };
    await expect(getAssessment(f.deps, other, r.id)).rejects.toThrow(ForbiddenError);
  });
});

describe('the steps of a clinic’s result', () => {
  it('goes through approval by its district admin and the city’s re-check, each audited with the status it left', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    f.clock.set('2026-11-23T11:00:00+08:00');
    const approved = await approveAssessment(f.deps, westLakeAdmin, r.id);
    expect(approved).toMatchObject({
      status: 'approved',
      version: 2,
      updatedAt: '2026-11-23T11:00:00.000+08:00',
      lastAction: 'approve',
      lastActor: westLakeAdmin,
      lastActionAt: '2026-11-23T11:00:00.000+08:00',
      previousStatus: 'scored',
      createdAt: '2026-11-23T10:00:00.000+08:00',
      score: 90,
    });
    expect(f.result(r.id)).toEqual(approved);
    const rechecked = await recheckAssessment(f.deps, city, r.id);
    expect(rechecked).toMatchObject({ status: 'rechecked', previousStatus: 'approved', version: 3 });
    expect(f.audit.map(({ id, action, actor, before }) => ({ id, action, actor, before }))).toEqual([
      { id: `score:${r.id}`, action: 'assessment.score', actor: westLake, before: null },
      {
        id: `approve:${r.id}`,
        action: 'assessment.approve',
        actor: westLakeAdmin,
        before: { resultId: r.id, status: 'scored' },
      },
      {
        id: `recheck:${r.id}`,
        action: 'assessment.recheck',
        actor: city,
        before: { resultId: r.id, status: 'approved' },
      },
    ]);
  });

  it('refuses a step out of order (409 naming what is possible) and one by a caller it is not for (403)', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    const early = recheckAssessment(f.deps, city, r.id);
    await expect(early).rejects.toThrow(ConflictError);
    await expect(early).rejects.toThrow(
      `cannot recheck assessment ${r.id}: it is scored (当前状态不能进行此步骤); possible now: approve, withdraw`,
    );
    const otherAdmin: Actor = { subject: 'sc-admin', role: 'district_admin', district: '上城区' };
    await expect(approveAssessment(f.deps, otherAdmin, r.id)).rejects.toThrow(
      'a 上城区 officer may not act on a clinic in 西湖区 (只能处理本辖区的诊所)',
    );
    await expect(approveAssessment(f.deps, city, r.id)).rejects.toThrow(ForbiddenError);
    expect(f.result(r.id)?.status).toBe('scored');
    expect(f.audit).toHaveLength(1);
  });

  it('takes a step a caller could not take when it follows from an action already authorised', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    const stored = await takeStep(f.deps, westLake, r.id, 'withdraw', {
      authorised: true,
      change: () => ({ withdrawnFor: 'closed' }),
    });
    expect(stored).toMatchObject({ status: 'withdrawn', withdrawnFor: 'closed', lastAction: 'withdraw' });
    await expect(takeStep(f.deps, westLake, r.id, 'withdraw')).rejects.toThrow(ForbiddenError);
  });

  it('takes no step on a result of a closed institution', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    f.putProfile({ ...clinic, closed: true, closedOn: '2026-11-23' });
    await expect(approveAssessment(f.deps, westLakeAdmin, r.id)).rejects.toThrow(
      'the institution is closed (机构已注销/停业)',
    );
  });

  it('is 404 for a step on an unknown assessment', async () => {
    const f = setup();
    await expect(approveAssessment(f.deps, westLakeAdmin, 'nope')).rejects.toThrow(
      'no assessment with id nope',
    );
  });
});

describe('a step racing another change to the result', () => {
  it('is decided again on the new state, up to four attempts', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    const lost = f.failing('results.replace', () => new StaleWriteError('changed concurrently'), 3);
    expect((await approveAssessment(f.deps, westLakeAdmin, r.id)).status).toBe('approved');
    expect(lost()).toBe(3);
  });

  it('gives up with 409 after the fourth lost write, writing nothing', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    const lost = f.failing('results.replace', () => new StaleWriteError('changed concurrently'));
    await expect(approveAssessment(f.deps, westLakeAdmin, r.id)).rejects.toThrow(StaleWriteError);
    expect(lost()).toBe(4);
    expect(f.result(r.id)?.status).toBe('scored');
  });

  it('passes on at once a failure that is not a lost race', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    const failed = f.failing('results.replace', () => new Error('table unavailable'));
    await expect(approveAssessment(f.deps, westLakeAdmin, r.id)).rejects.toThrow('table unavailable');
    expect(failed()).toBe(1);
  });

  it('answers the repeat of a step already taken 409, after finishing what the first left undone', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, westLake, scoring(clinic.uscc, 90));
    f.failing('audit.record', () => new Error('audit unavailable'), 1);
    await expect(approveAssessment(f.deps, westLakeAdmin, r.id)).rejects.toThrow('audit unavailable');
    expect(f.result(r.id)?.status).toBe('approved');
    const repeat = approveAssessment(f.deps, westLakeAdmin, r.id);
    await expect(repeat).rejects.toThrow(ConflictError);
    await expect(repeat).rejects.toThrow(`cannot approve assessment ${r.id}: it is approved`);
    expect(f.audit.map((a) => a.id)).toEqual([`score:${r.id}`, `approve:${r.id}`]);
  });
});

describe('publiciseAssessment', () => {
  it('runs 5 working days from today by default, shown on the profile, in the feed and to the institution', async () => {
    const f = setup();
    const r = await hospitalInPublicity(f);
    expect(r).toMatchObject({
      status: 'in_publicity',
      publicity: { startOn: '2026-11-23', endOn: '2026-11-27' },
    });
    expect(f.result(r.id)?.publicity).toEqual({ startOn: '2026-11-23', endOn: '2026-11-27' });
    expect(f.profile(hospital.uscc).publicity).toEqual({
      resultId: r.id,
      proposedGrade: 'B',
      score: 90,
      startOn: '2026-11-23',
      endOn: '2026-11-27',
    });
    expect(f.events.map((e) => e.type)).toEqual(['publicity_started']);
    expect(f.notices.intents.map((n) => n.kind)).toEqual(['publicity_started']);
  });

  it('starts on a later day when asked, and on the next working day after a weekend', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, city, scoring(hospital.uscc, 90));
    const posted = await publiciseAssessment(f.deps, city, r.id, '2026-11-28');
    expect(posted.publicity).toEqual({ startOn: '2026-11-30', endOn: '2026-12-04' });
  });

  it('accepts today as the start and refuses a day in the past with 400 naming startOn', async () => {
    const f = setup();
    const r = await scoreAssessment(f.deps, city, scoring(hospital.uscc, 90));
    const past = publiciseAssessment(f.deps, city, r.id, '2026-11-22');
    await expect(past).rejects.toThrow(ValidationError);
    await expect(past).rejects.toThrow('startOn 2026-11-22 is in the past');
    const err = (await past.catch((e) => e)) as ValidationError;
    expect(err.errors).toEqual([{ path: 'startOn', message: 'must be today (2026-11-23) or later' }]);
    expect(f.result(r.id)?.status).toBe('scored');
    expect((await publiciseAssessment(f.deps, city, r.id, '2026-11-23')).publicity?.startOn).toBe(
      '2026-11-23',
    );
  });

  it('refuses while another result of the institution is in publicity, to the last day of it', async () => {
    const f = setup();
    const first = await hospitalInPublicity(f);
    const second = await scoreAssessment(f.deps, city, scoring(hospital.uscc, 96));
    f.clock.set('2026-11-27T23:00:00+08:00');
    const act = publiciseAssessment(f.deps, city, second.id);
    await expect(act).rejects.toThrow(ConflictError);
    await expect(act).rejects.toThrow(
      `assessment ${first.id} of this institution is already in publicity until 2026-11-27`,
    );
    f.clock.set('2026-11-30T09:00:00+08:00');
    expect((await publiciseAssessment(f.deps, city, second.id)).publicity).toEqual({
      startOn: '2026-11-30',
      endOn: '2026-12-04',
    });
  });

  it('refuses with 422 a window the working-day calendar does not cover, and passes on other calendar failures', async () => {
    const f = setup('2026-12-28T10:00:00+08:00');
    const r = await scoreAssessment(f.deps, city, scoring(hospital.uscc, 90));
    const act = publiciseAssessment(f.deps, city, r.id);
    await expect(act).rejects.toThrow(RuleViolationError);
    await expect(act).rejects.toThrow(
      /the working-day calendar does not cover this publicity's 5 working days/,
    );
    await expect(publiciseAssessment(f.deps, city, r.id, '2026-12-32')).rejects.toThrow(ValidationError);
    expect(f.result(r.id)?.status).toBe('scored');
  });
});

describe('publishAssessment', () => {
  it('waits for the end of publicity, then publishes with the re-review due by the grade', async () => {
    const f = setup();
    const r = await hospitalInPublicity(f, 88);
    f.clock.set('2026-11-27T23:59:00+08:00');
    await expect(publishAssessment(f.deps, guidance, r.id)).rejects.toThrow(
      'publicity runs until 24:00 of 2026-11-27; the result can be published from the next day (公示期未满)',
    );
    f.clock.set('2026-11-28T09:00:00+08:00');
    const published = await publishAssessment(f.deps, guidance, r.id);
    expect(published).toMatchObject({
      status: 'published',
      grade: 'B',
      publishedOn: '2026-11-28',
      nextReviewDue: '2029-11-28',
      openObjections: 0,
      previousStatus: 'in_publicity',
    });
    expect(published).not.toHaveProperty('proposedGrade');
    expect(f.profile(hospital.uscc)).toMatchObject({ grade: 'B', currentResultId: r.id });
  });

  it('waits while an objection is open; a dismissed one does not hold it', async () => {
    const f = setup();
    const r = await hospitalInPublicity(f);
    f.objections.push(
      { id: 'o1', resultId: r.id, lodgedAt: 'x', text: 't', status: 'open' },
      { id: 'o2', resultId: r.id, lodgedAt: 'x', text: 't', status: 'open' },
      { id: 'o3', resultId: r.id, lodgedAt: 'x', text: 't', status: 'dismissed' },
    );
    f.clock.set('2026-11-28T09:00:00+08:00');
    await expect(publishAssessment(f.deps, guidance, r.id)).rejects.toThrow(
      '2 objection(s) are still open; decide them before publishing (存在未处理的异议)',
    );
    f.objections.splice(0, 2);
    expect((await publishAssessment(f.deps, guidance, r.id)).status).toBe('published');
  });

  it('publishes a first result no higher than a violation during its publicity allows, keeping the proposed grade', async () => {
    const f = setup();
    const r = await hospitalInPublicity(f, 96);
    f.violations.push(violationOf(hospital.uscc, { occurredOn: '2026-11-24', severity: 'severe' }));
    f.clock.set('2026-11-28T09:00:00+08:00');
    const published = await publishAssessment(f.deps, guidance, r.id);
    expect(published).toMatchObject({
      grade: 'D',
      proposedGrade: 'A',
      publishedOn: '2026-11-28',
      nextReviewDue: '2027-11-28',
    });
    expect(f.profile(hospital.uscc).history[0]).toMatchObject({ grade: 'D', proposedGrade: 'A' });
  });

  it('leaves the grade of a first result when the violation came before its assessment', async () => {
    const f = setup();
    const r = await hospitalInPublicity(f, 96);
    f.violations.push(violationOf(hospital.uscc, { occurredOn: '2026-11-19', severity: 'severe' }));
    f.clock.set('2026-11-28T09:00:00+08:00');
    const published = await publishAssessment(f.deps, guidance, r.id);
    expect(published).toMatchObject({ grade: 'A', nextReviewDue: '2030-11-28' });
    expect(published).not.toHaveProperty('proposedGrade');
  });

  it('publishes, withdraws and re-publicises nothing twice', async () => {
    const f = setup();
    const r = await hospitalInPublicity(f);
    f.clock.set('2026-11-28T09:00:00+08:00');
    await publishAssessment(f.deps, guidance, r.id);
    await expect(withdrawAssessment(f.deps, city, r.id)).rejects.toThrow(
      `cannot withdraw assessment ${r.id}: it is published (当前状态不能进行此步骤); possible now: nothing (final)`,
    );
    await expect(publishAssessment(f.deps, guidance, r.id)).rejects.toThrow(ConflictError);
  });
});

/** A violation recorded against an institution before its first publication (no grade to lower yet). */
function violationOf(uscc: string, v: Partial<StoredViolation>): StoredViolation {
  const none = {
    gradeBefore: null,
    gradeAfter: null,
    nextReviewDue: null,
    score: null,
    downgradeResultId: null,
  };
  return violationFixture({ uscc, ...none, occurredOn: '2026-11-24', recordedOn: '2026-11-24', ...v });
}
