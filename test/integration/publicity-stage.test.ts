import { describe, expect, it } from 'vitest';
import {
  type AdminHarness,
  adminHarness,
  expectStatus,
  hospitalInPublicity,
  nextDay,
  postPublicity,
  scoreResult,
} from '../support/admin.ts';
import { body } from '../support/http.ts';
import { useTestDynamo } from '../support/local-table.ts';

/** What each public list says of one institution's result in publicity. */
async function listed(h: AdminHarness, uscc: string) {
  const search = await body(await expectStatus(h.call('GET', `/v1/institutions?q=${uscc}`, null), 200));
  const searchPage = await (await h.app.request(`/?q=${uscc}`)).text();
  const feed = await body(
    await expectStatus(h.call('GET', '/v1/changes?type=publicity_started&limit=50', null), 200),
  );
  const atom = await (await h.app.request('/v1/changes.atom?type=publicity_started&limit=50')).text();
  return {
    item: search.items.find((i: { uscc: string }) => i.uscc === uscc),
    searchPage,
    event: feed.items.find((e: { uscc: string }) => e.uscc === uscc),
    atom,
  };
}

describe('the publicity stage in search results, feed items and the publicity list, as on the institution page', () => {
  const dynamo = useTestDynamo();

  it('is open during publicity and awaiting confirmation after it, until the result is published', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id } = await hospitalInPublicity(h);
    const open = await listed(h, uscc);
    const window = { proposedGrade: 'B', startOn: '2026-11-23', endOn: '2026-11-27' };
    expect(open.item.publicity).toEqual({ ...window, proposedGradeLabel: 'B级规范机构', stage: 'open' });
    expect(open.searchPage).toContain('公示中：拟评定为 B级，至11月27日');
    expect(open.event.publicity).toEqual({
      ...window,
      resultId: id,
      proposedGradeLabel: 'B级规范机构',
      stage: 'open',
    });
    expect(open.atom).toContain('目前公示中：拟评定为 B级，至11月27日');
    const running = await body(await expectStatus(h.call('GET', '/v1/publicity', null), 200));
    expect(running.items.find((i: { resultId: string }) => i.resultId === id)).toMatchObject({
      stage: 'open',
    });
    // A full page announcing a running publicity changes with it, so it is not cached as immutable.
    const page = await h.app.request('/v1/changes?type=publicity_started&limit=1');
    expect(page.headers.get('Cache-Control')).not.toContain('immutable');
    const etagDuring = page.headers.get('ETag');

    h.clock.set(`${nextDay(window.endOn)}T09:00:00+08:00`);
    const ended = await listed(h, uscc);
    expect(ended.item.publicity.stage).toBe('ended');
    expect(ended.searchPage).toContain('公示期满，待审核确认：拟评定为 B级');
    expect(ended.searchPage).not.toContain('公示中：拟评定为');
    expect(ended.event.publicity.stage).toBe('ended');
    expect(ended.atom).toContain('目前公示期满，待审核确认：拟评定为 B级');
    const nextDayPage = await h.app.request('/v1/changes?type=publicity_started&limit=1');
    expect(nextDayPage.headers.get('ETag')).not.toBe(etagDuring);

    await expectStatus(h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance')), 200);
    const published = await listed(h, uscc);
    expect(published.item.publicity).toBeNull();
    expect(published.event).not.toHaveProperty('publicity');
    expect(published.atom).not.toContain('目前');
    const settled = await h.app.request('/v1/changes?type=publicity_started&limit=1');
    expect(settled.headers.get('Cache-Control')).toContain('immutable');
  });

  it('says a result a later downgrade made unpublishable will not be published', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const first = await hospitalInPublicity(h, city);
    h.clock.set('2026-11-30T09:00:00+08:00');
    await expectStatus(
      h.call('POST', `/v1/admin/assessments/${first.id}/publish`, await h.token('guidance')),
      200,
    );
    const review = await scoreResult(h, city, first.uscc, 96, 'review');
    await postPublicity(h, city, review.id);
    await expectStatus(
      h.call('POST', `/v1/admin/institutions/${first.uscc}/violations`, city, {
        occurredOn: h.clock.today(),
        type: 'accident',
        severity: 'serious',
        description: '医疗事故（较重）',
      }),
      201,
    );
    const blocked = await listed(h, first.uscc);
    expect(blocked.item.grade).toBe('D');
    expect(blocked.item.publicity).toMatchObject({ proposedGrade: 'A', stage: 'unpublishable' });
    expect(blocked.searchPage).toContain('公示结果不予公布');
    expect(blocked.searchPage).not.toContain('拟评定为 A');
    const event = (
      await body(await h.call('GET', '/v1/changes?type=publicity_started&limit=50', null))
    ).items.find((e: { after: { resultId: string } }) => e.after.resultId === review.id);
    expect(event.publicity).toMatchObject({ resultId: review.id, stage: 'unpublishable' });
    expect(blocked.atom).toContain('目前公示结果不予公布');
    const publicity = await body(await expectStatus(h.call('GET', '/v1/publicity', null), 200));
    expect(publicity.items.find((i: { resultId: string }) => i.resultId === review.id)).toMatchObject({
      proposedGrade: 'A',
      stage: 'unpublishable',
    });
    expect(await (await h.app.request('/publicity')).text()).toContain('公示结果不予公布');
  });
});
