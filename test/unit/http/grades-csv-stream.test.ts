import { describe, expect, it } from 'vitest';
import type { Kind } from '#shared/domain/types.ts';
import { gradesCsvStream } from '#shared/http/public/export.ts';
import type { InstitutionReader } from '#shared/store/institution-reader.ts';
import { profileFixture } from '../../support/profiles.ts';

describe('gradesCsvStream', () => {
  it('ends when some kinds have no institution and a page comes back empty', async () => {
    const clinic = profileFixture({ kind: 'clinic' });
    // hospital: none; outpatient: an empty page that still says there may be more; clinic: one.
    const pages: Record<Kind, Array<{ items: unknown[]; lastKey: Record<string, unknown> | null }>> = {
      hospital: [{ items: [], lastKey: null }],
      outpatient: [
        { items: [], lastKey: { pk: 'x' } },
        { items: [], lastKey: null },
      ],
      clinic: [{ items: [{ ...clinic, key: {} }], lastKey: null }],
    };
    const reader = {
      listKind: async ({ kind }: { kind: Kind }) => pages[kind].shift() ?? { items: [], lastKey: null },
    } as unknown as InstitutionReader;
    const text = await new Response(gradesCsvStream(reader, '2026-11-23')).text();
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(clinic.uscc);
  });
});
