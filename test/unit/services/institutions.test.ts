import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '#shared/domain/errors.ts';
import type { GradingResult } from '#shared/domain/model.ts';
import type { Actor } from '#shared/domain/types.ts';
import {
  auditTrail,
  CITY_TRAIL,
  closeInstitution,
  getInstitutionForRegulator,
  type RegistrationInput,
  registerInstitution,
  sameRegistration,
  updateInstitution,
} from '#shared/services/institutions.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';
import { privateFixture, profileFixture, usccNo } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';
import { resultFixture } from '../../support/results.ts';

/**
 * Registering, changing, closing and reading an institution as the regulators do (DOMAIN.md "Scope",
 * "Life of a grading result"; API.md "register"): who may, what is stored, the feed event and the audit
 * entry each write leaves, and what a retried write finishes.
 */

const NOW = '2026-11-23T10:00:00+08:00';
const AT = '2026-11-23T10:00:00.000+08:00';
const city: Actor = { subject: 'city-officer', role: 'city' };
const xihu: Actor = { subject: 'xihu-officer', role: 'district', district: '西湖区' };
const guidance: Actor = { subject: 'guidance-member', role: 'guidance' };

const clinic = {
  uscc: usccNo(501),
  name: '西湖美丽医疗美容诊所',
  kind: 'clinic' as const,
  district: '西湖区' as const,
  address: '杭州市西湖区文三路1号',
} satisfies RegistrationInput;

