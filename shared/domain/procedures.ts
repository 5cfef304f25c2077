import * as z from 'zod';
import catalogueFile from '../../data/procedures.json' with { type: 'json' };
import {
  type Licence,
  SUBJECTS,
  SURGERY_SUBJECT,
  type Subject,
  type SurgeryLevel,
} from './practice-scope.ts';

/**
 * The catalogue of common procedures (data/procedures.json), each with the subject and cosmetic-surgery
 * level it belongs to, and the source the levels come from. Checked when the module loads: a broken
 * catalogue stops the process at start-up rather than answering wrongly.
 */

export interface Procedure {
  /** What people call it, and the value of `procedure=`. */
  name: string;
  /** The item's name in the classification. */
  formal: string;
  subject: Subject;
  /** Its surgery level; null for subjects the classification does not grade. */
  level: SurgeryLevel | null;
}

const CatalogueSchema = z
  .object({
    source: z.object({
      title: z.string().min(1),
      document: z.string().min(1),
      issuedBy: z.string().min(1),
      issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      cityAdjustments: z.string().min(1),
      note: z.string(),
    }),
    procedures: z
      .array(
        z
          .object({
            name: z.string().min(1).max(20),
            formal: z.string().min(1),
            subject: z.enum(SUBJECTS),
            level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullable(),
          })
          .refine((p) => (p.subject === SURGERY_SUBJECT) === (p.level !== null), {
            message: 'a level exactly for 美容外科 items',
          }),
      )
      .min(1)
      .refine((ps) => new Set(ps.map((p) => p.name)).size === ps.length, { message: 'names must be unique' }),
  })
  .strict();

export type CatalogueSource = z.infer<typeof CatalogueSchema>['source'];

export function parseCatalogue(data: unknown): { source: CatalogueSource; procedures: Procedure[] } {
  return CatalogueSchema.parse(data);
}

const catalogue = parseCatalogue(catalogueFile);

export const CATALOGUE_SOURCE: CatalogueSource = catalogue.source;
export const PROCEDURES: readonly Procedure[] = catalogue.procedures;
export const PROCEDURE_NAMES: readonly string[] = PROCEDURES.map((p) => p.name);

const byName = new Map(PROCEDURES.map((p) => [p.name, p]));

export function procedureNamed(name: string): Procedure | undefined {
  return byName.get(name);
}

/** What a licence holds, as a profile or a register row carries it (rows written before it lack it). */
export type LicensedScope = Partial<Pick<Licence, 'subjects' | 'surgeryLevel'>> | null | undefined;

/** What an institution's licence needs for a procedure: its subject and, for surgery, a level at least the item's. */
export function licensedFor(scope: LicensedScope, p: Procedure): boolean {
  if (!scope?.subjects?.includes(p.subject)) return false;
  return p.level === null || (scope.surgeryLevel ?? 0) >= p.level;
}

/** The catalogue's procedures an institution may perform, in catalogue order. */
export function proceduresAllowed(scope: LicensedScope) {
  return PROCEDURES.filter((p) => licensedFor(scope, p));
}
