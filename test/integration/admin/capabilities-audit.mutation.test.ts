import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, hospitalIn } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * Every change to what an institution may do and where it is is audited with what it was and what it
 * became, once: a repeat that changes nothing adds no entry. A licence number is kept as printed on the
 * licence, upper case, however it was typed.
 */
const LICENCE = { number: 'PDY00123X33010617D2192', subjects: ['美容外科', '美容皮肤科'], surgeryLevel: 3 };
const DOCTOR = { name: '林晓雯', subject: '美容外科', certificateNo: '110330100012345', since: '2020-03-01' };

describe('the audit of licence, location and physicians', () => {
  const dynamo = useTestDynamo();

  it('records each change with its before and after, once', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const base = `/v1/admin/institutions/${reg.uscc}`;

    const typed = { ...LICENCE, number: ` ${LICENCE.number.toLowerCase()} ` };
    const saved = await body(await expectStatus(h.call('PUT', `${base}/licence`, city, typed), 200));
    expect(saved.licence).toEqual(LICENCE);
    await expectStatus(h.call('PUT', `${base}/licence`, city, LICENCE), 200);
    await expectStatus(h.call('PUT', `${base}/licence`, city, { ...LICENCE, surgeryLevel: 2 }), 200);
    await expectStatus(h.call('PUT', `${base}/location`, city, { lat: 30.2741, lng: 120.1551 }), 200);
    await expectStatus(h.call('PUT', `${base}/location`, city, { lat: 30.2741, lng: 120.1551 }), 200);
    await expectStatus(h.call('POST', `${base}/physicians`, city, { ...DOCTOR, name: ' 林晓雯 ' }), 201);
    await expectStatus(h.call('DELETE', `${base}/physicians/${DOCTOR.certificateNo}`, city), 200);

    const { items } = await h.deps.audit.list(reg.uscc, null, 50);
    const trail = items
      .filter((e) => !e.action.startsWith('institution.'))
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(({ action, actor, before, after }) => ({ action, role: actor.role, before, after }));
    expect(trail).toEqual([
      { action: 'licence.put', role: 'city', before: null, after: LICENCE },
      { action: 'licence.put', role: 'city', before: LICENCE, after: { ...LICENCE, surgeryLevel: 2 } },
      { action: 'location.put', role: 'city', before: null, after: { lat: 30.2741, lng: 120.1551 } },
      { action: 'physician.add', role: 'city', before: null, after: DOCTOR },
      { action: 'physician.remove', role: 'city', before: DOCTOR, after: null },
    ]);
  });
});