describe('registerInstitution', () => {
  it('stores an ungraded, open institution registered today, with no contacts or high-risk services unless given', async () => {
    const m = memoryWorkflow({ now: NOW });
    const profile = await registerInstitution(m.deps, city, clinic);
    expect(profile).toEqual(
      profileFixture(501, {
        ...clinic,
        grade: null,
        score: null,
        publishedOn: null,
        currentResultId: null,
        nextReviewDue: null,
        registeredOn: '2026-11-23',
        updatedAt: AT,
      }),
    );
    expect(profile).toMatchObject({
      history: [],
      publicity: null,
      closed: false,
      reviewOverdue: false,
      version: 1,
    });
    expect(m.profiles.get(clinic.uscc)).toEqual(profile);
    expect(m.privates.get(clinic.uscc)).toEqual({
      uscc: clinic.uscc,
      contacts: { phones: [], wechatOpenIds: [] },
      services: { generalAnesthesia: false, liposuction: false, prepaidNonCompliant: false },
      upgradeYears: [],
      upgradeBanUntil: null,
      offSiteSupervised: false,
      version: 1,
      updatedAt: AT,
    });
    expect(m.reindexed).toContain(clinic.uscc);
  });

  it('keeps the aliases, contacts, high-risk services and off-site flag it is given', async () => {
    const m = memoryWorkflow({ now: NOW });
    const profile = await registerInstitution(m.deps, xihu, {
      ...clinic,
      aliases: ['西湖美丽'],
      contacts: { phones: ['13900001111'], wechatOpenIds: ['oTEST_openid_000501'] },
      services: { liposuction: true },
      offSiteSupervised: true,
    });
    expect(profile.aliases).toEqual(['西湖美丽']);
    expect(m.privates.get(clinic.uscc)).toMatchObject({
      contacts: { phones: ['13900001111'], wechatOpenIds: ['oTEST_openid_000501'] },
      services: { generalAnesthesia: false, liposuction: true, prepaidNonCompliant: false },
      offSiteSupervised: true,
    });
    const other = memoryWorkflow({ now: NOW });
    await registerInstitution(other.deps, city, {
      ...clinic,
      contacts: { wechatOpenIds: ['oTEST_openid_000501'] },
      services: { generalAnesthesia: true, prepaidNonCompliant: true },
    });
    expect(other.privates.get(clinic.uscc)).toMatchObject({
      contacts: { phones: [], wechatOpenIds: ['oTEST_openid_000501'] },
      services: { generalAnesthesia: true, liposuction: false, prepaidNonCompliant: true },
    });
  });

  it('puts institution_registered in the feed with its name, kind and district', async () => {
    const m = memoryWorkflow({ now: NOW });
    await registerInstitution(m.deps, city, clinic);
    expect(m.events).toEqual([
      {
        key: `institution_registered:${clinic.uscc}`,
        type: 'institution_registered',
        uscc: clinic.uscc,
        district: '西湖区',
        occurredAt: AT,
        before: null,
        after: { name: clinic.name, kind: 'clinic', district: '西湖区' },
      },
    ]);
  });

  it('audits who registered what, the contacts masked and without the history or the reminder', async () => {
    const m = memoryWorkflow({ now: NOW });
    await registerInstitution(m.deps, xihu, {
      ...clinic,
      contacts: { phones: ['13900001111'], wechatOpenIds: ['oTEST_openid_000501'] },
    });
    expect(m.audit).toHaveLength(1);
    const [entry] = m.audit;
    expect(entry).toMatchObject({
      id: `register:${clinic.uscc}`,
      uscc: clinic.uscc,
      at: AT,
      actor: xihu,
      action: 'institution.register',
      before: null,
    });
    const after = entry?.after as { profile: Record<string, unknown>; private: Record<string, unknown> };
    expect(after.profile).toMatchObject({ uscc: clinic.uscc, name: clinic.name, grade: null, version: 1 });
    expect(after.profile).not.toHaveProperty('history');
    expect(after.profile).not.toHaveProperty('nextReminder');
    expect(after.private).toMatchObject({
      contacts: { phones: ['139****1111'], wechatOpenIds: ['oTES****0501'] },
    });
  });

  it('refuses a kind outside the scheme and a general hospital with 422 saying why, storing nothing', async () => {
    const m = memoryWorkflow({ now: NOW });
    const general = registerInstitution(m.deps, city, { ...clinic, kind: 'general_hospital' });
    await expect(general).rejects.toThrow(RuleViolationError);
    await expect(
      registerInstitution(m.deps, city, { ...clinic, kind: 'general_hospital' }),
    ).rejects.toMatchObject({
      rule: 'out_of_scope',
      details: { kind: 'general_hospital' },
      message: expect.stringContaining('kind general_hospital is out of scope'),
    });
    await expect(
      registerInstitution(m.deps, city, { ...clinic, kind: 'hospital', generalHospital: true }),
    ).rejects.toThrow(/general hospital or general outpatient department is out of scope/);
    expect(m.profiles.size).toBe(0);
    expect(m.events).toEqual([]);
    expect(m.audit).toEqual([]);
  });

  it('never refuses a clinic for its name', async () => {
    const m = memoryWorkflow({ now: NOW });
    const named = { ...clinic, name: '杭州美颜医疗美容科技有限公司西湖诊所' };
    await expect(registerInstitution(m.deps, city, named)).resolves.toMatchObject({ name: named.name });
  });

  it('lets a district register only clinics of its own district (403), storing nothing', async () => {
    const m = memoryWorkflow({ now: NOW });
    await expect(registerInstitution(m.deps, xihu, { ...clinic, district: '滨江区' })).rejects.toThrow(
      'a 西湖区 officer may not act on a clinic in 滨江区 (只能处理本辖区的诊所)',
    );
    await expect(registerInstitution(m.deps, xihu, { ...clinic, kind: 'hospital' })).rejects.toThrow(
      ForbiddenError,
    );
    expect(m.profiles.size).toBe(0);
  });

  it('answers a repeated registration 409 naming the uscc, with one event and one audit entry', async () => {
    const m = memoryWorkflow({ now: NOW });
    await registerInstitution(m.deps, city, clinic);
    const again = registerInstitution(m.deps, city, clinic);
    await expect(again).rejects.toThrow(ConflictError);
    await expect(registerInstitution(m.deps, city, clinic)).rejects.toThrow(
      `institution ${clinic.uscc} is already registered`,
    );
    expect(m.events).toHaveLength(1);
    expect(m.audit).toHaveLength(1);
  });

  it('finishes on a retry what a registration that stopped after storing the profile left undone', async () => {
    const m = memoryWorkflow({ now: NOW });
    const stored = profileFixture(501, {
      ...clinic,
      grade: null,
      score: null,
      updatedAt: '2026-11-23T09:59:00.000+08:00',
    });
    m.profiles.set(clinic.uscc, stored);
    await expect(registerInstitution(m.deps, city, { ...clinic, aliases: [] })).rejects.toThrow(
      ConflictError,
    );
    expect(m.privates.get(clinic.uscc)).toMatchObject({
      contacts: { phones: [], wechatOpenIds: [] },
      updatedAt: '2026-11-23T09:59:00.000+08:00',
    });
    expect(m.reindexed).toEqual([clinic.uscc]);
    expect(m.events).toMatchObject([
      { type: 'institution_registered', occurredAt: '2026-11-23T09:59:00.000+08:00' },
    ]);
    expect(m.audit).toMatchObject([
      { id: `register:${clinic.uscc}`, actor: city, at: '2026-11-23T09:59:00.000+08:00' },
    ]);
  });

  it('finishes nothing for a different registration of a uscc already taken', async () => {
    const m = memoryWorkflow({ now: NOW });
    m.profiles.set(clinic.uscc, profileFixture(501, { ...clinic, name: '另一家医疗美容诊所' }));
    await expect(registerInstitution(m.deps, city, clinic)).rejects.toThrow(
      `institution ${clinic.uscc} is already registered`,
    );
    expect(m.privates.size).toBe(0);
    expect(m.events).toEqual([]);
    expect(m.audit).toEqual([]);
  });

  it('passes on a store failure other than the uscc being taken', async () => {
    const m = memoryWorkflow({ now: NOW });
    m.deps.writer.create = async () => Promise.reject(new Error('table unavailable'));
    await expect(registerInstitution(m.deps, city, clinic)).rejects.toThrow('table unavailable');
    expect(m.events).toEqual([]);
  });
});

