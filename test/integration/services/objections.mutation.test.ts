import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  StaleWriteError,
  TooManyRequestsError,
} from '#shared/domain/errors.ts';
import type { GradingResult, Objection } from '#shared/domain/model.ts';
import { publiciseAssessment, scoreAssessment, withdrawAssessment } from '#shared/services/assessments.ts';
import type { WorkflowDeps } from '#shared/services/context.ts';
import { closeInstitution } from '#shared/services/institutions.ts';
import {
  dismissObjections,
  listObjectionPage,
  lodgeObjection,
  OBJECTIONS_PER_CLIENT_PER_DAY,
  OPEN_OBJECTIONS_PER_RESULT,
  resolveObjection,
} from '#shared/services/objections.ts';
import { useTestDynamo } from '../../support/local-table.ts';
import {
  CITY,
  districtOfficer,
  failing,
  hospitalInPublicity,
  override,
  registeredHospital,
  type ServiceHarness,
  serviceHarness,
} from '../../support/services.ts';

/**
 * Objections (异议) called on the service itself: who may lodge one and when, the limits (per client per
 * result per day, open ones per result, the same text once), what a lodged objection leaves (item, count,
 * receipt, audit) and what a lost race leaves (nothing); the city's decision (upheld withdraws the result,
 * dismissed lowers the count), a retry that finishes a decision and answers 409, and the bulk dismissal.
 */

const LODGED_AT = '2026-11-23T10:00:00.000+08:00';
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{8}$/;

type Replace = (previous: GradingResult, next: Omit<GradingResult, 'version'>) => Promise<GradingResult>;

/** The deps with the results' conditional write replaced by `replace`. */
function withReplace(h: ServiceHarness, replace: Replace): WorkflowDeps {
  return { ...h.deps, results: override(h.deps.results, { replace }) };
}

/** Writes `change` over the stored result, as another request would. */
async function changeResult(h: ServiceHarness, id: string, change: Partial<GradingResult>) {
  const stored = (await h.deps.results.get(id)) as GradingResult;
  return h.deps.results.replace(stored, { ...stored, ...change });
}

const stale = () => Promise.reject(new StaleWriteError('changed concurrently'));
const stored = async (h: ServiceHarness, id: string) => (await h.deps.results.get(id)) as GradingResult;

