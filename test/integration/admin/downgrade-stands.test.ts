import { describe, expect, it } from 'vitest';
import { adminHarness, expectStatus, hospitalIn, nextDay } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

describe('a downgrade stands until a result assessed after it is published', () => {
  const dynamo = useTestDynamo();

  it('refuses with 409 to publish a result assessed before the violation, and publishes one assessed after', async () => {
    const h = await adminHarness(dynamo);
    const city = await h.token('city');
    const guidance = await h.token('guidance');
    const reg = hospitalIn('滨江区');
    await expectStatus(h.call('POST', '/v1/admin/institutions', city, reg), 201);

    const scoreAndPost = async (score: number, reason: string) => {
      const scored = await body(
        await expectStatus(
          h.call('POST', '/v1/admin/assessments', city, {
            uscc: reg.uscc,
            score,
            assessedOn: h.clock.today(),
            reason,
          }),
          201,
        ),
      );
      const window = await body(
        await expectStatus(h.call('POST', `/v1/admin/assessments/${scored.id}/publicity`, city), 200),
      );
      return { id: scored.id as string, endOn: window.endOn as string };
    };

    const first = await scoreAndPost(88, 'initial');
    h.clock.set(`${nextDay(first.endOn)}T09:00:00+08:00`);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${first.id}/publish`, guidance), 200);

    // An upgrade scored 96, in publicity when a serious violation downgrades B to D.
    const upgrade = await scoreAndPost(96, 'review');
    h.clock.set(`${nextDay(h.clock.today())}T09:00:00+08:00`);
    const violationDay = h.clock.today();
    const v = await body(
      await expectStatus(
        h.call('POST', `/v1/admin/institutions/${reg.uscc}/violations`, city, {
          occurredOn: violationDay,
          type: 'violation',
          severity: 'serious',
          description: '超范围开展手术',
        }),
        201,
      ),
    );
    expect(v.gradeAfter).toBe('D');

    h.clock.set(`${nextDay(upgrade.endOn)}T09:00:00+08:00`);
    const refused = await h.call('POST', `/v1/admin/assessments/${upgrade.id}/publish`, guidance);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = await body(refused);
    expect(problem.detail).toContain(violationDay);
    expect(problem.detail).toContain('downgrade to D');
    expect((await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null))).grade).toBe('D');

    // Scored again after the violation: that result is published and sets the grade.
    const rescored = await scoreAndPost(91, 'review');
    h.clock.set(`${nextDay(rescored.endOn)}T09:00:00+08:00`);
    await expectStatus(h.call('POST', `/v1/admin/assessments/${rescored.id}/publish`, guidance), 200);
    expect((await body(await h.call('GET', `/v1/institutions/${reg.uscc}`, null))).grade).toBe('B');
  });
});
