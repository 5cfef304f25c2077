import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError } from '#shared/domain/errors.ts';
import {
  enforce,
  firstPublicityCap,
  LIFECYCLE_ACTIONS,
  LIFECYCLE_TABLE,
  type LifecycleAction,
  type LifecycleFacts,
  type PreconditionName,
  preconditionCount,
  refusal,
} from '#shared/domain/preconditions.ts';
import { upgradeBanEnd } from '#shared/domain/upgrade.ts';
import { LIFECYCLE_DOC, withTable } from '../../../scripts/lifecycle-doc.ts';

const TODAY = '2026-12-07';
const result = (status: NonNullable<LifecycleFacts['result']>['status'], over = {}) => ({
  id: 'r1',
  kind: 'hospital' as const,
  status,
  grade: 'B' as const,
  assessedOn: '2026-11-20',
  publicity: { startOn: '2026-12-01', endOn: '2026-12-07' },
  ...over,
});

/** Facts under which `action` may be taken. */
const allowed: Record<LifecycleAction, LifecycleFacts> = {
  score: { today: TODAY, institution: { closed: false, grade: null }, reason: 'initial' },
  approve: {
    today: TODAY,
    institution: { closed: false, grade: null },
    result: result('scored', { kind: 'clinic', publicity: null }),
  },
  recheck: {
    today: TODAY,
    institution: { closed: false, grade: null },
    result: result('approved', { kind: 'clinic', publicity: null }),
  },
  publicise: {
    today: TODAY,
    institution: { closed: false, grade: null },
    result: result('scored', { publicity: null }),
    otherPublicityUntil: null,
    calendarCovers: true,
  },
  object: { today: TODAY, institution: { closed: false, grade: null }, result: result('in_publicity') },
  end_publicity: {
    today: '2026-12-08',
    institution: { closed: false, grade: null },
    result: result('in_publicity'),
  },
  publish: {
    today: '2026-12-08',
    institution: { closed: false, grade: 'C' },
    result: result('publicity_ended'),
    openObjections: 0,
    violations: [],
  },
  withdraw: { today: TODAY, institution: { closed: true, grade: null }, result: result('scored') },
  record_violation: { today: TODAY, institution: { closed: true, grade: null } },
  close: { today: TODAY, institution: { closed: false, grade: 'A' } },
  apply_upgrade: {
    today: TODAY,
    institution: { closed: false, grade: 'C', upgradeYears: [2025], upgradeBanUntil: '2026-12-07' },
  },
  decide_upgrade: { today: TODAY, institution: { closed: false, grade: 'C' }, applicationStatus: 'pending' },
};

/** How to break each precondition while the ones before it still hold. */
const breaks: Record<PreconditionName, (f: LifecycleFacts, action: LifecycleAction) => LifecycleFacts> = {
  'institution-open': (f) => ({ ...f, institution: { ...f.institution, closed: true } }),
  'scored-directly': (f) => ({ ...f, reason: 'upgrade' }),
  'step-legal': (f, action) => ({
    ...f,
    result: result(action === 'end_publicity' ? 'published' : 'withdrawn', { publicity: null }),
  }),
  'no-other-publicity': (f) => ({ ...f, otherPublicityUntil: { resultId: 'r0', endOn: TODAY } }),
  'calendar-covers': (f) => ({ ...f, calendarCovers: false }),
  'in-publicity': (f) => ({ ...f, result: result('publicity_ended') }),
  'publicity-started': (f) => ({
    ...f,
    result: result('in_publicity', { publicity: { startOn: '2026-12-08', endOn: '2026-12-14' } }),
  }),
  'publicity-running': (f) => ({ ...f, today: '2026-12-08' }),
  'publicity-ended': (f) => ({ ...f, today: '2026-12-07', result: result('in_publicity') }),
  'no-open-objections': (f) => ({ ...f, openObjections: 2 }),
  'downgrade-not-lifted': (f) => ({
    ...f,
    violations: [
      {
        occurredOn: '2026-12-03',
        severity: 'serious',
        gradeBefore: 'B',
        gradeAfter: 'D',
        recordedOn: '2026-12-03',
      },
    ],
  }),
  'upgradable-grade': (f) => ({ ...f, institution: { ...f.institution, grade: 'A' } }),
  'not-banned': (f) => ({ ...f, institution: { ...f.institution, upgradeBanUntil: '2027-01-01' } }),
  'once-a-year': (f) => ({ ...f, institution: { ...f.institution, upgradeYears: [2026] } }),
  'application-pending': (f) => ({ ...f, applicationStatus: 'accepted' }),
};