describe('sameRegistration', () => {
  const stored = profileFixture(501, { ...clinic, aliases: ['西湖美丽'] });
  const same = { ...clinic, aliases: ['西湖美丽'] };

  it('is the same registration when name, kind, district, address and aliases agree', () => {
    expect(sameRegistration(stored, same)).toBe(true);
    expect(sameRegistration({ ...stored, aliases: [] }, clinic)).toBe(true);
  });

  it('differs in any one of them', () => {
    expect(sameRegistration(stored, { ...same, name: '别的诊所' })).toBe(false);
    expect(sameRegistration(stored, { ...same, kind: 'outpatient' })).toBe(false);
    expect(sameRegistration(stored, { ...same, district: '滨江区' })).toBe(false);
    expect(sameRegistration(stored, { ...same, address: '杭州市西湖区文三路2号' })).toBe(false);
    expect(sameRegistration(stored, { ...same, aliases: ['另一个'] })).toBe(false);
    expect(sameRegistration(stored, clinic)).toBe(false);
  });
});

describe('updateInstitution', () => {
  const uscc = usccNo(1);
  const seeded = () =>
    memoryWorkflow({
      now: NOW,
      profiles: [profileFixture(1, { aliases: ['旧名'] })],
      privates: [
        privateFixture(1, {
          services: { generalAnesthesia: false, liposuction: true, prepaidNonCompliant: false },
        }),
      ],
    });

  it('changes name, address and aliases, keeping what the change leaves out', async () => {
    const m = seeded();
    const { profile } = await updateInstitution(m.deps, city, uscc, { name: '新名医疗美容诊所' });
    expect(profile).toMatchObject({
      name: '新名医疗美容诊所',
      address: '杭州市西湖区文三路1号',
      aliases: ['旧名'],
      version: 2,
      updatedAt: AT,
      grade: 'B',
    });
    const next = await updateInstitution(m.deps, city, uscc, { address: '杭州市西湖区文三路9号' });
    expect(next.profile).toMatchObject({ name: '新名医疗美容诊所', address: '杭州市西湖区文三路9号' });
    const aliased = await updateInstitution(m.deps, city, uscc, { aliases: ['新别名'] });
    expect(aliased.profile).toMatchObject({
      aliases: ['新别名'],
      address: '杭州市西湖区文三路9号',
      version: 4,
    });
    expect(m.profiles.get(uscc)?.aliases).toEqual(['新别名']);
  });

  it('leaves the profile as it is when only private data changes', async () => {
    const m = seeded();
    const { profile, private: priv } = await updateInstitution(m.deps, city, uscc, {
      contacts: { phones: ['13911112222'] },
    });
    expect(profile).toEqual(profileFixture(1, { aliases: ['旧名'] }));
    expect(m.calls.get('writer.saveProfile')).toBeUndefined();
    expect(priv).toMatchObject({
      contacts: { phones: ['13911112222'], wechatOpenIds: ['oTEST_openid_000001'] },
      version: 2,
      updatedAt: AT,
    });
  });

  it('replaces the contacts given, adds the services given to the stored ones, and sets the off-site flag', async () => {
    const m = seeded();
    const { private: priv } = await updateInstitution(m.deps, city, uscc, {
      contacts: { wechatOpenIds: ['oTEST_openid_999999'] },
      services: { generalAnesthesia: true },
      offSiteSupervised: true,
    });
    expect(priv).toMatchObject({
      contacts: { phones: ['13900000001'], wechatOpenIds: ['oTEST_openid_999999'] },
      services: { generalAnesthesia: true, liposuction: true, prepaidNonCompliant: false },
      offSiteSupervised: true,
    });
    const flagOnly = await updateInstitution(m.deps, city, uscc, { offSiteSupervised: false });
    expect(flagOnly.private).toMatchObject({
      services: { generalAnesthesia: true, liposuction: true },
      offSiteSupervised: false,
      contacts: { phones: ['13900000001'], wechatOpenIds: ['oTEST_openid_999999'] },
    });
    const servicesOnly = await updateInstitution(m.deps, city, uscc, { services: { liposuction: false } });
    expect(servicesOnly.private).toMatchObject({
      offSiteSupervised: false,
      services: { liposuction: false },
    });
  });

  it('writes neither item for a change of nothing, and a profile change leaves the private item alone', async () => {
    const m = seeded();
    const none = await updateInstitution(m.deps, city, uscc, {});
    expect(none.private?.version).toBe(1);
    expect(m.calls.get('writer.saveProfile')).toBeUndefined();
    expect(m.calls.get('writer.savePrivate')).toBeUndefined();
    await updateInstitution(m.deps, city, uscc, { name: '新名医疗美容诊所' });
    expect(m.calls.get('writer.savePrivate')).toBeUndefined();
  });

  it('audits the change with the versions it produced, before and after, contacts masked', async () => {
    const m = seeded();
    await updateInstitution(m.deps, xihu, uscc, {
      name: '新名医疗美容诊所',
      contacts: { phones: ['13911112222'] },
    });
    expect(m.audit).toHaveLength(1);
    const [entry] = m.audit;
    expect(entry).toMatchObject({
      id: 'update:2:2',
      uscc,
      at: AT,
      actor: xihu,
      action: 'institution.update',
    });
    const before = entry?.before as { profile: Record<string, unknown>; private: Record<string, unknown> };
    const after = entry?.after as { profile: Record<string, unknown>; private: Record<string, unknown> };
    expect(before.profile).toMatchObject({ name: '测试1医疗美容诊所', version: 1 });
    expect(after.profile).toMatchObject({ name: '新名医疗美容诊所', version: 2 });
    expect(before.profile).not.toHaveProperty('history');
    expect(after.profile).not.toHaveProperty('nextReminder');
    expect(before.private).toMatchObject({ contacts: { phones: ['139****0001'] } });
    expect(after.private).toMatchObject({ contacts: { phones: ['139****2222'] }, version: 2 });
  });

  it('changes the profile of an institution without a private item, and audits that there is none', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: [profileFixture(1)] });
    const { profile, private: priv } = await updateInstitution(m.deps, city, uscc, {
      address: '杭州市西湖区文三路9号',
      contacts: { phones: ['13911112222'] },
    });
    expect(priv).toBeNull();
    expect(profile.address).toBe('杭州市西湖区文三路9号');
    expect(m.audit).toMatchObject([
      { id: 'update:2:0', before: { private: null }, after: { private: null } },
    ]);
  });

  it('is 404 for an unknown uscc and 403 outside the caller’s district, changing nothing', async () => {
    const m = seeded();
    await expect(updateInstitution(m.deps, city, usccNo(2), { name: 'x' })).rejects.toThrow(NotFoundError);
    const binjiang: Actor = { subject: 'b', role: 'district', district: '滨江区' };
    await expect(updateInstitution(m.deps, binjiang, uscc, { name: '新名医疗美容诊所' })).rejects.toThrow(
      'a 滨江区 officer may not act on a clinic in 西湖区 (只能处理本辖区的诊所)',
    );
    expect(m.profiles.get(uscc)?.version).toBe(1);
    expect(m.audit).toEqual([]);
  });
});

