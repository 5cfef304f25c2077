import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/domain/errors.ts';
import {
  type ActingParty,
  authorise,
  concealFrom,
  grantOf,
  inSight,
  PERMISSIONS,
  PUBLIC,
  rolesOf,
  SCOPES,
  scopeOf,
  sees,
  sightOf,
} from '../../../shared/domain/permissions.ts';
import { ROLES } from '../../../shared/domain/types.ts';

const city: ActingParty = { role: 'city' };
const guidance: ActingParty = { role: 'guidance' };
const xihuDistrict: ActingParty = { role: 'district', district: '西湖区' };
const xihuAdmin: ActingParty = { role: 'district_admin', district: '西湖区' };
const institution: ActingParty = { role: 'institution', uscc: '91350100M000100Y43' };
const association: ActingParty = { role: 'association', association: '中国整形美容协会' };

const xihuClinic = { kind: 'clinic' as const, district: '西湖区' };
const binjiangClinic = { kind: 'clinic' as const, district: '滨江区' };
const hospital = { kind: 'hospital' as const, district: '西湖区' };
const outpatient = { kind: 'outpatient' as const, district: '西湖区' };

describe('the permission table', () => {
  it('names only known roles and scopes', () => {
    for (const [operation, grant] of Object.entries(PERMISSIONS)) {
      if (grant === PUBLIC) continue;
      for (const [role, scope] of Object.entries(grant)) {
        expect(ROLES, operation).toContain(role);
        expect(Object.keys(SCOPES), operation).toContain(scope);
      }
    }
  });

  it('gives an association nothing but its own rating', () => {
    const open = Object.keys(PERMISSIONS).filter((op) =>
      rolesOf(op as keyof typeof PERMISSIONS).includes('association'),
    );
    expect(open.sort()).toEqual([
      'deleteV1AdminInstitutionsByUsccIndustryRating',
      'putV1AdminInstitutionsByUsccIndustryRating',
    ]);
  });

  it('refuses a role missing from an entry, naming the roles it allows', () => {
    expect(authorise('postV1AdminAssessmentsByIdPublish', city)).toEqual({
      allowed: false,
      reason: 'only guidance may call postV1AdminAssessmentsByIdPublish, not city',
    });
    expect(authorise('getV1AdminInstitutionsByUscc', association).allowed).toBe(false);
    expect(authorise('getV1AdminInstitutionsByUscc', { role: 'public' }).allowed).toBe(false);
  });
});

describe('scoring (postV1AdminAssessments): the city its kinds, a district its clinics', () => {
  it.each([
    ['city', city, hospital, true],
    ['city', city, outpatient, true],
    ['city', city, xihuClinic, false],
    ['西湖区 district', xihuDistrict, xihuClinic, true],
    ['西湖区 district', xihuDistrict, binjiangClinic, false],
    ['西湖区 district', xihuDistrict, hospital, false],
    ['西湖区 district', xihuDistrict, outpatient, false],
    ['district without claim', { role: 'district' }, xihuClinic, false],
    ['district_admin', xihuAdmin, xihuClinic, false],
    ['guidance', guidance, hospital, false],
    ['institution', institution, xihuClinic, false],
  ] as const)('%s on %o → %s', (_, actor, institution, allowed) => {
    expect(authorise('postV1AdminAssessments', actor, { institution }).allowed).toBe(allowed);
  });

  it('says why each refusal was made', () => {
    expect(authorise('postV1AdminAssessments', xihuDistrict, { institution: hospital })).toEqual({
      allowed: false,
      reason:
        'a district role acts only on clinics; hospitals and outpatient departments are the city’s (区级仅负责诊所)',
    });
    expect(authorise('postV1AdminAssessments', { role: 'district' }, { institution: xihuClinic })).toEqual({
      allowed: false,
      reason: 'the token carries no district claim (令牌缺少所属区县)',
    });
    expect(authorise('postV1AdminAssessments', city, { institution: xihuClinic })).toEqual({
      allowed: false,
      reason: 'clinics are scored by the district institute of their district (诊所由所在区县监督机构评分)',
    });
    expect(
      authorise('postV1AdminInstitutionsByUsccViolations', xihuDistrict, { institution: binjiangClinic }),
    ).toEqual({
      allowed: false,
      reason: 'a 西湖区 officer may not act on a clinic in 滨江区 (只能处理本辖区的诊所)',
    });
  });
});

