/**
 * Every key of the single table, built in one place from the access patterns (docs/data-model.md);
 * `test/unit/store/key-ownership.test.ts` keeps key strings out of every other module.
 *
 * Base table: `pk` / `sk`. Four overloaded GSIs, each projecting ALL, their key attributes named after
 * them (`gsi1` → `gsi1pk`/`gsi1sk`). The deployed names stay `gsi1`…`gsi4`: renaming a GSI in
 * CloudFormation deletes it and builds a new one, so the names below say in code what each one holds.
 */
export const INDEX = {
  /** gsi1: institutions by district, sorted by grade then name; results by institution. */
  districtsAndInstitutionResults: 'gsi1',
  /** gsi2: institutions by grade across the city; results now in publicity (sparse). */
  gradesAndPublicity: 'gsi2',
  /**
   * gsi3: every institution in name order (list, export, stats), sharded by kind; results and upgrade
   * applications by campaign year (the yearly campaign).
   */
  kindsAndCampaigns: 'gsi3',
  /** gsi4: scheduled work by day (sparse): re-review reminders falling due. */
  dueDays: 'gsi4',
} as const;

export const GSI_NAMES = ['gsi1', 'gsi2', 'gsi3', 'gsi4'] as const;

type IndexName = (typeof GSI_NAMES)[number];

/** One partition of an index: the Query's IndexName, its partition-key attribute and value. */
export interface IndexPartition {
  IndexName: IndexName;
  pkName: `${IndexName}pk`;
  pk: string;
}

const partition = (IndexName: IndexName, pk: string): IndexPartition => ({
  IndexName,
  pkName: `${IndexName}pk`,
  pk,
});

/** The Query parameters that read a whole index partition. */
export const partitionQuery = (p: IndexPartition) => ({
  IndexName: p.IndexName,
  KeyConditionExpression: `${p.pkName} = :pk`,
  ExpressionAttributeValues: { ':pk': p.pk },
});

export type GradeKey = 'A' | 'B' | 'C' | 'D' | 'U';

/** The index partitions the service queries, each written by the items' index keys below. */
export const accessPatterns = {
  institutionsByDistrict: (district: string) => partition('gsi1', `DIST#${district}`),
  resultsOfInstitution: (uscc: string) => partition('gsi1', `IR#${uscc}`),
  institutionsByGrade: (grade: GradeKey) => partition('gsi2', `GRADE#${grade}`),
  resultsInPublicity: () => partition('gsi2', 'PUBLICITY'),
  institutionsOfKind: (kind: string) => partition('gsi3', `INST#${kind}`),
  campaignResults: (year: number) => partition('gsi3', `CR#${year}`),
  campaignApplications: (year: number) => partition('gsi3', `CU#${year}`),
  remindersDue: (day: string) => partition('gsi4', `DUE#${day}`),
};

/** Register rows are spread over a few partitions so a cold start reads them in parallel. */
export const REGISTER_SHARDS = 4;