function resultOf(id: string, status: GradingResult['status'], overrides: Partial<GradingResult> = {}) {
  return resultFixture({ id, status, assessor: 'xihu-officer', createdBy: 'xihu-officer', ...overrides });
}

describe('closeInstitution', () => {
  const uscc = usccNo(1);

  it('marks it closed on the day given, or today, and owes it no more reminders', async () => {
    const reminded = profileFixture(1, { nextReminder: { point: 'due_90', on: '2026-10-12' } });
    const m = memoryWorkflow({ now: NOW, profiles: [reminded] });
    const closed = await closeInstitution(m.deps, city, uscc, '2026-11-20');
    expect(closed).toMatchObject({
      closed: true,
      closedOn: '2026-11-20',
      nextReminder: null,
      version: 2,
      updatedAt: AT,
      grade: 'B',
    });
    expect(m.profiles.get(uscc)).toEqual(closed);
    const today = memoryWorkflow({ now: NOW, profiles: [reminded] });
    expect((await closeInstitution(today.deps, city, uscc)).closedOn).toBe('2026-11-23');
  });

  it('puts institution_closed in the feed and audits the profile before and after', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: [profileFixture(1)] });
    await closeInstitution(m.deps, xihu, uscc, '2026-11-20');
    expect(m.events).toEqual([
      {
        key: `institution_closed:${uscc}`,
        type: 'institution_closed',
        uscc,
        district: '西湖区',
        occurredAt: AT,
        before: { closed: false },
        after: { closed: true, closedOn: '2026-11-20' },
      },
    ]);
    expect(m.audit).toHaveLength(1);
    const [entry] = m.audit;
    expect(entry).toMatchObject({
      id: `close:${uscc}`,
      uscc,
      at: AT,
      actor: xihu,
      action: 'institution.close',
      before: { closed: false, version: 1, name: '测试1医疗美容诊所' },
      after: { closed: true, closedOn: '2026-11-20', version: 2 },
    });
    expect(entry?.before).not.toHaveProperty('history');
    expect(entry?.after).not.toHaveProperty('nextReminder');
  });

  it('withdraws its results in progress for the closing, and leaves published and withdrawn ones', async () => {
    const m = memoryWorkflow({
      now: NOW,
      profiles: [profileFixture(1)],
      // Created in this order: the institution's results are listed oldest first.
      results: [
        resultOf('r-published', 'published', {
          publishedOn: '2024-01-10',
          createdAt: '2023-12-01T10:00:00.000+08:00',
        }),
        resultOf('r-old', 'withdrawn', { createdAt: '2025-11-10T10:00:00.000+08:00' }),
        resultOf('r-scored', 'scored'),
        resultOf('r-approved', 'approved', { createdAt: '2026-11-11T10:00:00.000+08:00' }),
      ],
    });
    await closeInstitution(m.deps, city, uscc);
    expect(m.results.map((r) => [r.id, r.status])).toEqual([
      ['r-published', 'published'],
      ['r-old', 'withdrawn'],
      ['r-scored', 'withdrawn'],
      ['r-approved', 'withdrawn'],
    ]);
    expect(m.results.find((r) => r.id === 'r-scored')).toMatchObject({ withdrawnFor: 'closed', version: 2 });
    expect(m.results.find((r) => r.id === 'r-published')?.version).toBe(1);
    expect(m.events.map((e) => e.key)).toEqual([
      'withdrawn:r-scored',
      'withdrawn:r-approved',
      `institution_closed:${uscc}`,
    ]);
  });

  it('withdraws them when the clinic’s district closes it, though only the city withdraws a result itself', async () => {
    const m = memoryWorkflow({
      now: NOW,
      profiles: [profileFixture(1)],
      results: [resultOf('r-scored', 'scored')],
    });
    await expect(closeInstitution(m.deps, xihu, uscc)).resolves.toMatchObject({ closed: true });
    expect(m.results[0]).toMatchObject({ status: 'withdrawn', withdrawnFor: 'closed', lastActor: xihu });
  });

  it('closes all the same when another request withdrew a result meanwhile', async () => {
    const m = memoryWorkflow({
      now: NOW,
      profiles: [profileFixture(1)],
      results: [resultOf('r-scored', 'withdrawn', { version: 2 })],
    });
    // The list was read before the other request's withdrawal landed.
    m.deps.results.listForInstitution = async () => [resultOf('r-scored', 'scored')];
    await expect(closeInstitution(m.deps, city, uscc)).resolves.toMatchObject({ closed: true });
    expect(m.events.map((e) => e.type)).toEqual(['institution_closed']);
  });

  it('fails when a withdrawal fails otherwise, and the retry finishes it and answers 409', async () => {
    const m = memoryWorkflow({
      now: NOW,
      profiles: [profileFixture(1)],
      results: [resultOf('r-scored', 'scored')],
    });
    const replace = m.deps.results.replace.bind(m.deps.results);
    m.deps.results.replace = async () => Promise.reject(new Error('table unavailable'));
    await expect(closeInstitution(m.deps, city, uscc, '2026-11-20')).rejects.toThrow('table unavailable');
    expect(m.profiles.get(uscc)?.closed).toBe(true);
    expect(m.events).toEqual([]);
    m.deps.results.replace = replace;
    await expect(closeInstitution(m.deps, city, uscc, '2026-11-21')).rejects.toThrow(ConflictError);
    expect(m.results[0]).toMatchObject({ status: 'withdrawn', withdrawnFor: 'closed' });
    expect(m.events).toMatchObject([
      { key: 'withdrawn:r-scored' },
      { key: `institution_closed:${uscc}`, after: { closed: true, closedOn: '2026-11-20' } },
    ]);
    expect(m.audit.filter((e) => e.action === 'institution.close')).toMatchObject([
      { before: { closed: false }, after: { closed: true, closedOn: '2026-11-20' } },
    ]);
  });

  it('answers 409 to closing a closed institution, saying since when, and changes nothing', async () => {
    const m = memoryWorkflow({
      now: NOW,
      profiles: [profileFixture(1, { closed: true, closedOn: '2026-10-01', version: 3 })],
    });
    const again = closeInstitution(m.deps, city, uscc, '2026-11-20');
    await expect(again).rejects.toThrow(ConflictError);
    await expect(closeInstitution(m.deps, city, uscc)).rejects.toMatchObject({
      message: 'the institution is already closed (机构已注销/停业), since 2026-10-01',
      precondition: 'institution-open',
    });
    expect(m.profiles.get(uscc)).toMatchObject({ closedOn: '2026-10-01', version: 3 });
    expect(m.calls.get('writer.saveProfile')).toBeUndefined();
  });

  it('is 404 for an unknown uscc and 403 outside the caller’s district', async () => {
    const m = memoryWorkflow({ now: NOW, profiles: [profileFixture(1)] });
    await expect(closeInstitution(m.deps, city, usccNo(2))).rejects.toThrow(
      `no institution with uscc ${usccNo(2)}`,
    );
    const binjiang: Actor = { subject: 'b', role: 'district', district: '滨江区' };
    await expect(closeInstitution(m.deps, binjiang, uscc)).rejects.toThrow(ForbiddenError);
    expect(m.profiles.get(uscc)?.closed).toBe(false);
    expect(m.events).toEqual([]);
  });
});