describe('registering, updating, closing and violations: the city all, a district its clinics', () => {
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
    ['association', association, xihuClinic, false],
  ] as const)('%s on %o → %s', (_, actor, institution, allowed) => {
    for (const operation of [
      'postV1AdminInstitutions',
      'patchV1AdminInstitutionsByUscc',
      'postV1AdminInstitutionsByUsccClose',
      'postV1AdminInstitutionsByUsccViolations',
    ] as const) {
      expect(authorise(operation, actor, { institution }).allowed, operation).toBe(allowed);
    }
  });
});

describe('an institution acts only on itself', () => {
  const own = '91350100M000100Y43';
  it.each(['postV1InstitutionsByUsccUpgradeApplications', 'putV1InstitutionsByUsccContacts'] as const)(
    '%s',
    (operation) => {
      expect(authorise(operation, institution, { uscc: own })).toEqual({ allowed: true });
      expect(authorise(operation, institution, { uscc: '91110108551385082Q' })).toEqual({
        allowed: false,
        reason: 'an institution acts only on itself (只能处理本机构的事项)',
      });
      for (const actor of [city, guidance, xihuDistrict, xihuAdmin, association]) {
        expect(authorise(operation, { ...actor, uscc: own }, { uscc: own }).allowed).toBe(false);
      }
    },
  );
});

describe('notices: the city all, district roles their clinics, nobody else', () => {
  it('follows the table', () => {
    const see = (actor: ActingParty, institution: typeof hospital | typeof xihuClinic) =>
      authorise('getV1AdminInstitutionsByUsccNotices', actor, { institution }).allowed;
    expect(see(city, hospital)).toBe(true);
    expect(see(xihuDistrict, xihuClinic)).toBe(true);
    expect(see(xihuAdmin, xihuClinic)).toBe(true);
    expect(see(xihuAdmin, binjiangClinic)).toBe(false);
    expect(see(xihuDistrict, hospital)).toBe(false);
    expect(see(guidance, hospital)).toBe(false);
    expect(see(institution, xihuClinic)).toBe(false);
  });
});

describe('an association’s own rating', () => {
  it('is the only one it may change', () => {
    const put = (ratedBy: string) =>
      authorise('putV1AdminInstitutionsByUsccIndustryRating', association, { ratedBy });
    expect(put('中国整形美容协会')).toEqual({ allowed: true });
    expect(put('浙江省医学会')).toEqual({
      allowed: false,
      reason: '中国整形美容协会 acts only on its own rating, not that of 浙江省医学会',
    });
    expect(
      authorise('deleteV1AdminInstitutionsByUsccIndustryRating', city, { ratedBy: '浙江省医学会' }).allowed,
    ).toBe(true);
  });
});

describe('sight over lists', () => {
  it('is the whole city for the city and the guidance group, the district’s clinics for district roles', () => {
    expect(sightOf('getV1AdminWatchList', city)).toEqual({ district: null });
    expect(sightOf('getV1AdminWatchList', guidance)).toEqual({ district: null });
    const xihu = sightOf('getV1AdminWatchList', xihuAdmin);
    expect(xihu).toEqual({ district: '西湖区' });
    expect(inSight(xihu, xihuClinic)).toBe(true);
    expect(inSight(xihu, binjiangClinic)).toBe(false);
    expect(inSight(xihu, hospital)).toBe(false);
    expect(() => sightOf('getV1AdminWatchList', institution)).toThrow(/may not call getV1AdminWatchList/);
    expect(() => sightOf('getV1AdminWatchList', association)).toThrow(/may not call/);
  });
});

describe('what each role may see', () => {
  it('keeps contacts from the guidance group and everything from associations', () => {
    expect(sees('city', 'contacts')).toBe(true);
    expect(sees('guidance', 'contacts')).toBe(false);
    expect(sees('guidance', 'services')).toBe(true);
    for (const field of ['contacts', 'services', 'objections', 'audit'] as const) {
      expect(sees('association', field)).toBe(false);
      expect(sees('public', field)).toBe(false);
    }
  });
});

