import { describe, expect, it } from 'vitest';
import { ConflictError, StaleWriteError } from '#shared/domain/errors.ts';
import { retryOnConflict } from '#shared/store/retry-on-conflict.ts';

describe('retryOnConflict', () => {
  it('runs again after a lost race and answers what the winning run returns', async () => {
    const seen: number[] = [];
    const out = await retryOnConflict(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 2) throw new StaleWriteError('changed concurrently');
        return 'stored';
      },
      { attempts: 3, pause: true },
    );
    expect(out).toBe('stored');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('throws the last conflict once the attempts are spent', async () => {
    let runs = 0;
    const last = new StaleWriteError('third');
    await expect(
      retryOnConflict(
        async () => {
          runs++;
          throw runs === 3 ? last : new StaleWriteError('earlier');
        },
        { attempts: 3 },
      ),
    ).rejects.toBe(last);
    expect(runs).toBe(3);
  });

  it('never retries a refused step or any other error', async () => {
    for (const err of [new ConflictError('cannot publish: it is draft'), new Error('network')]) {
      let runs = 0;
      await expect(
        retryOnConflict(
          async () => {
            runs++;
            throw err;
          },
          { attempts: 5 },
        ),
      ).rejects.toBe(err);
      expect(runs).toBe(1);
    }
  });

  it('retries what the caller calls a conflict', async () => {
    let runs = 0;
    const out = await retryOnConflict(
      async () => {
        if (++runs === 1)
          throw Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
        return runs;
      },
      { attempts: 2, isConflict: (e) => (e as Error).name === 'ConditionalCheckFailedException' },
    );
    expect(out).toBe(2);
  });
});
