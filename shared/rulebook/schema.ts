import * as z from 'zod';
import { isValidDate } from '../domain/dates.ts';
import { GRADES } from '../domain/types.ts';

/**
 * The shape of a city's rulebook (docs/rulebook.md): everything the seed leaves to the city — its
 * districts, thresholds, intervals, publicity days, reminders, upgrade and downgrade rules,
 * conveniences, watch list, who scores which kind, wording and the coverage target. The grade letters,
 * the kinds of institution and the severities are the scheme's vocabulary and stay in code.
 */

const GradeSchema = z.enum(GRADES);
const dateString = z
  .string()
  .refine((s) => isValidDate(s), { message: 'expected a calendar date YYYY-MM-DD' });
const nonEmpty = z.string().trim().min(1, { message: 'expected a non-empty string' });
const ratio = z.number().min(0).max(1);
/** One value per grade, A to D. */
const perGrade = <T extends z.ZodType>(value: T) =>
  z.strictObject({ A: value, B: value, C: value, D: value });

const GradeRuleSchema = z.strictObject({
  grade: GradeSchema,
  /** Lowest score of the grade; the band runs up to the next grade's floor (half-open). */
  min: z.number().min(0).max(100),
  label: nonEmpty,
  meaning: nonEmpty,
});

/** Adds a problem the loader prints by its message (load.ts `describe`), whatever zod issue code it carries. */
function problem(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  // Stryker disable next-line StringLiteral: the loader prints a custom issue by its message alone
  ctx.addIssue({ code: 'custom', path, message });
}

const InspectionBoundSchema = z
  .strictObject({ min: ratio.optional(), max: ratio.optional(), default: ratio })
  .superRefine((b, ctx) => {
    if ((b.min === undefined) === (b.max === undefined)) {
      problem(ctx, [], 'expected exactly one of min or max');
    } else if (
      // Stryker disable next-line ConditionalExpression: a comparison with an undefined bound is false anyway
      (b.min !== undefined && b.default < b.min) ||
      // Stryker disable next-line ConditionalExpression: the same for the upper bound
      (b.max !== undefined && b.default > b.max)
    ) {
      problem(ctx, ['default'], 'expected a rate within the bound');
    }
  });

const ConvenienceSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'expected a snake_case code' }),
  label: nonEmpty,
  description: nonEmpty,
  grades: z.array(GradeSchema).min(1),
});

export const WATCH_LIST_ACTIVITIES = ['generalAnesthesia', 'liposuction', 'prepaidNonCompliant'] as const;

const revisionFields = {
  grades: z.array(GradeRuleSchema).length(GRADES.length),
  reviewIntervalYears: perGrade(z.number().int().min(1).max(10)),
  /** Days before the due date of the first, second and third reminder. */
  reminderDaysBefore: z.array(z.number().int().min(1).max(366)).length(3),
  publicity: z.strictObject({ workingDays: z.number().int().min(1).max(30) }),
  inspection: perGrade(InspectionBoundSchema),
  upgrade: z.strictObject({
    eligibleGrades: z.array(GradeSchema),
    applicationsPerYear: z.number().int().min(0),
    banYears: z.number().int().min(0).max(10),
  }),
  downgrade: z.strictObject({
    minor: z.number().int().min(0).max(3),
    general: z.union([z.number().int().min(0).max(3), z.literal('to_D')]),
    serious: z.union([z.number().int().min(0).max(3), z.literal('to_D')]),
    severe: z.union([z.number().int().min(0).max(3), z.literal('to_D')]),
  }),
  conveniences: z.array(ConvenienceSchema),
  watchList: z.strictObject({
    grades: z.array(GradeSchema),
    activities: z.array(z.strictObject({ key: z.enum(WATCH_LIST_ACTIVITIES), label: nonEmpty })),
  }),
  prudentSupervision: z.strictObject({
    complianceRectificationGrades: z.array(GradeSchema),
    dishonestyExemptGrades: z.array(GradeSchema),
  }),
};

/** The rules in force from `effectiveFrom` on (every field present once merged over earlier revisions). */
export const RevisionSchema = z
  .strictObject({ id: nonEmpty, effectiveFrom: dateString, ...revisionFields })
  .superRefine((r, ctx) => {
    r.grades.forEach((g, i) => {
      if (g.grade !== GRADES[i]) {
        problem(ctx, ['grades', i, 'grade'], `expected ${GRADES[i]}`);
      }
      // Stryker disable next-line EqualityOperator: no floor lands exactly 1e-9 from a tenth
      if (Math.abs(Math.round(g.min * 10) - g.min * 10) > 1e-9) {
        problem(ctx, ['grades', i, 'min'], 'expected at most one decimal');
      }
      const above = r.grades[i - 1];
      if (above && g.min >= above.min) {
        problem(ctx, ['grades', i, 'min'], `expected less than ${above.grade}'s floor ${above.min}`);
      }
    });
    const last = r.grades.at(-1);
    if (last && last.min !== 0) {
      problem(ctx, ['grades', r.grades.length - 1, 'min'], 'expected 0');
    }
    r.reminderDaysBefore.forEach((d, i) => {
      const before = r.reminderDaysBefore[i - 1];
      // Stryker disable next-line ConditionalExpression: a comparison with undefined is false anyway
      if (before !== undefined && d >= before) {
        problem(
          ctx,
          ['reminderDaysBefore', i],
          `expected fewer days than the reminder before it (${before})`,
        );
      }
    });
    const codes = new Set<string>();
    r.conveniences.forEach((c, i) => {
      if (codes.has(c.code)) {
        problem(ctx, ['conveniences', i, 'code'], 'duplicate code');
      }
      codes.add(c.code);
    });
  });