function registerShard(uscc: string): string {
  let h = 0;
  for (const c of uscc) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `ROW#${h % REGISTER_SHARDS}`;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Partition keys of the notice claims: the only items the notice senders read or write, which their
 * roles are held to (a dynamodb:LeadingKeys condition).
 */
export const NOTICE_KEY_PREFIX = 'NOTICE#';

export const keys = {
  /** GetItem: the public profile of one institution (detail page in one read). */
  profile: (uscc: string) => ({ pk: `I#${uscc}`, sk: 'PROFILE' }),
  /** GetItem: what the public must never see (contacts, high-risk services, upgrade bookkeeping). */
  private: (uscc: string) => ({ pk: `I#${uscc}`, sk: 'PRIVATE' }),
  /** The uscc of an institution's item, from its partition key. */
  usccOfInstitutionPk: (pk: string) => pk.slice('I#'.length),
  /** GetItem: one grading result by id. */
  result: (resultId: string) => ({ pk: `R#${resultId}`, sk: 'RESULT' }),
  /** Query pk: one objection per item under its result. */
  objection: (resultId: string, objectionId: string) => ({ pk: `R#${resultId}`, sk: `OBJ#${objectionId}` }),
  objectionPrefix: 'OBJ#',
  /** Conditional Update: one unit of an objection limit's counter. */
  objectionLimit: (key: string) => ({ pk: `OBJLIMIT#${key}`, sk: 'COUNT' }),
  /** Conditional Put: one objection text to one result (a second, identical one is refused). */
  objectionText: (resultId: string, textHash: string) => ({ pk: `R#${resultId}`, sk: `OBJTEXT#${textHash}` }),
  /** GetItem: an objection's public receipt by its short reference (never the objector's text). */
  objectionReceipt: (reference: string) => ({ pk: `OBJREF#${reference}`, sk: 'RECEIPT' }),
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
  /** Query pk: search index items for one n-gram, no longer written (docs/data-model.md). */
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
    pk: `${NOTICE_KEY_PREFIX}${uscc}`,
    sk: `${kind}#${cycle}#${channel}`,
  }),
  noticePartition: (uscc: string) => `${NOTICE_KEY_PREFIX}${uscc}`,
  /** Conditional Update: SMS counted against one institution's daily cap (notify/sms-spend.ts). */
  smsSpendInstitutionDay: (uscc: string, day: string) => ({
    pk: `${NOTICE_KEY_PREFIX}${uscc}#SMS`,
    sk: `DAY#${day}`,
  }),
  /** Conditional Update: SMS counted against the monthly budget, one item per day; Query by month. */
  smsSpendCityDay: (day: string) => ({ pk: `${NOTICE_KEY_PREFIX}~SMS`, sk: `DAY#${day}` }),
  smsSpendCityPartition: `${NOTICE_KEY_PREFIX}~SMS`,
  smsSpendDayPrefix: 'DAY#',
  /** Notice requests parked after the topic refused them, oldest first (see notify/outbox.ts). */
  outboxEntry: (at: string, id: string) => ({ pk: 'OUTBOX', sk: `${at}#${id}` }),
  outboxPartition: 'OUTBOX',
  /** GetItem: one upgrade application by id (its campaign place is on gsi3, `campaignApplicationKeys`). */
  upgradeApplication: (id: string) => ({ pk: `UPG#${id}`, sk: 'UPG' }),
  /** GetItem / conditional Put: an institution's latest statement about its grade (its right to reply). */
  replyStatement: (uscc: string) => ({ pk: `I#${uscc}`, sk: 'REPLY' }),
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
    ...(p.reminderOn ? { gsi4pk: accessPatterns.remindersDue(p.reminderOn).pk, gsi4sk: p.uscc } : {}),
    gsi1pk: accessPatterns.institutionsByDistrict(p.district).pk,
    gsi1sk: `${g}#${p.sortName}#${p.uscc}`,
    gsi2pk: accessPatterns.institutionsByGrade(g).pk,
    gsi2sk: `${p.sortName}#${p.uscc}`,
    gsi3pk: accessPatterns.institutionsOfKind(p.kind).pk,
    gsi3sk: `${p.sortName}#${p.uscc}`,
  };
};

/** GSI keys carried by a result item. Publicity keys are present only while it is in publicity. */
export const resultIndexKeys = (r: {
  uscc: string;
  createdAt: string;
  id: string;
  assessedOn: string;
  district: string;
}) => ({
  gsi1pk: accessPatterns.resultsOfInstitution(r.uscc).pk,
  gsi1sk: `${r.createdAt}#${r.id}`,
  ...campaignResultKeys(r),
});

/**
 * gsi3 keys of a result under the campaign of the year it was assessed in, by district, so a campaign
 * (or one district's part of it) is one paged Query whatever the size of the register.
 */
export const campaignResultKeys = (r: {
  assessedOn: string;
  district: string;
  createdAt: string;
  id: string;
}) => ({
  gsi3pk: accessPatterns.campaignResults(Number(r.assessedOn.slice(0, 4))).pk,
  gsi3sk: `${r.district}#${r.createdAt}#${r.id}`,
});

/** gsi3 keys of an upgrade application under the campaign of its year. */
export const campaignApplicationKeys = (a: { year: number; uscc: string; id: string }) => ({
  gsi3pk: accessPatterns.campaignApplications(a.year).pk,
  gsi3sk: `${a.uscc}#${a.id}`,
});

export const publicityIndexKeys = (r: { endOn: string; id: string }) => ({
  gsi2pk: accessPatterns.resultsInPublicity().pk,
  gsi2sk: `${r.endOn}#${r.id}`,
});
