import { describe, expect, it } from 'vitest';
import * as domain from '../../../shared/domain/index.ts';

describe('index', () => {
  it('re-exports every module', () => {
    for (const name of [
      'GRADES',
      'addDays',
      'CalendarNotCoveredError',
      'validateUscc',
      'gradeForScore',
      'WorkingDayCalendar',
      'nextReviewDue',
      'downgradeTarget',
      'checkUpgradeEligibility',
      'measuresForGrade',
      'drawInspectionPlan',
      'isOnWatchList',
      'entersDishonestyRecord',
      'nextStatus',
    ]) {
      expect(domain, name).toHaveProperty(name);
    }
  });
});