describe('lodging an objection', () => {
  const dynamo = useTestDynamo();

  it('stores the open objection, counts it on the result, issues its receipt and audits it', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, result } = await hospitalInPublicity(h);
    const o = await lodgeObjection(h.deps, result.id, '评分过高', 'client-1');
    expect(o).toEqual({
      id: expect.stringMatching(new RegExp(`^${result.id}\\.[0-9a-f]{32}$`)),
      resultId: result.id,
      lodgedAt: LODGED_AT,
      text: '评分过高',
      status: 'open',
      reference: expect.stringMatching(REFERENCE),
    });
    expect(await h.deps.workflow.getObjection(result.id, o.id)).toEqual(o);
    expect(await stored(h, result.id)).toMatchObject({ openObjections: 1, updatedAt: LODGED_AT });
    expect(await h.deps.receipts.get(o.reference as string)).toEqual({
      reference: o.reference,
      objectionId: o.id,
      resultId: result.id,
      uscc,
      receivedOn: '2026-11-23',
      publicityEndOn: result.publicity?.endOn,
      status: 'open',
      decidedOn: null,
      reason: null,
    });
    const entries = (await h.audit(uscc)).filter((e) => e.action === 'objection.lodge');
    expect(entries).toEqual([
      {
        id: `objection:${o.id}`,
        uscc,
        at: LODGED_AT,
        actor: { subject: 'public', role: 'public' },
        action: 'objection.lodge',
        before: null,
        after: o,
      },
    ]);
    const second = await lodgeObjection(h.deps, result.id, '另有异议', 'client-1');
    expect(second.id).not.toBe(o.id);
    expect(second.reference).not.toBe(o.reference);
    expect((await stored(h, result.id)).openObjections).toBe(2);
  });

  it('is 404 for an unknown result and 409 outside publicity or for a closed institution', async () => {
    const h = await serviceHarness(dynamo);
    await expect(lodgeObjection(h.deps, 'no-such-result', '异议', 'c')).rejects.toThrow(
      new NotFoundError('no assessment with id no-such-result'),
    );
    const uscc = await registeredHospital(h);
    const scored = await scoreAssessment(h.deps, CITY, {
      uscc,
      score: 90,
      assessedOn: '2026-11-23',
      reason: 'initial',
    });
    await expect(lodgeObjection(h.deps, scored.id, '太早了', 'c')).rejects.toMatchObject({
      precondition: 'in-publicity',
    });
    const later = await publiciseAssessment(h.deps, CITY, scored.id, '2026-11-30');
    await expect(lodgeObjection(h.deps, later.id, '还没开始', 'c')).rejects.toMatchObject({
      precondition: 'publicity-started',
    });

    const open = await hospitalInPublicity(h);
    await closeInstitution(h.deps, CITY, open.uscc);
    const closed = await lodgeObjection(h.deps, open.result.id, '已注销', 'c').catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(ConflictError);
    expect(closed).toMatchObject({ precondition: 'institution-open' });
    expect(await h.deps.workflow.listObjections(open.result.id)).toEqual([]);
  });

  it(`takes ${OBJECTIONS_PER_CLIENT_PER_DAY} a day from one client to one result, then 429 until Shanghai midnight`, async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    const other = await hospitalInPublicity(h);
    const quotas: { key: string; max: number; expiresAt: number }[] = [];
    const deps = {
      ...h.deps,
      workflow: override(h.deps.workflow, {
        takeQuota: (key: string, max: number, expiresAt: number) => {
          quotas.push({ key, max, expiresAt });
          return h.deps.workflow.takeQuota(key, max, expiresAt);
        },
      }),
    };
    for (let i = 0; i < OBJECTIONS_PER_CLIENT_PER_DAY; i++)
      await lodgeObjection(deps, result.id, `异议${i}`, 'k1');
    const refused = await lodgeObjection(deps, result.id, '第四条', 'k1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({
      message: 'at most 3 objections to one result per day from one client',
      retryAfterSeconds: 14 * 3600,
      limit: 'objections_per_client_per_day',
    });
    expect(await h.deps.workflow.listObjections(result.id)).toHaveLength(3);
    // The counter is the client's, for this result, for today; it is kept until the end of the next day.
    expect(quotas[0]).toEqual({
      key: `k1#${result.id}#2026-11-23`,
      max: 3,
      expiresAt: Date.parse('2026-11-25T00:00:00+08:00') / 1000,
    });
    await lodgeObjection(deps, result.id, '第四条', 'k2');
    await lodgeObjection(deps, other.result.id, '第四条', 'k1');
    h.clock.set('2026-11-24T00:00:01+08:00');
    await lodgeObjection(deps, result.id, '次日再提', 'k1');
    expect(await h.deps.workflow.listObjections(result.id)).toHaveLength(5);
  });

  it(`refuses the ${OPEN_OBJECTIONS_PER_RESULT + 1}st open objection of a result with 429 for an hour`, async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    await changeResult(h, result.id, { openObjections: OPEN_OBJECTIONS_PER_RESULT - 1 });
    await lodgeObjection(h.deps, result.id, '第五十条', 'k1');
    const refused = await lodgeObjection(h.deps, result.id, '第五十一条', 'k2').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({
      message: `assessment ${result.id} already has 50 open objections awaiting review`,
      retryAfterSeconds: 3600,
      limit: 'open_objections_per_result',
    });
    expect(await h.deps.workflow.listObjections(result.id)).toHaveLength(1);
    expect((await stored(h, result.id)).openObjections).toBe(OPEN_OBJECTIONS_PER_RESULT);
  });

  it('folds the same text, however spaced or composed, into the objection already lodged: 409 naming it', async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    const other = await hospitalInPublicity(h);
    const first = await lodgeObjection(h.deps, result.id, '评分 过高 café', 'k1');
    for (const again of ['  评分 过高 café ', '评分\t\n过高   café', '评分 过高 cafe\u0301']) {
      await expect(lodgeObjection(h.deps, result.id, again, 'k2')).rejects.toThrow(
        new ConflictError(`the same objection to ${result.id} was already lodged as ${first.id}`),
      );
    }
    expect(await h.deps.workflow.listObjections(result.id)).toHaveLength(1);
    await lodgeObjection(h.deps, result.id, '评分过高 café', 'k3');
    await lodgeObjection(h.deps, other.result.id, '评分 过高 café', 'k3');
    expect(await h.deps.workflow.listObjections(result.id)).toHaveLength(2);
  });

  it('counts the objection over another one counted meanwhile', async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    let raced = false;
    const deps = withReplace(h, async (previous, next) => {
      if (!raced) {
        raced = true;
        await lodgeObjection(h.deps, result.id, '同时提交', 'k2');
      }
      return h.deps.results.replace(previous, next);
    });
    await lodgeObjection(deps, result.id, '评分过高', 'k1');
    expect((await stored(h, result.id)).openObjections).toBe(2);
    expect(await h.deps.workflow.listObjections(result.id)).toHaveLength(2);
  });

  it('leaves nothing stored when the result left publicity meanwhile: 409', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, result } = await hospitalInPublicity(h);
    const references: string[] = [];
    let raced = false;
    const deps = {
      ...withReplace(h, async (previous, next) => {
        if (!raced) {
          raced = true;
          await withdrawAssessment(h.deps, CITY, result.id);
        }
        return h.deps.results.replace(previous, next);
      }),
      receipts: override(h.deps.receipts, {
        claim: (r) => {
          references.push(r.reference);
          return h.deps.receipts.claim(r);
        },
      }),
    };
    await expect(lodgeObjection(deps, result.id, '评分过高', 'k1')).rejects.toThrow(
      new ConflictError(`assessment ${result.id} left publicity while the objection was being lodged`),
    );
    expect(await h.deps.workflow.listObjections(result.id)).toEqual([]);
    expect(references).toHaveLength(1);
    expect(await h.deps.receipts.get(references[0] as string)).toBeNull();
    expect((await stored(h, result.id)).openObjections).toBe(0);
    expect((await h.audit(uscc)).filter((e) => e.action === 'objection.lodge')).toEqual([]);
  });

  it('leaves nothing stored when the result reached its cap meanwhile: 429, and the text may be sent again', async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    let raced = false;
    const deps = withReplace(h, async (previous, next) => {
      if (!raced) {
        raced = true;
        await changeResult(h, result.id, { openObjections: OPEN_OBJECTIONS_PER_RESULT });
      }
      return h.deps.results.replace(previous, next);
    });
    const refused = await lodgeObjection(deps, result.id, '评分过高', 'k1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect(refused).toMatchObject({ limit: 'open_objections_per_result', retryAfterSeconds: 3600 });
    expect(await h.deps.workflow.listObjections(result.id)).toEqual([]);
    await changeResult(h, result.id, { openObjections: OPEN_OBJECTIONS_PER_RESULT - 1 });
    await lodgeObjection(h.deps, result.id, '评分过高', 'k2');
    expect((await stored(h, result.id)).openObjections).toBe(OPEN_OBJECTIONS_PER_RESULT);
  });

  it('gives up with 409 after nine attempts on a result that never stops changing', async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    let writes = 0;
    const deps = withReplace(h, () => {
      writes++;
      return stale();
    });
    await expect(lodgeObjection(deps, result.id, '评分过高', 'k1')).rejects.toThrow(StaleWriteError);
    expect(writes).toBe(9);
    expect((await stored(h, result.id)).openObjections).toBe(0);
  });
});

