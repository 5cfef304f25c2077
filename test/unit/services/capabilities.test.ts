import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '#shared/domain/errors.ts';
import type { Licence, Physician } from '#shared/domain/practice-scope.ts';
import type { Actor } from '#shared/domain/types.ts';
import {
  addPhysician,
  checkedLicence,
  normaliseLicence,
  normalisePhysician,
  putLicence,
  putLocation,
  removePhysician,
} from '#shared/services/capabilities.ts';
import { profileFixture, usccNo } from '../../support/institutions.ts';
import { memoryWorkflow } from '../../support/memory-workflow.ts';

/**
 * What a clinic may do and where it is (DOMAIN.md "What the public needs beyond the grade"): the
 * licensed subjects and highest surgery level its kind allows, its attending physicians and its
 * coordinates, entered by the regulators that register it, each change audited, a licence change in
 * the feed.
 */

const NOW = '2026-11-23T10:00:00+08:00';
const AT = '2026-11-23T10:00:00.000+08:00';
const city: Actor = { subject: 'city-officer', role: 'city' };
const xihu: Actor = { subject: 'xihu-officer', role: 'district', district: '西湖区' };
const binjiang: Actor = { subject: 'binjiang-officer', role: 'district', district: '滨江区' };
const uscc = usccNo(1);

const licence: Licence = {
  number: 'PDY12345X33010619',
  subjects: ['美容外科', '美容皮肤科'],
  surgeryLevel: 1,
};
const doctor: Physician = {
  name: '王芳',
  subject: '美容皮肤科',
  certificateNo: '110330100012345',
  since: '2020-03-01',
};

const clinic = (overrides = {}) => memoryWorkflow({ now: NOW, profiles: [profileFixture(1, overrides)] });

