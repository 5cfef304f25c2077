import { StaleWriteError } from '../domain/errors.ts';

export interface RetryOptions {
  /** Runs at the most, the first included. */
  attempts: number;
  /** A short random pause before each retry, growing with the attempt, so racing writers spread out. */
  pause?: boolean;
  /** Whether an error is a lost race (default: a StaleWriteError from a conditional write). */
  isConflict?: (err: unknown) => boolean;
}

/**
 * Runs `run` (read, decide, conditional write) again while its write loses a race to a concurrent
 * change, up to `attempts` runs; then the last conflict is thrown. `run` reads afresh each time: the
 * decision is taken again on the new state. `attempt` counts from 0.
 */
export async function retryOnConflict<T>(
  run: (attempt: number) => Promise<T>,
  { attempts, pause = false, isConflict = (err) => err instanceof StaleWriteError }: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (!isConflict(err) || attempt + 1 >= attempts) throw err;
      if (pause) await new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));
    }
  }
}
