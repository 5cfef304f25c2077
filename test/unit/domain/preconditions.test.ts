import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
