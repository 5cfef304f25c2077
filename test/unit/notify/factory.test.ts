import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNotifier } from '#shared/notify/factory.ts';

describe('createNotifier', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs a warning for every intent while delivery is not configured', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await createNotifier({ STAGE: 'test' }).notify([
      { uscc: 'U1', kind: 'result_published', cycle: 'r1', params: {}, on: '2026-11-23' },
      { uscc: 'U2', kind: 'downgraded', cycle: 'v1', params: {}, on: '2026-11-23' },
    ]);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(JSON.parse(String(warn.mock.calls[0]?.[0]))).toMatchObject({
      level: 'warn',
      uscc: 'U1',
      kind: 'result_published',
    });
  });
});
