import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { addYears } from '#shared/domain/dates.ts';
import { downgradeTarget } from '#shared/domain/downgrade.ts';
import { buildDemoData, demoItems } from '#shared/local/demo.ts';
import { keys } from '#shared/store/keys.ts';

const TODAY = '2026-11-23';
const demo = () => buildDemoData({ count: 320, today: TODAY, calendar: new WorkingDayCalendar() });

describe('buildDemoData', () => {
  it('closes some institutions after their latest publication, with the event and no reminder', () => {
    const data = demo();
    const closed = data.profiles.filter((p) => p.closed);
    expect(closed.length).toBeGreaterThan(0);
    for (const p of closed) {
      expect(p.closedOn).not.toBeNull();
      expect(p.closedOn! <= TODAY).toBe(true);
      expect(p.closedOn! > (p.history[0]?.publishedOn ?? p.registeredOn)).toBe(true);
      expect(p.nextReminder).toBeNull();
      const events = data.events.filter((e) => e.uscc === p.uscc && e.type === 'institution_closed');
      expect(events).toEqual([expect.objectContaining({ after: { closed: true, closedOn: p.closedOn } })]);
    }
  });

  it('downgrades some institutions by the severity of a recorded violation', () => {
    const data = demo();
    const downgraded = data.profiles.filter((p) => p.history[0]?.reason === 'downgrade');
    expect(downgraded.length).toBeGreaterThan(0);
    for (const p of downgraded) {
      const [entry, before] = p.history;
      const violation = data.violations.find((v) => v.downgradeResultId === entry?.resultId);
      expect(violation).toBeDefined();
      expect(violation?.gradeBefore).toBe(before?.grade);
      expect(entry?.grade).toBe(downgradeTarget(before?.grade ?? null, violation!.severity));
      expect(p.grade).toBe(entry?.grade);
      // The earlier of the due date it had and the new grade's interval from the downgrade.
      expect(p.nextReviewDue! <= addYears(entry!.publishedOn, 4)).toBe(true);
      expect(data.results.find((r) => r.id === entry?.resultId)).toMatchObject({ status: 'published' });
      expect(data.events.filter((e) => e.uscc === p.uscc && e.type === 'downgraded')).toHaveLength(1);
    }
  });

  it('writes each violation and keys each event as the workflow would, so a retried step appends nothing', () => {
    const data = demo();
    const items = demoItems(data);
    const has = (key: { pk: string; sk: string }) => items.some((i) => i.pk === key.pk && i.sk === key.sk);
    for (const v of data.violations) {
      expect(has(keys.violation(v.uscc, v.occurredOn, v.id))).toBe(true);
      expect(has(keys.eventClaim(`downgraded:${v.id}`))).toBe(true);
    }
    for (const p of data.profiles.filter((p) => p.closed)) {
      expect(has(keys.eventClaim(`institution_closed:${p.uscc}`))).toBe(true);
    }
  });
});