describe('deciding an objection', () => {
  const dynamo = useTestDynamo();

  async function lodged(h: ServiceHarness, n = 1) {
    const { uscc, result } = await hospitalInPublicity(h);
    const objections: Objection[] = [];
    for (let i = 0; i < n; i++) objections.push(await lodgeObjection(h.deps, result.id, `异议${i}`, `k${i}`));
    h.clock.set('2026-11-24T15:30:00+08:00');
    return { uscc, result, objections, first: objections[0] as Objection };
  }
  const DECIDED_AT = '2026-11-24T15:30:00.000+08:00';

  /** The city decides `o`; the decision answered and stored is the objection with its resolution. */
  async function decided(h: ServiceHarness, o: Objection, upheld: boolean, resolution: string) {
    const out = await resolveObjection(h.deps, CITY, o.id, { upheld, resolution });
    const resolved = {
      ...o,
      status: upheld ? 'upheld' : 'dismissed',
      resolution,
      resolvedAt: DECIDED_AT,
      resolvedBy: CITY,
    };
    expect(out.objection).toEqual(resolved);
    expect(await h.deps.workflow.getObjection(o.resultId, o.id)).toEqual(resolved);
    return { out, resolved };
  }

  it('is the city’s: another role gets 403, an unknown objection 404', async () => {
    const h = await serviceHarness(dynamo);
    const { first } = await lodged(h);
    const decision = { upheld: false, resolution: '不成立' };
    await expect(resolveObjection(h.deps, districtOfficer('上城区'), first.id, decision)).rejects.toThrow(
      ForbiddenError,
    );
    for (const id of ['no-dot', `${first.resultId}.0000`, `nope.${first.id.split('.')[1]}`]) {
      await expect(resolveObjection(h.deps, CITY, id, decision)).rejects.toThrow(
        new NotFoundError(`no objection with id ${id}`),
      );
    }
    expect((await h.deps.workflow.getObjection(first.resultId, first.id))?.status).toBe('open');
  });

  it('upheld: withdraws the result, feeds objection_upheld, publishes the receipt’s decision and audits it', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, result, first } = await lodged(h);
    const { out, resolved } = await decided(h, first, true, '评分依据不足');
    expect(out.result).toMatchObject({
      status: 'withdrawn',
      updatedAt: DECIDED_AT,
      lastAction: 'withdraw',
      lastActor: CITY,
      lastActionAt: DECIDED_AT,
      previousStatus: 'in_publicity',
    });
    expect(out.result).toEqual(await stored(h, result.id));
    const events = await h.events();
    expect(events.filter((e) => e.type === 'objection_upheld')).toEqual([
      expect.objectContaining({
        uscc,
        district: '上城区',
        occurredAt: DECIDED_AT,
        before: { resultId: result.id, proposedGrade: 'B', score: 90 },
        after: { resultId: result.id, objectionId: first.id, resolution: '评分依据不足' },
      }),
    ]);
    expect(events.filter((e) => e.type === 'withdrawn')).toHaveLength(1);
    expect((await h.deps.reader.getProfile(uscc, true))?.publicity).toBeNull();
    expect(await h.deps.receipts.get(first.reference as string)).toMatchObject({
      status: 'upheld',
      decidedOn: '2026-11-24',
      reason: '评分依据不足',
    });
    expect((await h.audit(uscc)).filter((e) => e.action === 'objection.resolve')).toEqual([
      {
        id: `objection-resolve:${first.id}`,
        uscc,
        at: DECIDED_AT,
        actor: CITY,
        action: 'objection.resolve',
        before: first,
        after: resolved,
      },
    ]);
  });

  it('upheld after publicity ended withdraws the result awaiting confirmation', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    h.clock.set('2026-12-01T09:00:00+08:00');
    const out = await resolveObjection(h.deps, CITY, first.id, { upheld: true, resolution: '成立' });
    expect(out.result.status).toBe('withdrawn');
    expect((await stored(h, result.id)).status).toBe('withdrawn');
  });

  it('upheld cannot withdraw a result published meanwhile: 409, the objection stays open', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    await changeResult(h, result.id, { status: 'published' });
    await expect(
      resolveObjection(h.deps, CITY, first.id, { upheld: true, resolution: '成立' }),
    ).rejects.toThrow(
      new ConflictError(`assessment ${result.id} is published; an objection can no longer withdraw it`),
    );
    expect((await h.deps.workflow.getObjection(result.id, first.id))?.status).toBe('open');
    expect((await stored(h, result.id)).status).toBe('published');
  });

  it('upheld over a result already withdrawn (a retry after the withdrawal) marks it upheld and feeds it', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    const down = failing(h.deps, 'workflow', 'updateObjection');
    await expect(
      resolveObjection(down, CITY, first.id, { upheld: true, resolution: '成立' }),
    ).rejects.toThrow('down');
    expect((await stored(h, result.id)).status).toBe('withdrawn');
    const out = await resolveObjection(h.deps, CITY, first.id, { upheld: true, resolution: '成立' });
    expect(out.objection.status).toBe('upheld');
    expect(out.result.status).toBe('withdrawn');
    expect((await h.events()).filter((e) => e.type === 'objection_upheld')).toHaveLength(1);
  });

  it('upheld still answers when the objection was decided meanwhile: the withdrawal is the decision', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    const racing = {
      ...h.deps,
      workflow: override(h.deps.workflow, {
        updateObjection: () => Promise.reject(new StaleWriteError('changed concurrently')),
      }),
    };
    const out = await resolveObjection(racing, CITY, first.id, { upheld: true, resolution: '成立' });
    expect(out.objection.status).toBe('upheld');
    expect((await stored(h, result.id)).status).toBe('withdrawn');
    expect((await h.events()).filter((e) => e.type === 'objection_upheld')).toHaveLength(1);
  });

  it('dismissed: the objection is decided, the result’s count follows, the receipt and audit say so', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, first } = await lodged(h, 2);
    const { out, resolved } = await decided(h, first, false, '经核查不成立');
    expect(out.result).toMatchObject({ status: 'in_publicity', openObjections: 1 });
    expect(await h.deps.receipts.get(first.reference as string)).toMatchObject({
      status: 'dismissed',
      decidedOn: '2026-11-24',
      reason: '经核查不成立',
    });
    expect((await h.events()).filter((e) => e.type === 'objection_upheld')).toEqual([]);
    expect((await h.audit(uscc)).filter((e) => e.action === 'objection.resolve')).toEqual([
      expect.objectContaining({ id: `objection-resolve:${first.id}`, before: first, after: resolved }),
    ]);
  });

  it('a retry of a dismissal that stopped after its commit finishes the count and the receipt, then 409', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    const crashing = failing(h.deps, 'results', 'replace');
    await expect(
      resolveObjection(crashing, CITY, first.id, { upheld: false, resolution: '不成立' }),
    ).rejects.toThrow('down');
    expect((await stored(h, result.id)).openObjections).toBe(1);
    await expect(
      resolveObjection(h.deps, CITY, first.id, { upheld: false, resolution: '不成立' }),
    ).rejects.toThrow(new ConflictError(`objection ${first.id} was already decided (dismissed)`));
    const counted = await stored(h, result.id);
    expect(counted.openObjections).toBe(0);
    expect(await h.deps.receipts.get(first.reference as string)).toMatchObject({
      status: 'dismissed',
      decidedOn: '2026-11-24',
      reason: '不成立',
    });
    // Once everything is done, a retry changes nothing.
    await expect(resolveObjection(h.deps, CITY, first.id, { upheld: true, resolution: 'x' })).rejects.toThrow(
      ConflictError,
    );
    expect((await stored(h, result.id)).version).toBe(counted.version);
  });

  it('a retry of an upholding that stopped after marking it feeds the event and the receipt, then 409', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    const crashing = failing(h.deps, 'events', 'append');
    await expect(
      resolveObjection(crashing, CITY, first.id, { upheld: true, resolution: '成立' }),
    ).rejects.toThrow('down');
    expect(await h.deps.receipts.get(first.reference as string)).toMatchObject({ status: 'open' });
    await expect(
      resolveObjection(h.deps, CITY, first.id, { upheld: false, resolution: '改判' }),
    ).rejects.toThrow(new ConflictError(`objection ${first.id} was already decided (upheld)`));
    expect((await h.events()).filter((e) => e.type === 'objection_upheld')).toEqual([
      expect.objectContaining({ after: { resultId: result.id, objectionId: first.id, resolution: '成立' } }),
    ]);
    expect(await h.deps.receipts.get(first.reference as string)).toMatchObject({
      status: 'upheld',
      decidedOn: '2026-11-24',
      reason: '成立',
    });
  });

  it('a retry over an objection decided without its time or resolution dates them from the result and the day', async () => {
    const h = await serviceHarness(dynamo);
    const { result, first } = await lodged(h);
    const withdrawn = await withdrawAssessment(h.deps, CITY, result.id);
    await h.deps.workflow.updateObjection(first, { ...first, status: 'upheld' });
    await expect(
      resolveObjection(h.deps, CITY, first.id, { upheld: true, resolution: '成立' }),
    ).rejects.toThrow(ConflictError);
    expect((await h.events()).filter((e) => e.type === 'objection_upheld')).toEqual([
      expect.objectContaining({
        occurredAt: withdrawn.updatedAt,
        after: { resultId: result.id, objectionId: first.id, resolution: null },
      }),
    ]);
    expect(await h.deps.receipts.get(first.reference as string)).toMatchObject({
      status: 'upheld',
      decidedOn: '2026-11-24',
      reason: '',
    });
  });

  it('leaves the count of a withdrawn or published result as it is', async () => {
    const h = await serviceHarness(dynamo);
    const { result, objections } = await lodged(h, 2);
    const [a, b] = objections as [Objection, Objection];
    await resolveObjection(h.deps, CITY, a.id, { upheld: true, resolution: '成立' });
    const withdrawn = await stored(h, result.id);
    await resolveObjection(h.deps, CITY, b.id, { upheld: false, resolution: '一并处理' });
    expect(await stored(h, result.id)).toEqual(withdrawn);

    const other = await lodged(h);
    await resolveObjection(h.deps, CITY, other.first.id, { upheld: false, resolution: '不成立' });
    const published = await changeResult(h, other.result.id, { status: 'published', openObjections: 1 });
    await expect(
      resolveObjection(h.deps, CITY, other.first.id, { upheld: false, resolution: '不成立' }),
    ).rejects.toThrow(ConflictError);
    expect(await stored(h, other.result.id)).toEqual(published);
  });

  it('leaves a count still racing after five attempts to the next change, and passes other failures on', async () => {
    const h = await serviceHarness(dynamo);
    const { result, objections } = await lodged(h, 2);
    const [a, b] = objections as [Objection, Objection];
    let writes = 0;
    const racing = withReplace(h, () => {
      writes++;
      return stale();
    });
    const out = await resolveObjection(racing, CITY, a.id, { upheld: false, resolution: '不成立' });
    expect(out.objection.status).toBe('dismissed');
    expect(writes).toBe(5);
    expect((await stored(h, result.id)).openObjections).toBe(2);
    const down = failing(h.deps, 'results', 'replace');
    await expect(resolveObjection(down, CITY, b.id, { upheld: false, resolution: '不成立' })).rejects.toThrow(
      'down',
    );
  });
});

