import { describe, expect, it } from 'vitest';
import { adminHarness, hospitalIn, publishedClinic } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('stored phone numbers are mainland mobiles only', () => {
  const dynamo = useTestDynamo();

  it.each(['+447700900123', '0571-12345678', '12912345678', '1391234567'])(
    'refuses %s on registration and on an admin update with 400 naming the field',
    async (phone) => {
      const h = await adminHarness(dynamo);
      const city = await h.token('city');
      const reg = await h.call('POST', '/v1/admin/institutions', city, {
        ...hospitalIn('西湖区'),
        contacts: { phones: [phone] },
      });
      expect(reg.status).toBe(400);
      expect(JSON.stringify((await body(reg)).errors)).toContain('phones');
      const { uscc } = await publishedClinic(h, 88);
      const upd = await h.call('PATCH', `/v1/admin/institutions/${uscc}`, city, {
        contacts: { phones: [phone] },
      });
      expect(upd.status).toBe(400);
      expect(JSON.stringify((await body(upd)).errors)).toContain('phones');
    },
  );
});
