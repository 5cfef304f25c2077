import { beforeAll, describe, expect, it } from 'vitest';
import { METRES_PER_DEGREE } from '#shared/domain/geo.ts';
import { PROCEDURE_NAMES } from '#shared/domain/procedures.ts';
import { type AdminHarness, adminHarness, clinicIn, expectStatus, hospitalIn } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

const CENTRE = { lat: 30.2741, lng: 120.1551 };
const LICENCE = { number: 'PDY00123X33010617D2192', subjects: ['美容外科', '美容皮肤科'], surgeryLevel: 1 };
const DOCTOR = { name: '林晓雯', subject: '美容外科', certificateNo: '110330100012345', since: '2020-03-01' };

async function registered(h: AdminHarness, reg: { uscc: string }) {
  await expectStatus(h.call('POST', '/v1/admin/institutions', await h.token('city'), reg), 201);
  return reg.uscc;
}

const northOf = (metres: number) => ({ lat: CENTRE.lat + metres / METRES_PER_DEGREE, lng: CENTRE.lng });

describe('licence, attending physicians and location', () => {
  const dynamo = useTestDynamo();

  it('are entered by the city or the clinic’s district, checked by kind, audited and shown on the detail', async () => {
    const h = await adminHarness(dynamo);
    const uscc = await registered(h, clinicIn('西湖区'));
    const base = `/v1/admin/institutions/${uscc}`;
    const own = await h.token('district', { district: '西湖区' });
    for (const [role, claims] of [
      ['district', { district: '上城区' }],
      ['district_admin', { district: '西湖区' }],
      ['guidance', {}],
      ['institution', { uscc }],
      ['association', { association: '中国整形美容协会' }],
    ] as const) {
      const token = await h.token(role, claims);
      expect((await h.call('PUT', `${base}/licence`, token, LICENCE)).status, role).toBe(403);
      expect((await h.call('POST', `${base}/physicians`, token, DOCTOR)).status, role).toBe(403);
      expect((await h.call('PUT', `${base}/location`, token, CENTRE)).status, role).toBe(403);
    }

    const tooHigh = await h.call('PUT', `${base}/licence`, own, { ...LICENCE, surgeryLevel: 2 });
    expect(tooHigh.status).toBe(422);
    const refusal = await body(tooHigh);
    expect(refusal.errors).toEqual([{ path: 'surgeryLevel', message: expect.stringContaining('level 1') }]);
    expect(refusal.maxSurgeryLevel).toBe(1);
    const bad = async (input: object, field: string) => {
      const res = await h.call('PUT', `${base}/licence`, own, input);
      expect(res.status, JSON.stringify(input)).toBe(400);
      expect((await body(res)).errors.map((e: { path: string }) => e.path)).toContain(field);
    };
    await bad({ ...LICENCE, subjects: ['整形外科'] }, 'subjects.0');
    await bad({ ...LICENCE, number: 'x' }, 'number');
    await bad({ ...LICENCE, surgeryLevel: null }, 'surgeryLevel');
    await bad({ ...LICENCE, surgeryLevel: 5 }, 'surgeryLevel');
    expect((await h.call('POST', `${base}/physicians`, own, DOCTOR)).status).toBe(400);

    await expectStatus(h.call('PUT', `${base}/licence`, own, LICENCE), 200);
    await expectStatus(h.call('PUT', `${base}/licence`, own, LICENCE), 200);
    await expectStatus(h.call('POST', `${base}/physicians`, own, DOCTOR), 201);
    await expectStatus(h.call('POST', `${base}/physicians`, own, DOCTOR), 201);
    const twin = await h.call('POST', `${base}/physicians`, own, { ...DOCTOR, name: '林晓' });
    expect(twin.status).toBe(409);
    const skin = { ...DOCTOR, name: '周宁', subject: '美容皮肤科', certificateNo: '110330100054321' };
    await expectStatus(h.call('POST', `${base}/physicians`, own, skin), 201);
    await expectStatus(h.call('PUT', `${base}/location`, own, { lat: 30.27411234567, lng: 120.1551 }), 200);
    const dropSkin = await h.call('PUT', `${base}/licence`, own, { ...LICENCE, subjects: ['美容外科'] });
    expect(dropSkin.status).toBe(409);
    await expectStatus(h.call('DELETE', `${base}/physicians/${skin.certificateNo}`, own), 200);
    expect((await h.call('DELETE', `${base}/physicians/${skin.certificateNo}`, own)).status).toBe(404);

    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail).toMatchObject({
      licenceNumber: LICENCE.number,
      subjects: LICENCE.subjects,
      surgeryLevel: 1,
      physicians: [DOCTOR],
      location: { lat: 30.274112, lng: 120.1551 },
    });
    expect(detail.mapUrl).toMatch(/^https:\/\/uri\.amap\.com\/marker\?position=120\.1551%2C30\.274112/);
    const allowed = detail.procedures.map((p: { name: string }) => p.name);
    expect(allowed).toEqual(expect.arrayContaining(['双眼皮', '玻尿酸注射', '吸脂1000ml以下', '激光祛斑']));
    expect(allowed).not.toContain('隆乳');
    const page = await (await h.call('GET', `/i/${uscc}`, null)).text();
    expect(page).toContain('林晓雯');
    expect(page).toContain('美容外科');

    const city = await h.token('city');
    const audit = await body(await h.call('GET', `/v1/admin/audit?uscc=${uscc}&limit=50`, city));
    const actions = (audit.items as Array<{ action: string }>)
      .map((e) => e.action)
      .filter((a) => !a.startsWith('institution.'));
    expect(actions.sort()).toEqual([
      'licence.put',
      'location.put',
      'physician.add',
      'physician.add',
      'physician.remove',
    ]);
  });

  it('puts a licence change in the feed as an extension type that a type filter leaves out', async () => {
    const h = await adminHarness(dynamo);
    const uscc = await registered(h, hospitalIn('滨江区'));
    const city = await h.token('city');
    await expectStatus(
      h.call('PUT', `/v1/admin/institutions/${uscc}/licence`, city, { ...LICENCE, surgeryLevel: 4 }),
      200,
    );
    await expectStatus(
      h.call('PUT', `/v1/admin/institutions/${uscc}/licence`, city, { ...LICENCE, surgeryLevel: 3 }),
      200,
    );
    const all = await body(await h.call('GET', '/v1/changes?limit=50', null));
    const changes = all.items.filter((e: { type: string }) => e.type === 'licence_changed');
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatchObject({
      uscc,
      typeLabel: expect.any(String),
      before: null,
      after: { licenceNumber: LICENCE.number, subjects: LICENCE.subjects, surgeryLevel: 4 },
    });
    expect(changes[1].before).toMatchObject({ surgeryLevel: 4 });
    expect(changes[1].occurredAt).toMatch(/\+08:00$/);
    const filtered = await body(
      await h.call('GET', '/v1/changes?limit=50&type=institution_registered', null),
    );
    expect(filtered.items.map((e: { type: string }) => e.type)).toEqual(['institution_registered']);
    const named = await body(await h.call('GET', '/v1/changes?limit=50&type=licence_changed', null));
    expect(named.items).toHaveLength(2);
  });
});

