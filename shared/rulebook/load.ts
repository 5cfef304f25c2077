import { readFileSync } from 'node:fs';
import type * as z from 'zod';
import {
  RevisionPatchSchema,
  RevisionSchema,
  type Rulebook,
  RulebookSchema,
  type RuleRevision,
} from './schema.ts';

/** A rulebook that does not validate: one line per problem, each naming the field path. */
export class RulebookError extends Error {
  readonly problems: string[];

  constructor(source: string, problems: string[]) {
    super(`invalid rulebook ${source}:\n${problems.join('\n')}`);
    this.name = 'RulebookError';
    this.problems = problems;
  }
}

/** `revisions[0].grades[1].min`: array indexes in brackets, keys after dots. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message;
  }
}

function lines(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  return issues.map((i) => `${fieldPath([...prefix, ...i.path])}: ${describe(i)}`);
}

/**
 * Validates a parsed rulebook. Later revisions are patches: each names its id, date and the sections
 * it changes, and is merged over the revision before it; every merged revision is validated whole.
 * Throws a RulebookError listing every problem found.
 */
export function parseRulebook(raw: unknown, source = 'rulebook'): Rulebook {
  const top = RulebookSchema.safeParse(raw);
  const problems: string[] = top.success ? [] : lines(top.error.issues);
  const rawRevisions = Array.isArray((raw as { revisions?: unknown })?.revisions)
    ? ((raw as { revisions: unknown[] }).revisions as unknown[])
    : [];
  const revisions: RuleRevision[] = [];
  rawRevisions.forEach((entry, i) => {
    const at = ['revisions', i];
    const previous = revisions.at(-1);
    let merged: unknown = entry;
    if (i > 0) {
      const patch = RevisionPatchSchema.safeParse(entry);
      if (!patch.success) {
        problems.push(...lines(patch.error.issues, at));
        return;
      }
      if (!previous) return;
      merged = { ...previous, ...patch.data };
    }
    const full = RevisionSchema.safeParse(merged);
    if (!full.success) {
      problems.push(...lines(full.error.issues, at));
      return;
    }
    if (previous && full.data.effectiveFrom <= previous.effectiveFrom) {
      problems.push(
        `${fieldPath([...at, 'effectiveFrom'])}: expected a date after ${previous.effectiveFrom}`,
      );
    }
    if (revisions.some((r) => r.id === full.data.id)) {
      problems.push(`${fieldPath([...at, 'id'])}: duplicate revision id ${full.data.id}`);
    }
    revisions.push(full.data);
  });
  if (top.success) {
    const names = new Set<string>();
    const codes = new Set<string>();
    top.data.districts.forEach((d, i) => {
      if (names.has(d.name)) problems.push(`districts[${i}].name: duplicate district ${d.name}`);
      if (codes.has(d.code)) problems.push(`districts[${i}].code: duplicate code ${d.code}`);
      names.add(d.name);
      codes.add(d.code);
    });
    if (Object.keys(top.data.kinds).length === 0) problems.push('kinds: expected at least one kind in scope');
  }
  if (problems.length > 0 || !top.success) throw new RulebookError(source, problems);
  return { ...top.data, revisions };
}

/** Reads and validates a rulebook file (JSON). */
export function loadRulebookFile(path: string): Rulebook {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: JSON.parse reads a Buffer as UTF-8 text too
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RulebookError(path, [`(file): cannot read: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RulebookError(path, [`(file): not JSON: ${(err as Error).message}`]);
  }
  return parseRulebook(raw, path);
}
