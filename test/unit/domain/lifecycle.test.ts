import { describe, expect, it } from 'vitest';
import {
  authoriseAction,
  effectiveStatus,
  isFinalStatus,
  legalActions,
  nextStatus,
  RESULT_ACTIONS,
  type ResultAction,
} from '../../../shared/domain/lifecycle.ts';
import type { ActingParty } from '../../../shared/domain/permissions.ts';
import { KINDS, type Kind, RESULT_STATUSES, type ResultStatus, ROLES } from '../../../shared/domain/types.ts';

/** Every legal transition; anything not listed here must be refused. */
const LEGAL: Record<Kind, [ResultStatus, ResultAction, ResultStatus][]> = {
  clinic: [
    ['scored', 'approve', 'approved'],
    ['scored', 'withdraw', 'withdrawn'],
    ['approved', 'recheck', 'rechecked'],
    ['approved', 'withdraw', 'withdrawn'],
    ['rechecked', 'publicise', 'in_publicity'],
    ['rechecked', 'withdraw', 'withdrawn'],
    ['in_publicity', 'end_publicity', 'publicity_ended'],
    ['in_publicity', 'withdraw', 'withdrawn'],
    ['publicity_ended', 'publish', 'published'],
    ['publicity_ended', 'withdraw', 'withdrawn'],
  ],
  hospital: [
    ['scored', 'publicise', 'in_publicity'],
    ['scored', 'withdraw', 'withdrawn'],
    ['in_publicity', 'end_publicity', 'publicity_ended'],
    ['in_publicity', 'withdraw', 'withdrawn'],
    ['publicity_ended', 'publish', 'published'],
    ['publicity_ended', 'withdraw', 'withdrawn'],
  ],
  outpatient: [],
};
LEGAL.outpatient = LEGAL.hospital;

describe('nextStatus', () => {
  const cases = KINDS.flatMap((kind) =>
    RESULT_STATUSES.flatMap((from) =>
      RESULT_ACTIONS.map((action) => {
        const legal = LEGAL[kind].find(([f, a]) => f === from && a === action);
        return [kind, from, action, legal ? legal[2] : null] as const;
      }),
    ),
  );

  it('covers every kind × status × action', () => {
    expect(cases).toHaveLength(3 * 7 * 6);
    expect(cases.filter((c) => c[3] !== null)).toHaveLength(10 + 6 + 6);
  });

  it.each(cases)('%s: %s --%s--> %s', (kind, from, action, to) => {
    expect(nextStatus(kind, from, action)).toBe(to);
  });

  it('never leaves a final status', () => {
    for (const kind of KINDS) {
      for (const status of RESULT_STATUSES.filter(isFinalStatus))
        expect(legalActions(kind, status)).toEqual([]);
    }
    expect(RESULT_STATUSES.filter(isFinalStatus)).toEqual(['published', 'withdrawn']);
  });

  it('lists legal actions in order', () => {
    expect(legalActions('clinic', 'scored')).toEqual(['approve', 'withdraw']);
    expect(legalActions('hospital', 'scored')).toEqual(['publicise', 'withdraw']);
    expect(legalActions('hospital', 'approved')).toEqual([]);
  });
});

describe('publication timing', () => {
  it('effectiveStatus ends publicity the day after endOn', () => {
    expect(effectiveStatus('in_publicity', '2026-10-12', '2026-10-12')).toBe('in_publicity');
    expect(effectiveStatus('in_publicity', '2026-10-12', '2026-10-13')).toBe('publicity_ended');
    expect(effectiveStatus('published', '2026-10-12', '2026-10-13')).toBe('published');
    expect(effectiveStatus('in_publicity', null, '2026-10-13')).toBe('in_publicity');
  });
});

const city: ActingParty = { role: 'city' };
const xihuAdmin: ActingParty = { role: 'district_admin', district: '西湖区' };
const guidance: ActingParty = { role: 'guidance' };
const institution: ActingParty = { role: 'institution', uscc: '91350100M000100Y43' };
const system: ActingParty = { role: 'system' };

describe('authoriseAction', () => {
  it('follows the permission table: district_admin approves, the city re-checks, publicises and withdraws, guidance publishes', () => {
    const allowedRoles = (action: ResultAction) =>
      ROLES.filter(
        (role) =>
          authoriseAction(
            { role, district: '西湖区', uscc: '91350100M000100Y43' },
            { action, kind: 'clinic', district: '西湖区' },
          ).allowed,
      );
    expect(Object.fromEntries(RESULT_ACTIONS.map((a) => [a, allowedRoles(a)]))).toEqual({
      approve: ['district_admin'],
      recheck: ['city'],
      publicise: ['city'],
      end_publicity: [],
      publish: ['guidance'],
      withdraw: ['city'],
    });
  });

  it('lets the system job end publicity and nothing else', () => {
    for (const action of RESULT_ACTIONS) {
      const decision = authoriseAction(system, { action, kind: 'hospital', district: '西湖区' });
      expect(decision.allowed).toBe(action === 'end_publicity');
    }
  });

  it('limits a district_admin to clinics of its own district', () => {
    const approve = (kind: Kind, district: string, actor = xihuAdmin) =>
      authoriseAction(actor, { action: 'approve', kind, district });
    expect(approve('clinic', '西湖区')).toEqual({ allowed: true });
    expect(approve('clinic', '滨江区')).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('滨江区'),
    });
    expect(approve('hospital', '西湖区').allowed).toBe(false);
    expect(approve('clinic', '西湖区', { role: 'district_admin' }).allowed).toBe(false);
  });

  it('refuses the public and institutions everything', () => {
    for (const action of RESULT_ACTIONS) {
      expect(
        authoriseAction({ role: 'public' }, { action, kind: 'clinic', district: '西湖区' }).allowed,
      ).toBe(false);
      expect(authoriseAction(institution, { action, kind: 'clinic', district: '西湖区' }).allowed).toBe(
        false,
      );
    }
  });

  it('lets the city and the guidance group act on every kind in every district, with no district claim', () => {
    const hospital = { kind: 'hospital' as const, district: '西湖区' };
    const binjiangClinic = { kind: 'clinic' as const, district: '滨江区' };
    for (const target of [hospital, binjiangClinic]) {
      expect(authoriseAction(city, { action: 'publicise', ...target })).toEqual({ allowed: true });
      expect(authoriseAction(city, { action: 'withdraw', ...target })).toEqual({ allowed: true });
      expect(authoriseAction(guidance, { action: 'publish', ...target })).toEqual({ allowed: true });
    }
    expect(authoriseAction(city, { action: 'recheck', ...binjiangClinic })).toEqual({ allowed: true });
  });

  it('names the roles that may act when refusing another', () => {
    const hospital = { kind: 'hospital' as const, district: '西湖区' };
    expect(authoriseAction(city, { action: 'publish', ...hospital })).toEqual({
      allowed: false,
      reason: 'only guidance may call postV1AdminAssessmentsByIdPublish, not city',
    });
    expect(authoriseAction(system, { action: 'publish', ...hospital })).toEqual({
      allowed: false,
      reason: 'the system may not publish a result',
    });
  });
});

describe('authoriseAction, ending a publicity', () => {
  it('is the daily job’s alone: any role is told so', () => {
    for (const role of ['city', 'guidance', 'district'] as const) {
      expect(
        authoriseAction(
          { role, district: '西湖区' },
          { action: 'end_publicity', kind: 'hospital', district: '西湖区' },
        ),
      ).toEqual({ allowed: false, reason: 'publicity ends by itself (the daily job)' });
    }
  });
});
