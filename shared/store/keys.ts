/**
 * Every key of the single table, built in one place from the access patterns (docs/data-model.md).
 *
 * Base table: `pk` / `sk`. Four overloaded GSIs, each projecting ALL:
 * - gsi1 (`gsi1pk`/`gsi1sk`): institutions by district, sorted by grade then name; results by institution.
 * - gsi2 (`gsi2pk`/`gsi2sk`): institutions by grade across the city; results now in publicity (sparse).
 * - gsi3 (`gsi3pk`/`gsi3sk`): every institution in name order (list, export, stats), sharded by kind.
 * - gsi4 (`gsi4pk`/`gsi4sk`): scheduled work by day (sparse): re-review reminders falling due.
 */

export const INDEX = {
  byDistrict: 'gsi1',
  byGrade: 'gsi2',
  all: 'gsi3',
  byDay: 'gsi4',
} as const;

export const GSI_NAMES = ['gsi1', 'gsi2', 'gsi3', 'gsi4'] as const;

export type GradeKey = 'A' | 'B' | 'C' | 'D' | 'U';

/** Register rows are spread over a few partitions so a cold start reads them in parallel. */
export const REGISTER_SHARDS = 4;

function registerShard(uscc: string): string {
  let h = 0;
  for (const c of uscc) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `ROW#${h % REGISTER_SHARDS}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  /** GetItem: the public profile of one institution (detail page in one read). */
  profile: (uscc: string) => ({ pk: `I#${uscc}`, sk: 'PROFILE' }),
  /** GetItem: what the public must never see (contacts, high-risk services, upgrade bookkeeping). */
  private: (uscc: string) => ({ pk: `I#${uscc}`, sk: 'PRIVATE' }),
  /** GetItem: one grading result by id. */
  result: (resultId: string) => ({ pk: `R#${resultId}`, sk: 'RESULT' }),
  /** Query pk: one objection per item under its result. */
  objection: (resultId: string, objectionId: string) => ({ pk: `R#${resultId}`, sk: `OBJ#${objectionId}` }),
  objectionPrefix: 'OBJ#',
  /** Query pk: audit trail of one institution, oldest first. */
  audit: (uscc: string, at: string, id: string) => ({ pk: `AUDIT#${uscc}`, sk: `${at}#${id}` }),
  auditPartition: (uscc: string) => `AUDIT#${uscc}`,
  /** Query pk: violations of one institution. */
  violation: (uscc: string, occurredOn: string, id: string) => ({
    pk: `I#${uscc}`,
    sk: `V#${occurredOn}#${id}`,
  }),
  violationPrefix: 'V#',
  /** Change feed: one partition, contiguous sequence numbers (see store/events.ts). */
  event: (seq: number) => ({ pk: 'FEED', sk: `E#${pad(seq, 12)}` }),
  feedPartition: 'FEED',
  eventSeqFromSk: (sk: string) => Number(sk.slice(2)),
  /** GetItem: makes appending a change event idempotent by its deterministic key. */
  eventClaim: (eventKey: string) => ({ pk: `EVKEY#${eventKey}`, sk: 'EVKEY' }),
  /** Query pk: search index items for one n-gram (see domain/search-terms.ts). */
  searchPartition: (gram: string) => `S#${gram}`,
  /** GetItem / Query pk: the compact register row of one institution (search, stats, export), sharded. */
  registerRow: (uscc: string) => ({ pk: registerShard(uscc), sk: uscc }),
  registerShards: () => Array.from({ length: REGISTER_SHARDS }, (_, n) => `ROW#${n}`),
  /** GetItem: the register's version counter and its latest changes (search refresh). */
  registerVersion: { pk: 'ROWS', sk: 'VERSION' },
  /** GetItem: institutions per district and bucket, kept with every change (statistics). */
  registerTally: { pk: 'ROWS', sk: 'TALLY' },
  /** Bookkeeping of a scheduled job (last day run). */
  job: (name: string) => ({ pk: `JOB#${name}`, sk: 'STATE' }),
  /** Claim that makes a notice exactly-once: institution#kind#cycle#channel. */
  noticeClaim: (uscc: string, kind: string, cycle: string, channel: string) => ({
    pk: `NOTICE#${uscc}`,
    sk: `${kind}#${cycle}#${channel}`,
  }),
  noticePartition: (uscc: string) => `NOTICE#${uscc}`,
  /** Notice requests parked after the topic refused them, oldest first (see notify/outbox.ts). */
  outboxEntry: (at: string, id: string) => ({ pk: 'OUTBOX', sk: `${at}#${id}` }),
  outboxPartition: 'OUTBOX',
  /** Random-inspection plan of a year (regulators only). */
  inspectionPlan: (year: number) => ({ pk: `PLAN#${year}`, sk: 'PLAN' }),
};

/** GSI keys carried by a profile item. */
export const profileIndexKeys = (p: {
  uscc: string;
  district: string;
  kind: string;
  grade: string | null;
  sortName: string;
  /** Day of the next reminder owed; absent once none is owed (closed, or overdue already sent). */
  reminderOn: string | null;
}) => {
  const g: GradeKey = (p.grade as GradeKey | null) ?? 'U';
  return {
    ...(p.reminderOn ? { gsi4pk: `DUE#${p.reminderOn}`, gsi4sk: p.uscc } : {}),
    gsi1pk: `DIST#${p.district}`,
    gsi1sk: `${g}#${p.sortName}#${p.uscc}`,
    gsi2pk: `GRADE#${g}`,
    gsi2sk: `${p.sortName}#${p.uscc}`,
    gsi3pk: `INST#${p.kind}`,
    gsi3sk: `${p.sortName}#${p.uscc}`,
  };
};

/** GSI keys carried by a result item. Publicity keys are present only while it is in publicity. */
export const resultIndexKeys = (r: { uscc: string; createdAt: string; id: string }) => ({
  gsi1pk: `IR#${r.uscc}`,
  gsi1sk: `${r.createdAt}#${r.id}`,
});

export const publicityIndexKeys = (r: { endOn: string; id: string }) => ({
  gsi2pk: 'PUBLICITY',
  gsi2sk: `${r.endOn}#${r.id}`,
});

/** Query key of the sparse reminder index: profiles whose next reminder falls on `day`. */
export const duePartition = (day: string) => `DUE#${day}`;