describe('getInstitutionForRegulator', () => {
  const uscc = usccNo(1);
  const violation = { id: 'v1', uscc, occurredOn: '2026-11-01' } as StoredViolation;
  const seeded = () =>
    memoryWorkflow({
      profiles: [profileFixture(1), profileFixture(2)],
      privates: [privateFixture(1, { services: { liposuction: true } })],
      results: [resultOf('r1', 'scored'), resultOf('r2', 'scored', { uscc: usccNo(2) })],
      violations: [violation],
    });

  it('gives a regulator the profile, contacts, services, results and violations', async () => {
    const view = await getInstitutionForRegulator(seeded().deps, xihu, uscc);
    expect(view.profile).toEqual(profileFixture(1));
    expect(view.private).toEqual(privateFixture(1, { services: { liposuction: true } }));
    expect(view.results.map((r) => r.id)).toEqual(['r1']);
    expect(view.violations).toEqual([violation]);
  });

  it('gives the guidance group no contacts, the services still', async () => {
    const view = await getInstitutionForRegulator(seeded().deps, guidance, uscc);
    expect(view.private).not.toHaveProperty('contacts');
    expect(view.private).toMatchObject({ services: { liposuction: true }, uscc });
  });

  it('says there is no private item rather than failing', async () => {
    expect((await getInstitutionForRegulator(seeded().deps, city, usccNo(2))).private).toBeNull();
  });

  it('is 404 for an unknown uscc and 403 outside the caller’s district', async () => {
    const m = seeded();
    await expect(getInstitutionForRegulator(m.deps, city, usccNo(3))).rejects.toThrow(NotFoundError);
    const binjiang: Actor = { subject: 'b', role: 'district_admin', district: '滨江区' };
    await expect(getInstitutionForRegulator(m.deps, binjiang, uscc)).rejects.toThrow(ForbiddenError);
  });
});

