import { describe, expect, it } from 'vitest';
import { fixedClock } from '#shared/clock.ts';
import { ConflictError, ForbiddenError, NotFoundError, StaleWriteError } from '#shared/domain/errors.ts';
import type { InstitutionProfile } from '#shared/domain/model.ts';
import type { NoticeIntent } from '#shared/notify/port.ts';
import {
  actorOf,
  appendEvent,
  mustGetProfile,
  notify,
  recordAudit,
  requireScope,
  updateProfile,
  type WorkflowDeps,
} from '#shared/services/context.ts';
import { EventAppendInProgressError, type NewChangeEvent } from '#shared/store/events.ts';
import type { StoredViolation } from '#shared/store/workflow.ts';
import { profileFixture } from '../../support/institutions.ts';

/**
 * What every regulator's write relies on: who the audit trail says acted, the scope check on the loaded
 * object, 404 for an unknown institution, a profile change applied again over a concurrent one (up to a
 * cap), and the idempotent event, audit and notice steps that swallow only the repeat they expect.
 */

const NOW = '2026-11-23T10:00:00+08:00';

/** The parts of WorkflowDeps these helpers touch, backed by one stored profile. */
function fakeDeps(stored: InstitutionProfile | null, opts: { conflicts?: number } = {}) {
  let profile = stored;
  let conflicts = opts.conflicts ?? 0;
  const calls = { reads: [] as boolean[], saves: 0, violationLists: 0 };
  const violations = [{ id: 'v1' } as StoredViolation];
  const deps = {
    clock: fixedClock(NOW),
    reader: {
      getProfile: async (_uscc: string, consistent = false) => {
        calls.reads.push(consistent);
        return profile;
      },
    },
    writer: {
      saveProfile: async (previous: InstitutionProfile, next: Omit<InstitutionProfile, 'version'>) => {
        calls.saves++;
        if (conflicts-- > 0) throw new StaleWriteError('changed concurrently');
        profile = { ...next, version: previous.version + 1 };
        return profile;
      },
    },
    workflow: {
      listViolations: async () => {
        calls.violationLists++;
        return violations;
      },
    },
  } as unknown as WorkflowDeps;
  return { deps, calls, violations, stored: () => profile };
}

describe('actorOf', () => {
  it('keeps the claims the token carries and no empty ones', () => {
    expect(actorOf({ subject: 's', role: 'city' })).toEqual({ subject: 's', role: 'city' });
    expect(actorOf({ subject: 'd', role: 'district', district: '西湖区' })).toEqual({
      subject: 'd',
      role: 'district',
      district: '西湖区',
    });
    expect(actorOf({ subject: 'i', role: 'institution', uscc: 'U1' })).toEqual({
      subject: 'i',
      role: 'institution',
      uscc: 'U1',
    });
    expect(actorOf({ subject: 'a', role: 'association', association: '中国整形美容协会' })).toEqual({
      subject: 'a',
      role: 'association',
      association: '中国整形美容协会',
    });
  });
});

describe('requireScope', () => {
  const association = { subject: 'a', role: 'association' as const, association: '中国整形美容协会' };

  it('lets the caller act within its scope', () => {
    expect(() =>
      requireScope('deleteV1AdminInstitutionsByUsccIndustryRating', association, {
        ratedBy: '中国整形美容协会',
      }),
    ).not.toThrow();
  });

  it('refuses with 403 and the table’s reason outside it', () => {
    const act = () =>
      requireScope('deleteV1AdminInstitutionsByUsccIndustryRating', association, {
        ratedBy: '浙江省医学美容协会',
      });
    expect(act).toThrow(ForbiddenError);
    expect(act).toThrow('中国整形美容协会 acts only on its own rating, not that of 浙江省医学美容协会');
  });
});

describe('mustGetProfile', () => {
  it('reads the profile strongly consistent, so a write just made is seen', async () => {
    const { deps, calls } = fakeDeps(profileFixture(1));
    expect((await mustGetProfile(deps, profileFixture(1).uscc)).uscc).toBe(profileFixture(1).uscc);
    expect(calls.reads).toEqual([true]);
  });

  it('is 404 naming the uscc when no institution has it', async () => {
    const { deps } = fakeDeps(null);
    const read = mustGetProfile(deps, 'UNKNOWN');
    await expect(read).rejects.toThrow(NotFoundError);
    await expect(mustGetProfile(deps, 'UNKNOWN')).rejects.toThrow('no institution with uscc UNKNOWN');
  });
});