describe('listing and dismissing objections in bulk', () => {
  const dynamo = useTestDynamo();

  it('pages a result’s objections for its regulators only', async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    const a = await lodgeObjection(h.deps, result.id, '一', 'k1');
    const b = await lodgeObjection(h.deps, result.id, '二', 'k2');
    const page = await listObjectionPage(h.deps, CITY, result.id, 1, null);
    expect(page.items).toHaveLength(1);
    const rest = await listObjectionPage(h.deps, CITY, result.id, 5, page.lastKey);
    expect([...page.items, ...rest.items].map((o) => o.id).sort()).toEqual([a.id, b.id].sort());
    await expect(listObjectionPage(h.deps, districtOfficer('西湖区'), result.id, 5, null)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('dismisses the open ones among the ids given, then all still open, skipping the decided ones', async () => {
    const h = await serviceHarness(dynamo);
    const { uscc, result } = await hospitalInPublicity(h);
    const [a, b, c, d] = [
      await lodgeObjection(h.deps, result.id, '一', 'k1'),
      await lodgeObjection(h.deps, result.id, '二', 'k2'),
      await lodgeObjection(h.deps, result.id, '三', 'k3'),
      await lodgeObjection(h.deps, result.id, '四', 'k4'),
    ];
    h.clock.set('2026-11-24T11:00:00+08:00');
    await resolveObjection(h.deps, CITY, d.id, { upheld: false, resolution: '单独处理' });
    await expect(
      dismissObjections(h.deps, districtOfficer('上城区'), result.id, { resolution: 'x' }),
    ).rejects.toThrow(ForbiddenError);
    h.clock.set('2026-11-24T12:00:00+08:00');
    const some = await dismissObjections(h.deps, CITY, result.id, {
      resolution: '重复提交',
      ids: [a.id, d.id, `${result.id}.unknown`],
    });
    expect(some.dismissed).toEqual([a.id]);
    expect(some.result.openObjections).toBe(2);
    expect(await h.deps.workflow.getObjection(result.id, a.id)).toEqual({
      ...a,
      status: 'dismissed',
      resolution: '重复提交',
      resolvedAt: '2026-11-24T12:00:00.000+08:00',
      resolvedBy: CITY,
    });
    expect(await h.deps.receipts.get(a.reference as string)).toMatchObject({
      status: 'dismissed',
      decidedOn: '2026-11-24',
      reason: '重复提交',
    });
    expect((await h.deps.workflow.getObjection(result.id, d.id))?.resolution).toBe('单独处理');

    h.clock.set('2026-11-24T13:00:00+08:00');
    const rest = await dismissObjections(h.deps, CITY, result.id, { resolution: '经核查不成立' });
    expect(rest.dismissed.sort()).toEqual([b.id, c.id].sort());
    expect(rest.result.openObjections).toBe(0);
    expect(rest.result).toEqual(await stored(h, result.id));
    const entries = (await h.audit(uscc)).filter((e) => e.id.startsWith('objection-dismiss-all:'));
    expect(entries).toEqual([
      {
        id: `objection-dismiss-all:${result.id}:2026-11-24T12:00:00.000+08:00`,
        uscc,
        at: '2026-11-24T12:00:00.000+08:00',
        actor: CITY,
        action: 'objection.resolve',
        before: { resultId: result.id, open: 1 },
        after: { resultId: result.id, dismissed: [a.id], resolution: '重复提交' },
      },
      expect.objectContaining({
        at: '2026-11-24T13:00:00.000+08:00',
        before: { resultId: result.id, open: 2 },
        after: { resultId: result.id, dismissed: rest.dismissed, resolution: '经核查不成立' },
      }),
    ]);
  });

  it('skips an objection decided while the dismissal runs, and passes other failures on', async () => {
    const h = await serviceHarness(dynamo);
    const { result } = await hospitalInPublicity(h);
    const a = await lodgeObjection(h.deps, result.id, '一', 'k1');
    const b = await lodgeObjection(h.deps, result.id, '二', 'k2');
    const racing = {
      ...h.deps,
      workflow: override(h.deps.workflow, {
        updateObjection: (previous: Objection, next: Objection) =>
          previous.id === a.id
            ? Promise.reject(new StaleWriteError('changed concurrently'))
            : h.deps.workflow.updateObjection(previous, next),
      }),
    };
    const out = await dismissObjections(racing, CITY, result.id, { resolution: '不成立' });
    expect(out.dismissed).toEqual([b.id]);
    expect(await h.deps.receipts.get(b.reference as string)).toMatchObject({ status: 'dismissed' });
    expect(await h.deps.receipts.get(a.reference as string)).toMatchObject({ status: 'open' });
    const down = failing(h.deps, 'workflow', 'updateObjection');
    await expect(dismissObjections(down, CITY, result.id, { resolution: '不成立' })).rejects.toThrow('down');
  });
});