describe('auditTrail', () => {
  const uscc = usccNo(1);
  const entry = (n: number, trail = uscc) => ({
    id: `e${n}`,
    uscc: trail,
    at: `2026-11-2${n}T10:00:00.000+08:00`,
    actor: city,
    action: 'institution.update',
    before: { private: { contacts: { phones: ['139****0001'] }, services: { liposuction: true } } },
    after: null,
  });
  const seeded = () => {
    const m = memoryWorkflow({ profiles: [profileFixture(1)] });
    m.audit.push(entry(1), entry(2), entry(3), entry(4, CITY_TRAIL));
    return m;
  };

  it('gives a page of an institution’s trail from the start key the caller holds', async () => {
    const m = seeded();
    const first = await auditTrail(m.deps, city, uscc, null, 2);
    expect(first.items.map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(first.items[0]).toEqual(entry(1));
    const rest = await auditTrail(m.deps, xihu, uscc, first.lastKey, 2);
    expect(rest).toEqual({ items: [entry(3)], lastKey: null });
  });

  it('shows the guidance group the entries without the contacts they hold', async () => {
    const { items } = await auditTrail(seeded().deps, guidance, uscc, null, 10);
    expect(items[0]?.before).toEqual({ private: { services: { liposuction: true } } });
    expect(items[0]?.actor).toEqual(city);
  });

  it('keeps the city-wide trail for the whole city: a district role gets 403', async () => {
    const m = seeded();
    expect((await auditTrail(m.deps, guidance, CITY_TRAIL, null, 10)).items.map((e) => e.id)).toEqual(['e4']);
    expect((await auditTrail(m.deps, city, CITY_TRAIL, null, 10)).items).toHaveLength(1);
    const read = auditTrail(m.deps, xihu, CITY_TRAIL, null, 10);
    await expect(read).rejects.toThrow(ForbiddenError);
    await expect(auditTrail(m.deps, xihu, CITY_TRAIL, null, 10)).rejects.toThrow(
      'the city-wide audit trail is not in a district’s scope',
    );
    expect(m.calls.get('audit.list')).toBe(2);
  });

  it('is 404 for an unknown uscc and 403 for another district’s clinic, reading no entry', async () => {
    const m = seeded();
    await expect(auditTrail(m.deps, city, usccNo(2), null, 10)).rejects.toThrow(NotFoundError);
    const binjiang: Actor = { subject: 'b', role: 'district', district: '滨江区' };
    await expect(auditTrail(m.deps, binjiang, uscc, null, 10)).rejects.toThrow(ForbiddenError);
    expect(m.calls.get('audit.list')).toBeUndefined();
  });
});