const cells = LIFECYCLE_ACTIONS.flatMap((action) =>
  LIFECYCLE_TABLE[action].map((name) => [action, name] as const),
);

describe('the lifecycle table', () => {
  it.each(LIFECYCLE_ACTIONS)('allows %s when every precondition holds', (action) => {
    expect(refusal(action, allowed[action])).toBeNull();
    expect(() => enforce(action, allowed[action])).not.toThrow();
  });

  it.each(cells)('refuses %s naming %s when it fails', (action, name) => {
    const refused = refusal(action, breaks[name](allowed[action], action));
    expect(refused).toMatchObject({ action, precondition: name });
    expect(refused?.message).not.toBe('');
    expect(() => enforce(action, breaks[name](allowed[action], action))).toThrow(
      expect.objectContaining({ message: refused?.message }),
    );
  });

  it('has one cell per action and precondition', () => {
    expect(cells).toHaveLength(preconditionCount());
  });

  it('gives the end of an upgrade ban with the refusal', () => {
    expect(
      refusal('apply_upgrade', breaks['not-banned'](allowed.apply_upgrade, 'apply_upgrade'))?.details,
    ).toEqual({
      banUntil: '2027-01-01',
    });
  });

  it('is what docs/lifecycle.md shows', () => {
    const doc = readFileSync(LIFECYCLE_DOC, 'utf8');
    expect(withTable(doc), 'run npm run docs:lifecycle').toBe(doc);
  });
});

describe('a violation during a first publicity', () => {
  const v = (severity: 'minor' | 'general' | 'serious' | 'severe', occurredOn = '2026-12-02') => ({
    occurredOn,
    severity,
    gradeBefore: null,
    gradeAfter: null,
    recordedOn: occurredOn,
  });
  const proposed = { grade: 'A' as const, assessedOn: '2026-12-01' };

  it('caps the proposed grade by severity', () => {
    expect(firstPublicityCap(proposed, [v('minor')])).toBeNull();
    expect(firstPublicityCap(proposed, [v('general')])?.grade).toBe('B');
    expect(firstPublicityCap(proposed, [v('serious')])?.grade).toBe('C');
    expect(firstPublicityCap(proposed, [v('general'), v('severe'), v('serious')])?.grade).toBe('D');
  });

  it('counts two violations on one day cumulatively, as downgrades of a graded institution are', () => {
    expect(firstPublicityCap(proposed, [v('general'), v('general')])?.grade).toBe('C');
    expect(firstPublicityCap(proposed, [v('general'), v('minor')])?.grade).toBe('B');
  });
  it('ignores violations before the assessment and those of a graded institution', () => {
    expect(firstPublicityCap(proposed, [v('severe', '2026-11-30')])).toBeNull();
    expect(firstPublicityCap(proposed, [{ ...v('severe'), gradeBefore: 'B', gradeAfter: 'D' }])).toBeNull();
  });
});

describe('the 2-year upgrade ban after an untrue finding', () => {
  it('counts the day of the finding as its first day: the institution may apply again on the same date 2 years later', () => {
    const banUntil = upgradeBanEnd('2026-12-07');
    expect(banUntil).toBe('2028-12-07');
    const apply = (today: string) =>
      refusal('apply_upgrade', {
        today,
        institution: { closed: false, grade: 'C', upgradeBanUntil: banUntil },
      });
    expect(apply('2026-12-07')?.precondition).toBe('not-banned');
    expect(apply('2028-12-06')?.precondition).toBe('not-banned');
    expect(apply('2028-12-07')).toBeNull();
  });
});

