import { describe, expect, it } from 'vitest';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import { type AdminHarness, adminHarness, expectStatus, registeredHospital } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * A change to an institution's profile lands even when another request changed the profile meanwhile
 * (it is applied again to what is stored now), gives up with 409 when the profile never stops changing,
 * and is audited exactly once: a retry finds its audit entry and adds none, while a failure to record the
 * entry fails the request, so the caller retries instead of the change going unaudited.
 */

const RATING = { level: '5A', ratedOn: '2026-11-20', ratedBy: '中国整形美容协会' };

async function registered(h: AdminHarness): Promise<{ uscc: string; path: string; city: string }> {
  const { uscc, city } = await registeredHospital(h);
  return { uscc, path: `/v1/admin/institutions/${uscc}/industry-rating`, city };
}

/** Before each of the first `times` saves of a profile, another request changes that profile. */
function interfere(h: AdminHarness, times: number): { saves: () => number } {
  const writer = h.deps.writer;
  const save = writer.saveProfile.bind(writer);
  let saves = 0;
  writer.saveProfile = async (previous: InstitutionProfile, next: Omit<InstitutionProfile, 'version'>) => {
    saves++;
    if (saves <= times) {
      const stored = await h.deps.reader.getProfile(previous.uscc, true);
      if (stored) await save(stored, { ...stored, aliases: [...stored.aliases, `别名${saves}`] });
    }
    return save(previous, next);
  };
  return { saves: () => saves };
}

async function ratingEntries(h: AdminHarness, uscc: string): Promise<string[]> {
  const { items } = await h.deps.audit.list(uscc, null, 50);
  return items.map((e) => e.action).filter((a) => a.startsWith('industry_rating.'));
}

describe('writing an institution’s profile', () => {
  const dynamo = useTestDynamo();

  it('applies the change again over a profile another request changed meanwhile, keeping both changes', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, path, city } = await registered(h);
    const writes = interfere(h, 3);
    await expectStatus(h.call('PUT', path, city, RATING), 200);
    expect(writes.saves()).toBe(4);
    const stored = await h.deps.reader.getProfile(uscc, true);
    expect(stored?.industryRating).toMatchObject({ level: '5A', ratedBy: RATING.ratedBy });
    expect(stored?.aliases).toEqual(['别名1', '别名2', '别名3']);
    expect(await ratingEntries(h, uscc)).toEqual(['industry_rating.put']);
  });

  it('gives up with 409 after nine attempts when the profile keeps changing, and records nothing', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, path, city } = await registered(h);
    const writes = interfere(h, Number.POSITIVE_INFINITY);
    const res = await h.call('PUT', path, city, RATING);
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(writes.saves()).toBe(9);
    expect((await h.deps.reader.getProfile(uscc, true))?.industryRating).toBeNull();
    expect(await ratingEntries(h, uscc)).toEqual([]);
  });

  it('answers a repeated change 200 without a second audit entry', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, path, city } = await registered(h);
    await expectStatus(h.call('PUT', path, city, RATING), 200);
    await expectStatus(h.call('PUT', path, city, RATING), 200);
    expect(await ratingEntries(h, uscc)).toEqual(['industry_rating.put']);
  });

  it('fails the request when the audit entry cannot be recorded, and the retry records it once', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, path, city } = await registered(h);
    const audit = h.deps.audit;
    const record = audit.record.bind(audit);
    let failures = 1;
    audit.record = async (entry) => {
      if (failures-- > 0) {
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ThrottlingException',
        });
      }
      return record(entry);
    };
    const failed = await h.call('PUT', path, city, RATING);
    expect(failed.status).toBe(500);
    expect(await ratingEntries(h, uscc)).toEqual([]);
    await expectStatus(h.call('PUT', path, city, RATING), 200);
    expect(await ratingEntries(h, uscc)).toEqual(['industry_rating.put']);
    expect((await body(await h.call('GET', `/v1/institutions/${uscc}`, null))).industryRating).toMatchObject({
      level: '5A',
    });
  });
});
