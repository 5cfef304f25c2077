import { describe, expect, it } from 'vitest';
import { PublicityJob } from '#shared/jobs/publicity.ts';
import { AuditStore } from '#shared/store/audit.ts';
import { JobStateStore } from '#shared/store/job-state.ts';
import { adminHarness, nextDay, postPublicity, scoredHospital } from '../../support/admin.ts';
import { body } from '../../support/http.ts';
import { useTestDynamo } from '../../support/local-table.ts';

/**
 * After a restart the local scheduler runs the publicity job at once, and it records the end of
 * every publicity that ended (a conditional write on the result). A publication in flight at that
 * moment lost its own conditional write and answered 409, though nothing was left for its caller to do.
 */
describe('the first publication while the publicity job records the end of publicity', () => {
  const dynamo = useTestDynamo();

  it('publishes (200) and sets the grade, whichever write lands first', async () => {
    const h = await adminHarness(dynamo);
    const { uscc, id, city } = await scoredHospital(h, '上城区');
    const w = await postPublicity(h, city, id);
    h.clock.set(`${nextDay(w.endOn)}T09:00:00+08:00`);
    const job = new PublicityJob({
      results: h.deps.results,
      reader: h.deps.reader,
      audit: new AuditStore(dynamo.db, h.table),
      state: new JobStateStore(dynamo.db, h.table),
      notifier: h.notices,
      clock: h.clock,
    });
    // The job runs after the publication read the result and before it wrote.
    const real = h.deps.workflow.listObjections.bind(h.deps.workflow);
    let ran = false;
    h.deps.workflow.listObjections = async (id) => {
      if (!ran) {
        ran = true;
        expect((await job.run(h.clock.today())).publicityEnded).toBe(1);
      }
      return real(id);
    };
    const res = await h.call('POST', `/v1/admin/assessments/${id}/publish`, await h.token('guidance'));
    expect(res.status).toBe(200);
    expect(ran).toBe(true);
    const detail = await body(await h.call('GET', `/v1/institutions/${uscc}`, null));
    expect(detail.grade).toBe('B');
  });
});