describe('what a refusal says', () => {
  const closed = 'the institution is closed (机构已注销/停业)';
  const publicityOver = 'objections are taken only during publicity';
  /** Each cell's message, word for word as the 409 or 422 body carries it, with its status and code. */
  const said: Record<string, [status: number, code: string, message: string]> = {
    'score/institution-open': [409, 'institution-open', closed],
    'score/scored-directly': [
      422,
      'upgrade-via-application',
      'an upgrade result comes only from an accepted upgrade application: POST /v1/institutions/{uscc}/upgrade-applications, then POST /v1/admin/upgrade-applications/{id}/decision (主动升级须经申请)',
    ],
    'approve/institution-open': [409, 'institution-open', closed],
    'approve/step-legal': [
      409,
      'step-not-legal',
      'cannot approve assessment r1: it is withdrawn (当前状态不能进行此步骤); possible now: nothing (final)',
    ],
    'recheck/institution-open': [409, 'institution-open', closed],
    'recheck/step-legal': [
      409,
      'step-not-legal',
      'cannot recheck assessment r1: it is withdrawn (当前状态不能进行此步骤); possible now: nothing (final)',
    ],
    'publicise/institution-open': [409, 'institution-open', closed],
    'publicise/step-legal': [
      409,
      'step-not-legal',
      'cannot publicise assessment r1: it is withdrawn (当前状态不能进行此步骤); possible now: nothing (final)',
    ],
    'publicise/no-other-publicity': [
      409,
      'other-publicity-running',
      'assessment r0 of this institution is already in publicity until 2026-12-07',
    ],
    'publicise/calendar-covers': [
      422,
      'calendar-not-covered',
      "the working-day calendar does not cover this publicity's 5 working days; the operator adds the next year's official schedule (docs/calendar.md)",
    ],
    'object/institution-open': [409, 'institution-open', closed],
    'object/in-publicity': [409, 'not-in-publicity', `assessment r1 is not in publicity; ${publicityOver}`],
    'object/publicity-started': [
      409,
      'publicity-not-started',
      `the publicity of assessment r1 begins on 2026-12-08; ${publicityOver}`,
    ],
    'object/publicity-running': [
      409,
      'publicity-over',
      `the publicity of assessment r1 ended at 24:00 of 2026-12-07 (公示期满); ${publicityOver}`,
    ],
    'end_publicity/publicity-ended': [
      409,
      'publicity-not-ended',
      'publicity runs until 24:00 of 2026-12-07; the result can be published from the next day (公示期未满)',
    ],
    'end_publicity/step-legal': [
      409,
      'step-not-legal',
      'cannot end_publicity assessment r1: it is published (当前状态不能进行此步骤); possible now: nothing (final)',
    ],
    'publish/institution-open': [409, 'institution-open', closed],
    'publish/publicity-ended': [
      409,
      'publicity-not-ended',
      'publicity runs until 24:00 of 2026-12-07; the result can be published from the next day (公示期未满)',
    ],
    'publish/step-legal': [
      409,
      'step-not-legal',
      'cannot publish assessment r1: it is withdrawn (当前状态不能进行此步骤); possible now: nothing (final)',
    ],
    'publish/no-open-objections': [
      409,
      'objections-open',
      '2 objection(s) are still open; decide them before publishing (存在未处理的异议)',
    ],
    'publish/downgrade-not-lifted': [
      409,
      'downgrade-stands',
      'the downgrade to D for the violation of 2026-12-03 (recorded 2026-12-03) stands: this result, assessed on 2026-11-20 with grade B, may not lift it; score it again after the violation (降级后须重新评分)',
    ],
    'withdraw/step-legal': [
      409,
      'step-not-legal',
      'cannot withdraw assessment r1: it is withdrawn (当前状态不能进行此步骤); possible now: nothing (final)',
    ],
    'close/institution-open': [
      409,
      'institution-open',
      'the institution is already closed (机构已注销/停业)',
    ],
    'apply_upgrade/institution-open': [409, 'institution-open', closed],
    'apply_upgrade/upgradable-grade': [
      422,
      'grade_not_eligible',
      'A级机构不能申请主动升级（仅B级、C级机构可申请）',
    ],
    'apply_upgrade/not-banned': [
      422,
      'banned',
      '自评不实、隐瞒或欺骗被查实，2年内不得申请主动升级，2027-01-01起可再次申请',
    ],
    'apply_upgrade/once-a-year': [
      422,
      'already_applied_this_year',
      '2026年已申请过主动升级，每个自然年度只能申请一次',
    ],
    'decide_upgrade/institution-open': [409, 'institution-open', closed],
    'decide_upgrade/application-pending': [
      409,
      'application-decided',
      'the upgrade application was already decided (accepted)',
    ],
  };

  it('covers every cell of the table', () => {
    expect(Object.keys(said).sort()).toEqual(cells.map(([a, n]) => `${a}/${n}`).sort());
  });

  it.each(cells)('%s refused by %s: status, code and message', (action, name) => {
    const [status, code, message] = said[`${action}/${name}`] ?? [];
    expect(refusal(action, breaks[name](allowed[action], action))).toEqual({
      action,
      precondition: name,
      code,
      status,
      message,
      details: name === 'not-banned' ? { banUntil: '2027-01-01' } : {},
    });
  });

  it('throws a 409 as a ConflictError naming the precondition', () => {
    const facts = breaks['no-open-objections'](allowed.publish, 'publish');
    const thrown = (() => {
      try {
        enforce('publish', facts);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(ConflictError);
    expect(thrown).toMatchObject({
      precondition: 'no-open-objections',
      message: said['publish/no-open-objections']?.[2],
    });
  });

  it('throws a 422 as a RuleViolationError with its rule, the precondition and the end of a ban', () => {
    const thrown = (facts: LifecycleFacts) => {
      try {
        enforce('apply_upgrade', facts);
      } catch (e) {
        return e;
      }
    };
    const banned = thrown(breaks['not-banned'](allowed.apply_upgrade, 'apply_upgrade'));
    expect(banned).toBeInstanceOf(RuleViolationError);
    expect(banned).toMatchObject({
      rule: 'banned',
      details: { precondition: 'not-banned', banUntil: '2027-01-01' },
    });
    const yearly = thrown(breaks['once-a-year'](allowed.apply_upgrade, 'apply_upgrade'));
    expect(yearly).toBeInstanceOf(RuleViolationError);
    expect((yearly as RuleViolationError).details).toEqual({ precondition: 'once-a-year' });
  });

  it('gives no ban end when another precondition fails, even under a ban', () => {
    const banned = { ...allowed.apply_upgrade.institution, upgradeBanUntil: '2027-01-01' };
    expect(
      refusal('apply_upgrade', { ...allowed.apply_upgrade, institution: { ...banned, grade: 'A' } }),
    ).toMatchObject({ precondition: 'upgradable-grade', details: {} });
    expect(
      refusal('apply_upgrade', { ...allowed.apply_upgrade, institution: { ...banned, closed: true } }),
    ).toMatchObject({ precondition: 'institution-open', details: {} });
  });

  it('names the steps the result may take instead', () => {
    const scored = { ...allowed.approve, result: result('scored', { publicity: null }) };
    expect(refusal('approve', scored)?.message).toBe(
      'cannot approve assessment r1: it is scored (当前状态不能进行此步骤); possible now: publicise, withdraw',
    );
    const clinic = { ...allowed.publicise, result: result('approved', { kind: 'clinic', publicity: null }) };
    expect(refusal('publicise', clinic)?.message).toBe(
      'cannot publicise assessment r1: it is approved (当前状态不能进行此步骤); possible now: recheck, withdraw',
    );
  });
});

describe('the preconditions at their edges', () => {
  it('publishes a result still stored in publicity once its endOn has passed', () => {
    const stored = { ...allowed.publish, result: result('in_publicity') };
    expect(refusal('publish', stored)).toBeNull();
    expect(refusal('publish', { ...stored, today: '2026-12-07' })?.precondition).toBe('publicity-ended');
    expect(refusal('withdraw', { ...stored, today: '2026-12-08' })).toBeNull();
  });

  it('ends publicity from the status the result is stored in, not the one it has today', () => {
    const ended = { ...allowed.end_publicity, result: result('publicity_ended') };
    expect(refusal('end_publicity', ended)).toMatchObject({
      precondition: 'step-legal',
      message:
        'cannot end_publicity assessment r1: it is publicity_ended (当前状态不能进行此步骤); possible now: publish, withdraw',
    });
  });

  it('refuses to publish or end a publicity without its window', () => {
    const noWindow = { ...allowed.publish, result: result('in_publicity', { publicity: null }) };
    expect(refusal('publish', noWindow)?.precondition).toBe('publicity-ended');
    expect(refusal('end_publicity', { ...noWindow })?.precondition).toBe('publicity-ended');
  });

  it('takes objections from the first to the last day of publicity, and only with a window', () => {
    const on = (today: string, publicity = { startOn: '2026-12-01', endOn: '2026-12-07' }) =>
      refusal('object', { ...allowed.object, today, result: result('in_publicity', { publicity }) });
    expect(on('2026-12-01')).toBeNull();
    expect(on('2026-12-07')).toBeNull();
    expect(on('2026-11-30')?.precondition).toBe('publicity-started');
    expect(on('2026-12-08')?.precondition).toBe('publicity-running');
    expect(
      refusal('object', { ...allowed.object, result: result('in_publicity', { publicity: null }) })
        ?.precondition,
    ).toBe('in-publicity');
  });

  it('takes an upgrade reason only from an application, and any other reason directly', () => {
    expect(refusal('score', { ...allowed.score, reason: 'upgrade', fromApplication: true })).toBeNull();
    expect(refusal('score', { ...allowed.score, reason: 'upgrade', fromApplication: false })?.code).toBe(
      'upgrade-via-application',
    );
    expect(refusal('score', { ...allowed.score, reason: 'review', fromApplication: false })).toBeNull();
  });

  it('reads absent counts and coverage as nothing open and covered', () => {
    const { openObjections: _o, ...publish } = allowed.publish;
    expect(refusal('publish', publish)).toBeNull();
    const { calendarCovers: _c, otherPublicityUntil: _p, ...publicise } = allowed.publicise;
    expect(refusal('publicise', publicise)).toBeNull();
    expect(refusal('publish', { ...allowed.publish, openObjections: 1 })?.message).toBe(
      '1 objection(s) are still open; decide them before publishing (存在未处理的异议)',
    );
  });

  it('counts only the applications of the current calendar year', () => {
    const apply = (upgradeYears: number[]) =>
      refusal('apply_upgrade', {
        today: TODAY,
        institution: { closed: false, grade: 'B', upgradeYears, upgradeBanUntil: null },
      });
    expect(apply([2024, 2025, 2027])).toBeNull();
    expect(apply([2025, 2026])?.precondition).toBe('once-a-year');
    expect(
      refusal('apply_upgrade', { today: TODAY, institution: { closed: false, grade: null } }),
    ).toMatchObject({
      precondition: 'upgradable-grade',
      message: '尚未取得公布的评级，不能申请主动升级（仅B级、C级机构可申请）',
    });
  });

  it('refuses a decision on an application that is not pending, whatever its status', () => {
    for (const applicationStatus of ['refused', 'untrue', undefined]) {
      expect(refusal('decide_upgrade', { ...allowed.decide_upgrade, applicationStatus })?.precondition).toBe(
        'application-pending',
      );
    }
  });
});

describe('the cap of a first publicity, in the order the violations happened', () => {
  const v = (severity: 'general' | 'serious', occurredOn: string) => ({
    occurredOn,
    severity,
    gradeBefore: null,
    gradeAfter: null,
    recordedOn: '2026-12-06',
  });
  const proposed = { grade: 'A' as const, assessedOn: '2026-12-01' };

  it('applies them oldest first and names the one that set the cap', () => {
    const serious = v('serious', '2026-12-05');
    const general = v('general', '2026-12-02');
    expect(firstPublicityCap(proposed, [serious, general])).toEqual({ grade: 'D', violation: serious });
    expect(firstPublicityCap(proposed, [general, serious])).toEqual({ grade: 'D', violation: serious });
  });

  it('counts a violation on the day of the assessment', () => {
    expect(firstPublicityCap(proposed, [v('general', '2026-12-01')])?.grade).toBe('B');
  });
});

describe('a precondition about a result, asked without one', () => {
  it('is a programming error, said plainly', () => {
    expect(() => refusal('publish', { today: TODAY, institution: { closed: false, grade: 'C' } })).toThrow(
      new Error('this precondition needs the result'),
    );
  });
});
