import { describe, expect, it } from 'vitest';
import {
  ACTION_ROLES,
  type ActingParty,
  authoriseAction,
  canApplyForUpgrade,
  canRecordViolation,
  canRegister,
  canScore,
  effectiveStatus,
  isFinalStatus,
  legalActions,
  nextStatus,
  RESULT_ACTIONS,
  type ResultAction,
} from '../../../shared/domain/lifecycle.ts';
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
const xihuDistrict: ActingParty = { role: 'district', district: '西湖区' };
const xihuAdmin: ActingParty = { role: 'district_admin', district: '西湖区' };
const guidance: ActingParty = { role: 'guidance' };
const institution: ActingParty = { role: 'institution', uscc: '91350100M000100Y43' };
const system: ActingParty = { role: 'system' };

describe('authoriseAction', () => {
  it('follows ACTION_ROLES', () => {
    expect(ACTION_ROLES).toEqual({
      approve: ['district_admin'],
      recheck: ['city'],
      publicise: ['city'],
      end_publicity: ['city'],
      publish: ['guidance'],
      withdraw: ['city'],
    });
  });

  it('allows exactly the listed roles for each action (own-district clinic)', () => {
    for (const action of RESULT_ACTIONS) {
      for (const role of ROLES) {
        const actor = { role, district: '西湖区', uscc: '91350100M000100Y43' };
        const decision = authoriseAction(actor, { action, kind: 'clinic', district: '西湖区' });
        expect(decision.allowed, `${role} ${action}`).toBe(ACTION_ROLES[action].includes(role));
      }
    }
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
});

describe('canScore, canRegister, canRecordViolation', () => {
  const xihuClinic = { kind: 'clinic' as const, district: '西湖区' };
  const binjiangClinic = { kind: 'clinic' as const, district: '滨江区' };
  const hospital = { kind: 'hospital' as const, district: '西湖区' };
  const outpatient = { kind: 'outpatient' as const, district: '西湖区' };

  it.each([
    ['city', city, hospital, true],
    ['city', city, outpatient, true],
    ['city', city, xihuClinic, false],
    ['西湖区 district', xihuDistrict, xihuClinic, true],
    ['西湖区 district', xihuDistrict, binjiangClinic, false],
    ['西湖区 district', xihuDistrict, hospital, false],
    ['西湖区 district', xihuDistrict, outpatient, false],
    ['district without claim', { role: 'district' } as ActingParty, xihuClinic, false],
    ['district_admin', xihuAdmin, xihuClinic, false],
    ['guidance', guidance, hospital, false],
    ['institution', institution, xihuClinic, false],
  ] as const)('canScore: %s on %o → %s', (_, actor, target, allowed) => {
    expect(canScore(actor, target).allowed).toBe(allowed);
  });

  it.each([
    ['city', city, hospital, true],
    ['city', city, outpatient, true],
    ['city', city, binjiangClinic, true],
    ['西湖区 district', xihuDistrict, xihuClinic, true],
    ['西湖区 district', xihuDistrict, binjiangClinic, false],
    ['西湖区 district', xihuDistrict, hospital, false],
    ['district_admin', xihuAdmin, xihuClinic, false],
    ['guidance', guidance, xihuClinic, false],
    ['institution', institution, xihuClinic, false],
  ] as const)('canRegister and canRecordViolation: %s on %o → %s', (_, actor, target, allowed) => {
    expect(canRegister(actor, target).allowed).toBe(allowed);
    expect(canRecordViolation(actor, target).allowed).toBe(allowed);
  });

  it('says why each refusal was made', () => {
    const hospital = { kind: 'hospital' as const, district: '西湖区' };
    const xihu = { kind: 'clinic' as const, district: '西湖区' };
    const binjiang = { kind: 'clinic' as const, district: '滨江区' };
    expect(canScore(xihuDistrict, hospital)).toEqual({
      allowed: false,
      reason:
        'a district role acts only on clinics; hospitals and outpatient departments are the city’s (区级仅负责诊所)',
    });
    expect(canScore({ role: 'district' }, xihu)).toEqual({
      allowed: false,
      reason: 'the token carries no district claim (令牌缺少所属区县)',
    });
    expect(canScore(city, xihu)).toEqual({
      allowed: false,
      reason: 'clinics are scored by the district institute of their district (诊所由所在区县监督机构评分)',
    });
    expect(canScore(guidance, hospital)).toEqual({
      allowed: false,
      reason: 'guidance may not score institutions',
    });
    expect(canRegister(guidance, hospital)).toEqual({
      allowed: false,
      reason: 'guidance may not register institutions',
    });
    // A district officer refused a violation elsewhere is told why: the other district, not the role.
    expect(canRecordViolation(xihuDistrict, binjiang)).toEqual({
      allowed: false,
      reason: 'a 西湖区 officer may not act on a clinic in 滨江区 (只能处理本辖区的诊所)',
    });
    expect(canApplyForUpgrade(institution, '91110108551385082Q')).toEqual({
      allowed: false,
      reason: 'an institution may apply only for itself (只能为本机构申请)',
    });
  });

  it('explains a cross-district refusal', () => {
    const decision = canScore(xihuDistrict, binjiangClinic);
    expect(decision).toMatchObject({ allowed: false, reason: expect.stringContaining('滨江区') });
    expect(canRecordViolation(guidance, xihuClinic)).toMatchObject({
      reason: expect.stringContaining('violation'),
    });
  });
});

describe('authoriseAction beyond district roles', () => {
  const hospital = { kind: 'hospital' as const, district: '西湖区' };
  const binjiangClinic = { kind: 'clinic' as const, district: '滨江区' };

  it('lets the city and the guidance group act on every kind in every district, with no district claim', () => {
    // The district limit is for district roles only (API.md): city-wide roles carry no district.
    for (const target of [hospital, binjiangClinic]) {
      expect(authoriseAction(city, { action: 'publicise', ...target })).toEqual({ allowed: true });
      expect(authoriseAction(city, { action: 'withdraw', ...target })).toEqual({ allowed: true });
      expect(authoriseAction(guidance, { action: 'publish', ...target })).toEqual({ allowed: true });
    }
    expect(authoriseAction(city, { action: 'recheck', ...binjiangClinic })).toEqual({ allowed: true });
  });

  it('names the roles that may act when refusing another', () => {
    expect(authoriseAction(city, { action: 'publish', ...hospital })).toEqual({
      allowed: false,
      reason: 'only guidance may publish a result, not city',
    });
    expect(authoriseAction(system, { action: 'publish', ...hospital })).toEqual({
      allowed: false,
      reason: 'the system may not publish a result',
    });
  });
});

describe('canApplyForUpgrade', () => {
  it('refuses any other role, even one whose token names the same uscc', () => {
    for (const role of ['city', 'district', 'district_admin', 'guidance', 'public'] as const) {
      expect(canApplyForUpgrade({ role, uscc: '91350100M000100Y43' }, '91350100M000100Y43')).toEqual({
        allowed: false,
        reason: 'only the institution itself may apply for an upgrade',
      });
    }
    expect(canApplyForUpgrade({ role: 'institution' }, '91350100M000100Y43').allowed).toBe(false);
  });

  it('lets an institution apply only for itself', () => {
    expect(canApplyForUpgrade(institution, '91350100M000100Y43')).toEqual({ allowed: true });
    expect(canApplyForUpgrade(institution, '91110108551385082Q').allowed).toBe(false);
    expect(canApplyForUpgrade(city, '91350100M000100Y43').allowed).toBe(false);
  });
});

describe('refusals in words', () => {
  it('names the roles that may take an action and the one that tried', () => {
    expect(
      authoriseAction({ role: 'district' }, { action: 'publish', kind: 'clinic', district: '西湖区' }),
    ).toEqual({
      allowed: false,
      reason: 'only guidance may publish a result, not district',
    });
  });
});