describe('checkedLicence', () => {
  it('keeps the number in upper case and the subjects as the classification writes them', () => {
    expect(
      checkedLicence('clinic', {
        number: ' ｐｄｙ12345x33010619 ',
        subjects: [' 美容外科', '美容皮肤科 '],
        surgeryLevel: 1,
      }),
    ).toEqual(licence);
    expect(normaliseLicence({ number: 'ab', subjects: ['美容牙科'], surgeryLevel: null })).toEqual({
      number: 'AB',
      subjects: ['美容牙科'],
      surgeryLevel: null,
    });
  });

  it('refuses every bad field at once with 400, naming each', () => {
    const check = () =>
      checkedLicence('clinic', { number: '12', subjects: ['美容外科', '美甲'], surgeryLevel: 5 });
    expect(check).toThrow(ValidationError);
    try {
      check();
    } catch (err) {
      const e = err as ValidationError;
      expect(e.errors.map((p) => p.path)).toEqual(['number', 'subjects', 'surgeryLevel']);
      expect(e.message).toBe(`invalid licence: ${e.errors.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      expect(e.message).toMatch(/^invalid licence: number: 登记号 must be 10–30 letters and digits/);
    }
  });

  it('refuses a level above what the kind may perform with 422, naming the kind’s ceiling', () => {
    const over = () => checkedLicence('clinic', { ...licence, surgeryLevel: 2 });
    expect(over).toThrow(RuleViolationError);
    try {
      over();
    } catch (err) {
      const e = err as RuleViolationError;
      expect(e.rule).toBe('surgery_level_by_kind');
      expect(e.message).toBe(
        'a clinic may perform cosmetic surgery up to 一级 (level 1), not level 2 (医疗美容项目分级管理目录)',
      );
      expect(e.details).toEqual({
        kind: 'clinic',
        maxSurgeryLevel: 1,
        errors: [{ path: 'surgeryLevel', message: e.message }],
      });
    }
    expect(checkedLicence('outpatient', { ...licence, surgeryLevel: 2 }).surgeryLevel).toBe(2);
    expect(checkedLicence('hospital', { ...licence, surgeryLevel: 4 }).surgeryLevel).toBe(4);
  });

  it('answers a licence wrong in its fields and too high for the kind 400, the fields first', () => {
    expect(() => checkedLicence('clinic', { ...licence, number: 'x', surgeryLevel: 3 })).toThrow(
      ValidationError,
    );
  });
});

describe('putLicence', () => {
  it('stores the licence, puts licence_changed in the feed and audits it', async () => {
    const m = clinic();
    const saved = await putLicence(m.deps, xihu, uscc, { ...licence, number: licence.number.toLowerCase() });
    expect(saved).toMatchObject({ licence, version: 2, updatedAt: AT });
    expect(m.profiles.get(uscc)?.licence).toEqual(licence);
    expect(m.events).toEqual([
      {
        key: `licence_changed:${uscc}:v2`,
        type: 'licence_changed',
        uscc,
        district: '西湖区',
        occurredAt: AT,
        before: null,
        after: { licenceNumber: licence.number, subjects: licence.subjects, surgeryLevel: 1 },
      },
    ]);
    expect(m.audit).toEqual([
      {
        id: `licence.put:${uscc}:v2`,
        uscc,
        at: AT,
        actor: xihu,
        action: 'licence.put',
        before: null,
        after: licence,
      },
    ]);
  });

  it('shows the licence it replaced in the event and the audit entry', async () => {
    const m = clinic({ licence, version: 4 });
    const next: Licence = {
      number: licence.number,
      subjects: ['美容外科', '美容皮肤科', '美容牙科'],
      surgeryLevel: 1,
    };
    await putLicence(m.deps, city, uscc, next);
    expect(m.events).toMatchObject([
      {
        key: `licence_changed:${uscc}:v5`,
        before: { licenceNumber: licence.number, subjects: licence.subjects, surgeryLevel: 1 },
        after: { subjects: next.subjects },
      },
    ]);
    expect(m.audit).toMatchObject([{ id: `licence.put:${uscc}:v5`, before: licence, after: next }]);
  });

  it('writes, publishes and audits nothing for the licence already held', async () => {
    const m = clinic({ licence, version: 4 });
    const saved = await putLicence(m.deps, city, uscc, licence);
    expect(saved.version).toBe(4);
    expect(m.calls.get('writer.saveProfile')).toBeUndefined();
    expect(m.events).toEqual([]);
    expect(m.audit).toEqual([]);
  });

  it('refuses to drop a subject attending physicians are registered for (409), naming them', async () => {
    const dentist: Physician = {
      ...doctor,
      name: '李强',
      subject: '美容牙科',
      certificateNo: '110330100099999',
    };
    const m = clinic({
      licence: { ...licence, subjects: ['美容外科', '美容皮肤科', '美容牙科'] },
      physicians: [doctor, dentist],
    });
    const put = putLicence(m.deps, city, uscc, { ...licence, subjects: ['美容外科'] });
    await expect(put).rejects.toThrow(ConflictError);
    await expect(putLicence(m.deps, city, uscc, { ...licence, subjects: ['美容外科'] })).rejects.toThrow(
      'subjects: attending physicians 王芳 (美容皮肤科), 李强 (美容牙科) are registered for a subject the licence would no longer list; remove them first',
    );
    await expect(putLicence(m.deps, city, uscc, licence)).rejects.toThrow(
      'subjects: attending physicians 李强 (美容牙科) are registered',
    );
    expect(m.profiles.get(uscc)?.licence?.subjects).toHaveLength(3);
    expect(m.events).toEqual([]);
  });

  it('is 404 for an unknown uscc and 403 for another district’s clinic', async () => {
    const m = clinic();
    await expect(putLicence(m.deps, city, usccNo(2), licence)).rejects.toThrow(NotFoundError);
    await expect(putLicence(m.deps, binjiang, uscc, licence)).rejects.toThrow(ForbiddenError);
    expect(m.profiles.get(uscc)?.licence).toBeUndefined();
  });
});

describe('putLocation', () => {
  it('stores the position to six decimals and audits it', async () => {
    const m = clinic();
    const saved = await putLocation(m.deps, xihu, uscc, { lat: 30.27412345, lng: 120.15512345 });
    expect(saved.location).toEqual({ lat: 30.274123, lng: 120.155123 });
    expect(m.audit).toEqual([
      {
        id: `location.put:${uscc}:v2`,
        uscc,
        at: AT,
        actor: xihu,
        action: 'location.put',
        before: null,
        after: { lat: 30.274123, lng: 120.155123 },
      },
    ]);
  });

  it('audits a move with where it was, and nothing for the same position', async () => {
    const m = clinic({ location: { lat: 30.274123, lng: 120.155123 } });
    const same = await putLocation(m.deps, city, uscc, { lat: 30.2741231, lng: 120.1551229 });
    expect(same.version).toBe(1);
    expect(m.audit).toEqual([]);
    await putLocation(m.deps, city, uscc, { lat: 30.274123, lng: 120.2 });
    await putLocation(m.deps, city, uscc, { lat: 30.3, lng: 120.2 });
    expect(m.audit.map((e) => [e.before, e.after])).toEqual([
      [
        { lat: 30.274123, lng: 120.155123 },
        { lat: 30.274123, lng: 120.2 },
      ],
      [
        { lat: 30.274123, lng: 120.2 },
        { lat: 30.3, lng: 120.2 },
      ],
    ]);
  });

  it('refuses a position off the map with 400 naming the field, storing nothing', async () => {
    const m = clinic();
    const put = () => putLocation(m.deps, city, uscc, { lat: 91, lng: 120.15 });
    await expect(put()).rejects.toThrow(ValidationError);
    await expect(put()).rejects.toThrow('invalid location: lat: latitude in degrees, −90 to 90');
    await expect(put()).rejects.toMatchObject({ errors: [{ path: 'lat' }] });
    expect(m.calls.get('writer.saveProfile')).toBeUndefined();
  });

  it('is 404 for an unknown uscc and 403 for another district’s clinic', async () => {
    const m = clinic();
    const here = { lat: 30.27, lng: 120.15 };
    await expect(putLocation(m.deps, city, usccNo(2), here)).rejects.toThrow(NotFoundError);
    await expect(putLocation(m.deps, binjiang, uscc, here)).rejects.toThrow(ForbiddenError);
    expect(m.audit).toEqual([]);
  });
});

describe('addPhysician', () => {
  it('registers an attending physician as entered, certificate in upper case, and audits it', async () => {
    const m = clinic({ licence, physicians: [] });
    expect(
      normalisePhysician({
        name: ' 王芳 ',
        subject: ' 美容皮肤科',
        certificateNo: ' ab12345678 ',
        since: '2020-03-01',
      }),
    ).toEqual({ name: '王芳', subject: '美容皮肤科', certificateNo: 'AB12345678', since: '2020-03-01' });
    const saved = await addPhysician(m.deps, xihu, uscc, { ...doctor, name: ' 王芳' });
    expect(saved.physicians).toEqual([doctor]);
    expect(saved).toMatchObject({ version: 2, updatedAt: AT });
    expect(m.audit).toEqual([
      {
        id: `physician.add:${uscc}:${doctor.certificateNo}:v2`,
        uscc,
        at: AT,
        actor: xihu,
        action: 'physician.add',
        before: null,
        after: doctor,
      },
    ]);
  });

  it('adds to those registered, and the first to an institution that had none', async () => {
    const first = clinic({ licence });
    expect((await addPhysician(first.deps, city, uscc, doctor)).physicians).toEqual([doctor]);
    const second: Physician = {
      ...doctor,
      name: '张伟',
      subject: '美容外科',
      certificateNo: '110330100054321',
    };
    const saved = await addPhysician(first.deps, city, uscc, second);
    expect(saved.physicians).toEqual([doctor, second]);
  });

  it('changes nothing for a physician already registered as entered, with one audit entry', async () => {
    const m = clinic({ licence });
    await addPhysician(m.deps, city, uscc, doctor);
    const again = await addPhysician(m.deps, city, uscc, {
      ...doctor,
      certificateNo: doctor.certificateNo.toLowerCase(),
    });
    expect(again.version).toBe(2);
    expect(again.physicians).toEqual([doctor]);
    expect(m.audit).toHaveLength(1);
  });

  it('answers another physician under a certificate already registered here 409', async () => {
    const m = clinic({ licence, physicians: [doctor] });
    await expect(addPhysician(m.deps, city, uscc, { ...doctor, name: '李四' })).rejects.toThrow(
      ConflictError,
    );
    await expect(addPhysician(m.deps, city, uscc, { ...doctor, since: '2021-01-01' })).rejects.toThrow(
      `certificateNo: ${doctor.certificateNo} is already registered here (王芳)`,
    );
    expect(m.profiles.get(uscc)?.physicians).toEqual([doctor]);
  });

  it('refuses a subject the licence does not list, or none entered, and a start after today, with 400', async () => {
    const m = clinic({ licence });
    await expect(addPhysician(m.deps, city, uscc, { ...doctor, subject: '美容牙科' })).rejects.toThrow(
      'invalid physician: subject: the institution is not licensed for 美容牙科 (licensed: 美容外科 美容皮肤科)',
    );
    await expect(addPhysician(m.deps, city, uscc, { ...doctor, since: '2026-11-24' })).rejects.toThrow(
      'invalid physician: since: must be today (2026-11-23) or earlier',
    );
    await expect(addPhysician(m.deps, city, uscc, { ...doctor, since: '2026-11-23' })).resolves.toBeTruthy();
    const unlicensed = clinic();
    await expect(addPhysician(unlicensed.deps, city, uscc, doctor)).rejects.toThrow(
      'subject: the institution is not licensed for 美容皮肤科 (licensed: none entered)',
    );
    expect(unlicensed.audit).toEqual([]);
  });

  it('is 404 for an unknown uscc and 403 for another district’s clinic', async () => {
    const m = clinic({ licence });
    await expect(addPhysician(m.deps, city, usccNo(2), doctor)).rejects.toThrow(NotFoundError);
    await expect(addPhysician(m.deps, binjiang, uscc, doctor)).rejects.toThrow(ForbiddenError);
    expect(m.audit).toEqual([]);
  });
});

describe('removePhysician', () => {
  const other: Physician = { ...doctor, name: '张伟', subject: '美容外科', certificateNo: '110330100054321' };

  it('removes the physician by certificate, however it is written, and audits who it was', async () => {
    const m = clinic({ licence, physicians: [doctor, other], version: 3 });
    const saved = await removePhysician(m.deps, xihu, uscc, ` ${doctor.certificateNo.toLowerCase()} `);
    expect(saved.physicians).toEqual([other]);
    expect(m.audit).toEqual([
      {
        id: `physician.remove:${uscc}:${doctor.certificateNo}:v4`,
        uscc,
        at: AT,
        actor: xihu,
        action: 'physician.remove',
        before: doctor,
        after: null,
      },
    ]);
  });

  it('is 404 naming the certificate when no physician here has it', async () => {
    const m = clinic({ licence, physicians: [other] });
    await expect(removePhysician(m.deps, city, uscc, 'ab12345678')).rejects.toThrow(
      `no attending physician with certificate AB12345678 at ${uscc}`,
    );
    const none = clinic();
    await expect(removePhysician(none.deps, city, uscc, 'AB12345678')).rejects.toThrow(NotFoundError);
    expect(m.audit).toEqual([]);
  });

  it('is 404 for an unknown uscc and 403 for another district’s clinic', async () => {
    const m = clinic({ licence, physicians: [doctor] });
    await expect(removePhysician(m.deps, city, usccNo(2), doctor.certificateNo)).rejects.toThrow(
      NotFoundError,
    );
    await expect(removePhysician(m.deps, binjiang, uscc, doctor.certificateNo)).rejects.toThrow(
      ForbiddenError,
    );
    expect(m.profiles.get(uscc)?.physicians).toEqual([doctor]);
  });
});
