import { describe, expect, it } from 'vitest';
import { pendingOf } from '#shared/domain/register-row.ts';

describe('a publicity as a list shows it', () => {
  const window = { proposedGrade: 'B' as const, startOn: '2026-12-01', endOn: '2026-12-07' };

  it('is nothing without a publicity', () => {
    expect(pendingOf(null)).toBeNull();
    expect(pendingOf(undefined)).toBeNull();
  });

  it('shows the proposed grade and the window, and names the result when it is known', () => {
    expect(pendingOf(window)).toEqual(window);
    expect(pendingOf({ ...window, resultId: 'r1' })).toEqual({ ...window, resultId: 'r1' });
  });

  it('says it may not be published only when a downgrade keeps it from it', () => {
    expect(pendingOf({ ...window, unpublishable: true })).toEqual({ ...window, unpublishable: true });
    expect(pendingOf({ ...window, unpublishable: false })).toEqual(window);
  });
});