/** A later revision names only what changes; the rest carries over from the revision before it. */
export const RevisionPatchSchema = z
  .strictObject({ id: nonEmpty, effectiveFrom: dateString })
  .extend(z.strictObject(revisionFields).partial().shape);

const DistrictRuleSchema = z.strictObject({
  name: nonEmpty,
  /** Used where a name is built from the place (demo data). */
  shortName: nonEmpty,
  /** Administrative division code (GB/T 2260), 6 digits. */
  code: z.string().regex(/^\d{6}$/, { message: 'expected a 6-digit administrative code' }),
  /**
   * Roughly where the district's seat is (GCJ-02) and how far its institutions spread from it: the demo
   * register places its institutions around it. Optional: without it demo institutions have no location.
   */
  centre: z
    .strictObject({
      lat: z.number().min(-90).max(90),
      lng: z.number().min(-180).max(180),
      spreadKm: z.number().positive().max(100),
    })
    .optional(),
});

const KindRuleSchema = z.strictObject({
  label: nonEmpty,
  /** Who scores this kind: the city institute, or the district institute of the institution's district. */
  scoredBy: z.enum(['city', 'district']),
});

const httpsUrl = z
  .string()
  .regex(/^https:\/\/[^\s]+$/, { message: 'expected an https:// address' })
  .nullable();

/**
 * Who the public can turn to (every page's footer and the institution page): the regulator, its phone,
 * address and office hours, the government hotline, and where to check a licence or lodge a complaint
 * online. Null where the operator has not yet filled a fact in: a page shows only what is set.
 */
const ContactSchema = z.strictObject({
  regulator: nonEmpty,
  phone: z
    .string()
    .regex(/^[0-9][0-9-]{2,19}$/, { message: 'expected digits and hyphens, e.g. 0571-00000000' })
    .nullable(),
  address: nonEmpty.nullable(),
  hours: nonEmpty.nullable(),
  /** The city's government service hotline (12345), which takes complaints and reports of any kind. */
  hotline: z.string().regex(/^\d{3,8}$/, { message: 'expected the hotline number, e.g. 12345' }),
  complaintUrl: httpsUrl,
  licenceCheckUrl: httpsUrl,
});

export const RulebookSchema = z.strictObject({
  /** Lower-case ASCII slug: names the stacks and the site (`YimeiCredit-ningbo-…`). */
  id: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/, { message: 'expected a lower-case slug such as ningbo' }),
  city: z.strictObject({
    name: nonEmpty,
    shortName: nonEmpty,
    code: z.string().regex(/^\d{6}$/, { message: 'expected a 6-digit administrative code' }),
  }),
  districts: z.array(DistrictRuleSchema).min(1),
  /** The kinds in scope, their labels and who scores them; a kind left out is out of scope. */
  kinds: z.strictObject({
    hospital: KindRuleSchema.optional(),
    outpatient: KindRuleSchema.optional(),
    clinic: KindRuleSchema.optional(),
  }),
  wording: z.strictObject({
    schemeName: nonEmpty,
    siteTitle: nonEmpty,
    authority: nonEmpty,
    cityInstitute: nonEmpty,
    districtInstituteSuffix: nonEmpty,
    smsSignature: z
      .string()
      .regex(/^【[^【】]{2,16}】$/, { message: 'expected 【signature】 of 2–16 characters' }),
    source: nonEmpty,
  }),
  contact: ContactSchema,
  coverage: z.strictObject({ target: ratio, by: dateString }),
  demo: z.strictObject({ streets: z.array(nonEmpty).min(1) }),
  revisions: z.array(z.unknown()).min(1, { message: 'expected at least one revision' }),
});

export type CityContact = z.infer<typeof ContactSchema>;
export type GradeRule = z.infer<typeof GradeRuleSchema>;
export type Convenience = z.infer<typeof ConvenienceSchema>;
export type DistrictRule = z.infer<typeof DistrictRuleSchema>;
export type RuleRevision = z.infer<typeof RevisionSchema>;
export type DowngradeSteps = RuleRevision['downgrade'];
export type WatchListActivity = (typeof WATCH_LIST_ACTIVITIES)[number];

/** A validated rulebook: every revision complete (patches merged), in date order. */
export type Rulebook = Omit<z.infer<typeof RulebookSchema>, 'revisions'> & {
  revisions: RuleRevision[];
};