describe('search by procedure, by physician and near a position', () => {
  const dynamo = useTestDynamo();
  let h: AdminHarness;
  const at: Record<string, string> = {};
  beforeAll(async () => {
    h = await adminHarness(dynamo);
    const city = await h.token('city');
    const place = async (
      key: string,
      reg: { uscc: string },
      licence: object | null,
      metres: number | null,
    ) => {
      const uscc = await registered(h, reg);
      at[key] = uscc;
      if (licence)
        await expectStatus(h.call('PUT', `/v1/admin/institutions/${uscc}/licence`, city, licence), 200);
      if (metres !== null) {
        await expectStatus(
          h.call('PUT', `/v1/admin/institutions/${uscc}/location`, city, northOf(metres)),
          200,
        );
      }
    };
    await place('clinic', clinicIn('西湖区'), LICENCE, 800);
    await place('hospital', hospitalIn('西湖区'), { ...LICENCE, surgeryLevel: 4 }, 2000);
    await place('farHospital', hospitalIn('余杭区'), { ...LICENCE, surgeryLevel: 3 }, 20_000);
    await place('unlicensed', hospitalIn('西湖区'), null, 100);
    await place('unplaced', clinicIn('西湖区'), LICENCE, null);
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${at.hospital}/physicians`, city, {
        ...DOCTOR,
        name: '欧阳明远',
      }),
      201,
    );
  });

  const search = async (qs: string) => {
    const res = await h.call('GET', `/v1/institutions?${qs}`, null);
    return { status: res.status, body: await body(res) };
  };
  const usccs = (b: { items: Array<{ uscc: string }> }) => b.items.map((i) => i.uscc);

  it('finds where a physician is registered by their name', async () => {
    expect(usccs((await search(`q=${encodeURIComponent('欧阳明远')}`)).body)).toEqual([at.hospital]);
    expect(usccs((await search('q=oymy')).body)).toEqual([at.hospital]);
  });

  it('lists only institutions licensed for a procedure, combined with district and grade', async () => {
    const breast = await search(`procedure=${encodeURIComponent('隆乳')}`);
    expect(usccs(breast.body).sort()).toEqual([at.hospital, at.farHospital].sort());
    const lids = await search(
      `procedure=${encodeURIComponent('双眼皮')}&district=${encodeURIComponent('西湖区')}`,
    );
    expect(usccs(lids.body).sort()).toEqual([at.clinic, at.hospital, at.unplaced].sort());
    const jaw = await search(`procedure=${encodeURIComponent('磨下颌角')}&grade=UNGRADED`);
    expect(usccs(jaw.body)).toEqual([at.hospital]);
    expect(usccs((await search(`procedure=${encodeURIComponent('磨下颌角')}&grade=A`)).body)).toEqual([]);
    const paged = await search(`procedure=${encodeURIComponent('双眼皮')}&limit=2`);
    const rest = await search(
      `procedure=${encodeURIComponent('双眼皮')}&limit=2&cursor=${encodeURIComponent(paged.body.nextCursor)}`,
    );
    expect(new Set([...usccs(paged.body), ...usccs(rest.body)]).size).toBe(4);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('answers an unknown procedure with 400 listing the known ones', async () => {
    const res = await search(`procedure=${encodeURIComponent('换头术')}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('procedure');
    for (const name of PROCEDURE_NAMES) expect(res.body.errors[0].message).toContain(name);
  });

  it('orders by distance within the radius, with the distance, combined with kind and procedure', async () => {
    const near = `near=${CENTRE.lat},${CENTRE.lng}`;
    const within = await search(near);
    expect(usccs(within.body)).toEqual([at.unlicensed, at.clinic, at.hospital]);
    expect(within.body.items.map((i: { distance: number }) => i.distance)).toEqual([100, 800, 2000]);
    const placed = northOf(100);
    expect(within.body.items[0].location.lat).toBeCloseTo(placed.lat, 6);
    expect(within.body.items[0].location.lng).toBeCloseTo(placed.lng, 6);
    expect(usccs((await search(`${near}&radius=801`)).body)).toEqual([at.unlicensed, at.clinic]);
    expect(usccs((await search(`${near}&radius=799`)).body)).toEqual([at.unlicensed]);
    expect(usccs((await search(`${near}&radius=50000`)).body)).toEqual([
      at.unlicensed,
      at.clinic,
      at.hospital,
      at.farHospital,
    ]);
    expect(
      usccs(
        (await search(`${near}&radius=50000&kind=hospital&procedure=${encodeURIComponent('隆乳')}`)).body,
      ),
    ).toEqual([at.hospital, at.farHospital]);
    expect(usccs((await search(`${near}&grade=UNGRADED&kind=clinic`)).body)).toEqual([at.clinic]);
    const first = await search(`${near}&limit=2`);
    expect(usccs(first.body)).toEqual([at.unlicensed, at.clinic]);
    const second = await search(`${near}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(usccs(second.body)).toEqual([at.hospital]);
    const elsewhere = await search(
      `near=30.5,120.1&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(elsewhere.status).toBe(400);
  });

  it('shows distances, map links and the 附近 button on the search page', async () => {
    const page = await (await h.call('GET', `/?near=${CENTRE.lat},${CENTRE.lng}&radius=801`, null)).text();
    expect(page).toContain('距您约100米');
    expect(page).toContain('距您约800米');
    expect(page).toContain('https://uri.amap.com/marker?position=');
    expect(page).toContain('id="near-me"');
    expect(page).toContain('/assets/near-me.js');
    const script = await h.call('GET', '/assets/near-me.js', null);
    expect(script.headers.get('content-type')).toContain('javascript');
    const chosen = await (await h.call('GET', `/?procedure=${encodeURIComponent('隆乳')}`, null)).text();
    expect(chosen).toContain('<option value="隆乳" selected');
  });

  it('names the field of a bad position, radius or combination', async () => {
    const paths = async (qs: string) => {
      const res = await search(qs);
      expect(res.status, qs).toBe(400);
      return res.body.errors.map((e: { path: string }) => e.path);
    };
    expect(await paths('near=abc')).toEqual(['near']);
    expect(await paths('near=91,120')).toEqual(['near']);
    expect(await paths('near=51.5,-0.12')).toEqual(['near']);
    expect(await paths('near=30.27,120.15&radius=0')).toEqual(['radius']);
    expect(await paths('near=30.27,120.15&radius=50001')).toEqual(['radius']);
    expect(await paths('near=30.27,120.15&radius=1.5')).toEqual(['radius']);
    expect(await paths('radius=100')).toEqual(['radius']);
    expect(await paths('near=30.27,120.15&q=abc')).toEqual(['near']);
  });
});
