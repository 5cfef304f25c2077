import { describe, expect, it } from 'vitest';
import {
  type AdminHarness,
  adminHarness,
  cityResultInPublicity,
  expectStatus,
  hospitalIn,
  nextDay,
  registeredHospital,
} from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/** The rules a neighbouring action used to forget: one test per rule, each over the whole HTTP app. */
describe('lifecycle rules every path applies', () => {
  const dynamo = useTestDynamo();

  /** A hospital of 滨江区 scored `score` today by the city and put into publicity. */
  async function hospitalPosted(h: AdminHarness, score: number) {
    const { uscc } = await registeredHospital(h, '滨江区');
    return { uscc, ...(await cityResultInPublicity(h, uscc, score)) };
  }

  const violation = async (h: AdminHarness, uscc: string, severity: string) =>
    expectStatus(
      h.call('POST', `/v1/admin/institutions/${uscc}/violations`, await h.token('city'), {
        occurredOn: h.clock.today(),
        type: 'accident',
        severity,
        description: `医疗事故（${severity}）`,
      }),
      201,
    );

  const page = async (h: AdminHarness, uscc: string) => (await h.app.request(`/i/${uscc}`)).text();

  it('publishes a first result no higher than a violation during its publicity allows, and says so', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id, endOn } = await hospitalPosted(h, 96);
    await violation(h, uscc, 'severe');

    const during = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(during.publicity).toMatchObject({ proposedGrade: 'A', gradeCap: 'D', stage: 'open' });
    expect(await page(h, uscc)).toContain('公布时等级不高于D级');

    h.clock.set(`${nextDay(endOn)}T09:00:00+08:00`);
    const published = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')),
        200,
      ),
    );
    expect(published).toMatchObject({ grade: 'D', proposedGrade: 'A', nextReviewDue: '2027-11-28' });
    const after = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(after).toMatchObject({ grade: 'D', score: 96, publicity: null });
    expect(after.history[0]).toMatchObject({ grade: 'D', proposedGrade: 'A', reason: 'initial' });
    expect(after.measures.map((m: { code: string }) => m.code)).not.toContain('cloud_inspection');
    expect(await page(h, uscc)).toContain('公示拟评定为A级（96分）；公示期间发生违法违规');
  });

  it('lowers a first result by one grade for a general violation during its publicity', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id, endOn } = await hospitalPosted(h, 96);
    await violation(h, uscc, 'general');
    h.clock.set(`${nextDay(endOn)}T09:00:00+08:00`);
    const published = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')),
        200,
      ),
    );
    expect(published.grade).toBe('B');
  });

  it('refuses reason upgrade on the direct scoring route with 422 naming the application route', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const reg = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);
    const res = await h.call('POST', '/v1/admin/assessments', city, {
      uscc: reg.uscc,
      score: 96,
      assessedOn: h.clock.today(),
      reason: 'upgrade',
    });
    expect(res.status).toBe(422);
    const problem = await body(res);
    expect(problem).toMatchObject({ rule: 'upgrade-via-application', precondition: 'scored-directly' });
    expect(problem.detail).toContain('/upgrade-applications');
    const results = await h.deps.results.listForInstitution(reg.uscc);
    expect(results).toEqual([]);
    // Scores have at most one decimal: 74.99 is refused, not rounded to C or D.
    const twoDecimals = await h.call('POST', '/v1/admin/assessments', city, {
      uscc: reg.uscc,
      score: 74.99,
      assessedOn: h.clock.today(),
      reason: 'initial',
    });
    expect(twoDecimals.status).toBe(400);
    expect((await body(twoDecimals)).errors).toEqual([expect.objectContaining({ path: 'score' })]);
  });

  it('withdraws the results in progress of an institution it closes and shows it closed, with the date', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const { uscc, id } = await hospitalPosted(h, 96);
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${uscc}/close`, city, { closedOn: '2026-11-23' }),
      200,
    );

    const stored = await body(await h.call('GET', `/v1/admin/assessments/${id}`, city));
    expect(stored.result.status).toBe('withdrawn');
    const feed = await h.deps.events.list({ afterSeq: 0, limit: 50, consistent: true });
    expect(feed.items.find((e) => e.type === 'withdrawn')).toMatchObject({
      uscc,
      after: { resultId: id, status: 'withdrawn', reason: 'institution_closed' },
    });
    const listed = await body(await h.call('GET', '/v1/publicity', null));
    expect(listed.items.map((i: { resultId: string }) => i.resultId)).not.toContain(id);

    const objection = await h.call('POST', `/v1/publicity/${id}/objections`, null, {
      text: '评分过高，请复核。',
    });
    expect(objection.status).toBe(409);
    expect((await body(objection)).precondition).toBe('institution-open');
    const publish = await h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance'));
    expect(publish.status).toBe(409);

    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail).toMatchObject({
      closed: true,
      closedOn: '2026-11-23',
      publicity: null,
      nextReviewDue: null,
    });
    const html = await page(h, uscc);
    expect(html).toContain('该机构已注销/停业</strong>（2026年11月23日起）');
    expect(html).not.toContain('在公示中');
    const search = await body(await h.call('GET', `/v1/institutions?q=${uscc}`, null));
    expect(search.items[0]).toMatchObject({ uscc, closed: true, closedOn: '2026-11-23' });
    const searchPage = await (await h.app.request(`/?q=${uscc}`)).text();
    expect(searchPage).toContain('已注销/停业（2026年11月23日起）');
  });

  it('shows publicity as over after endOn, with no objection form', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, endOn } = await hospitalPosted(h, 90);
    expect(await page(h, uscc)).toContain('<form');
    h.clock.set(`${nextDay(endOn)}T09:00:00+08:00`);
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail.publicity).toMatchObject({ stage: 'ended', proposedGrade: 'B' });
    const html = await page(h, uscc);
    expect(html).toContain('公示期满，待审核确认');
    expect(html).not.toContain('<form');
  });

  it('shows a result a later downgrade made unpublishable as such, not as a proposed grade', async () => {
    const h = await adminHarness(dynamo);
    const first = await hospitalPosted(h, 88);
    h.clock.set(`${nextDay(first.endOn)}T09:00:00+08:00`);
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${first.id}/publish`, await h.token('guidance')),
      200,
    );
    const review = await cityResultInPublicity(h, first.uscc, 96, 'review');
    h.clock.set(`${review.startOn}T09:00:00+08:00`);
    await violation(h, first.uscc, 'serious');
    const detail = await body(await h.call('GET', `/v1/institutions/${first.uscc}`, null));
    expect(detail.grade).toBe('D');
    expect(detail.publicity).toMatchObject({ stage: 'unpublishable' });
    const html = await page(h, first.uscc);
    expect(html).toContain('公示结果不予公布');
    expect(html).not.toContain('拟评定为 A');
    expect(html).not.toContain('<form');
  });
});