describe('updateProfile', () => {
  it('saves the change stamped with the time of the write, without the violations unless asked', async () => {
    const { deps, calls } = fakeDeps(profileFixture(1));
    const seen: number[] = [];
    const saved = await updateProfile(deps, 'U', (p, violations) => {
      seen.push(violations.length);
      return { ...p, aliases: ['别名'] };
    });
    expect(saved).toMatchObject({
      aliases: ['别名'],
      version: 2,
      updatedAt: '2026-11-23T10:00:00.000+08:00',
    });
    expect(seen).toEqual([0]);
    expect(calls.violationLists).toBe(0);
  });

  it('hands the change the institution’s violations when asked', async () => {
    const { deps, violations } = fakeDeps(profileFixture(1));
    let seen: StoredViolation[] = [];
    await updateProfile(
      deps,
      'U',
      (p, v) => {
        seen = v;
        return p;
      },
      { withViolations: true },
    );
    expect(seen).toEqual(violations);
  });

  it('writes nothing and returns the stored profile when the change has nothing to do', async () => {
    const { deps, calls } = fakeDeps(profileFixture(1));
    const same = await updateProfile(deps, 'U', () => null);
    expect(same).toEqual(profileFixture(1));
    expect(calls.saves).toBe(0);
  });

  it('applies the change again after a concurrent write, up to nine attempts, then gives up with the conflict', async () => {
    const eight = fakeDeps(profileFixture(1), { conflicts: 8 });
    await expect(updateProfile(eight.deps, 'U', (p) => ({ ...p, aliases: ['x'] }))).resolves.toMatchObject({
      aliases: ['x'],
    });
    expect(eight.calls.saves).toBe(9);

    const nine = fakeDeps(profileFixture(1), { conflicts: 9 });
    await expect(updateProfile(nine.deps, 'U', (p) => ({ ...p, aliases: ['x'] }))).rejects.toThrow(
      StaleWriteError,
    );
    expect(nine.calls.saves).toBe(9);
    expect(nine.stored()?.aliases).toEqual([]);
  });

  it('is 404 for an unknown institution, trying nothing else', async () => {
    const { deps, calls } = fakeDeps(null);
    await expect(updateProfile(deps, 'U', (p) => p)).rejects.toThrow(NotFoundError);
    expect(calls.saves).toBe(0);
  });
});

describe('appendEvent', () => {
  const event = { key: 'k', type: 'published' } as NewChangeEvent;
  const failing = (err: Error) =>
    ({ events: { append: async () => Promise.reject(err) } }) as unknown as WorkflowDeps;

  it('appends the event', async () => {
    const appended: NewChangeEvent[] = [];
    const deps = {
      events: { append: async (e: NewChangeEvent) => void appended.push(e) },
    } as unknown as WorkflowDeps;
    await appendEvent(deps, event);
    expect(appended).toEqual([event]);
  });

  it('leaves an event another request is appending to that request', async () => {
    await expect(appendEvent(failing(new EventAppendInProgressError('k')), event)).resolves.toBeUndefined();
  });

  it('passes on every other failure, a plain conflict included', async () => {
    await expect(appendEvent(failing(new ConflictError('other')), event)).rejects.toThrow('other');
    await expect(appendEvent(failing(new Error('down')), event)).rejects.toThrow('down');
  });
});

describe('recordAudit', () => {
  const entry = {
    id: 'x:1',
    uscc: 'U',
    at: NOW,
    actor: { subject: 's', role: 'city' as const },
    action: 'x',
    before: null,
    after: null,
  };
  const failing = (err: Error) =>
    ({ audit: { record: async () => Promise.reject(err) } }) as unknown as WorkflowDeps;

  it('records the entry', async () => {
    const recorded: unknown[] = [];
    const deps = {
      audit: { record: async (e: unknown) => void recorded.push(e) },
    } as unknown as WorkflowDeps;
    await recordAudit(deps, entry);
    expect(recorded).toEqual([entry]);
  });

  it('adds nothing when the entry is already there (its conditional put fails)', async () => {
    const duplicate = Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
    await expect(recordAudit(failing(duplicate), entry)).resolves.toBeUndefined();
  });

  it('passes on any other failure, so no change goes unaudited silently', async () => {
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    await expect(recordAudit(failing(throttled), entry)).rejects.toThrow('slow down');
  });
});

describe('notify', () => {
  it('sends the notices, and calls no notifier for none', async () => {
    const sent: NoticeIntent[][] = [];
    const deps = {
      notifier: { notify: async (i: NoticeIntent[]) => void sent.push(i) },
    } as unknown as WorkflowDeps;
    await notify(deps, []);
    expect(sent).toEqual([]);
    const intent = {
      uscc: 'U',
      kind: 'downgraded',
      cycle: 'c',
      params: {},
      on: '2026-11-23',
    } as NoticeIntent;
    await notify(deps, [intent]);
    expect(sent).toEqual([[intent]]);
  });
});
