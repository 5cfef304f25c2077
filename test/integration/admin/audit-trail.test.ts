import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, publishedClinic } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('the audit trail of an institution', () => {
  const dynamo = useTestDynamo();

  it('refuses a malformed uscc by name, and keeps each trail’s cursor to its own institution', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const bad = await h.call('GET', '/v1/admin/audit?uscc=123', city);
    expect(bad.status).toBe(400);
    expect(await body(bad)).toMatchObject({
      errors: [
        {
          path: 'uscc',
          message:
            'unified social credit code must be 18 characters, got 3 (统一社会信用代码应为18位，实际为3位)',
        },
      ],
    });

    const a = await publishedClinic(h, 96);
    const b = await publishedClinic(h, 92);
    const first = await body(
      await expectStatus(h.call('GET', `/v1/admin/audit?uscc=${a.uscc}&limit=1`, city), 200),
    );
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const own = await h.call(
      'GET',
      `/v1/admin/audit?uscc=${a.uscc}&limit=1&cursor=${first.nextCursor}`,
      city,
    );
    expect((await body(await expectStatus(own, 200))).items[0].uscc).toBe(a.uscc);
    // A cursor is signed for its trail: replayed on another institution's it is refused, not read there.
    const replayed = await h.call(
      'GET',
      `/v1/admin/audit?uscc=${b.uscc}&limit=1&cursor=${first.nextCursor}`,
      city,
    );
    expect(replayed.status).toBe(400);
    expect((await body(replayed)).errors[0].path).toBe('cursor');
  });
});