describe('the table as the HTTP layer reads it', () => {
  it('gives each named operation its entry, and nothing for an operation it does not name', () => {
    expect(grantOf('getV1Institutions')).toBe(PUBLIC);
    expect(grantOf('postV1AdminAssessmentsByIdPublish')).toEqual({ guidance: 'city-wide' });
    expect(grantOf('deleteV1Everything')).toBeUndefined();
    expect(grantOf('toString')).toBeUndefined();
  });

  it('opens a public operation to no role, as it needs no token', () => {
    expect(rolesOf('getV1Institutions')).toEqual([]);
    expect(scopeOf('getV1Institutions', 'city')).toBeNull();
    expect(scopeOf('postV1AdminAssessments', 'city')).toBe('city-scored');
    expect(scopeOf('postV1AdminAssessments', 'guidance')).toBeNull();
  });

  it('names every role an operation allows when refusing another', () => {
    expect(authorise('postV1AdminInstitutions', guidance)).toEqual({
      allowed: false,
      reason: 'only city or district may call postV1AdminInstitutions, not guidance',
    });
    expect(authorise('postV1AdminInstitutions', xihuDistrict)).toEqual({ allowed: true });
    expect(authorise('postV1AdminAssessments', city)).toEqual({ allowed: true });
  });
});

describe('scopes without the object loaded, or without a claim', () => {
  it('lets an institution act on the institution loaded, when the request named none', () => {
    const op = 'getV1AdminUpgradeApplicationsById';
    const own = { ...xihuClinic, uscc: '91350100M000100Y43' };
    expect(authorise(op, institution, { institution: own })).toEqual({ allowed: true });
    expect(authorise(op, institution, { institution: { ...own, uscc: '91110108551385082Q' } })).toEqual({
      allowed: false,
      reason: 'an institution acts only on itself (只能处理本机构的事项)',
    });
    expect(authorise(op, institution, { uscc: '91110108551385082Q', institution: own }).allowed).toBe(false);
  });

  it('names an association without its claim as this association', () => {
    expect(
      authorise(
        'putV1AdminInstitutionsByUsccIndustryRating',
        { role: 'association' },
        { ratedBy: '浙江省医学会' },
      ),
    ).toEqual({
      allowed: false,
      reason: 'this association acts only on its own rating, not that of 浙江省医学会',
    });
    expect(authorise('putV1AdminInstitutionsByUsccIndustryRating', association)).toEqual({ allowed: true });
  });

  it('refuses a district role without its claim even before the object is loaded', () => {
    expect(authorise('getV1AdminWatchList', { role: 'district' })).toEqual({
      allowed: false,
      reason: 'the token carries no district claim (令牌缺少所属区县)',
    });
    expect(authorise('getV1AdminWatchList', xihuDistrict)).toEqual({ allowed: true });
  });

  it('gives a list no sight to a district role without its claim', () => {
    expect(() => sightOf('getV1AdminWatchList', { role: 'district_admin' })).toThrow(
      new ForbiddenError('district_admin may not call getV1AdminWatchList'),
    );
    expect(inSight({ district: null }, hospital)).toBe(true);
    expect(inSight({ district: '西湖区' }, outpatient)).toBe(false);
  });
});

describe('what each role’s answers leave out', () => {
  const answer = {
    uscc: '91350100M000100Y43',
    contacts: { phones: ['13900000000'] },
    history: [
      {
        actor: { subject: 'u1', role: 'city' },
        after: { phones: ['13900000000'], wechatOpenIds: ['o1'], liposuction: true, grade: 'B' },
      },
    ],
    services: { generalAnesthesia: true, prepaidNonCompliant: false },
    objections: [{ text: '评分过高' }],
    decidedBy: 'u2',
  };

  it('leaves nothing out for the city', () => {
    expect(concealFrom('city', answer)).toBe(answer);
  });

  it('leaves contacts out for the guidance group, at any depth', () => {
    expect(concealFrom('guidance', answer)).toEqual({
      uscc: '91350100M000100Y43',
      history: [{ actor: { subject: 'u1', role: 'city' }, after: { liposuction: true, grade: 'B' } }],
      services: { generalAnesthesia: true, prepaidNonCompliant: false },
      objections: [{ text: '评分过高' }],
      decidedBy: 'u2',
    });
  });

  it('leaves an institution its contacts only', () => {
    expect(concealFrom('institution', answer)).toEqual({
      uscc: '91350100M000100Y43',
      contacts: { phones: ['13900000000'] },
      history: [{ after: { phones: ['13900000000'], wechatOpenIds: ['o1'], grade: 'B' } }],
    });
    expect(concealFrom('public', [answer, null, 3])).toEqual([
      { uscc: '91350100M000100Y43', history: [{ after: { grade: 'B' } }] },
      null,
      3,
    ]);
  });
});
