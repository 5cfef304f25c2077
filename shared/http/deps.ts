import type { TokenVerifier } from '../auth/verifier.ts';
import type { Clock } from '../clock.ts';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import type { PresignedExportLinks } from '../exports/export-links.ts';
import type { NoticeClaimStore } from '../notify/claims.ts';
import type { Notifier } from '../notify/port.ts';
import type { AuditStore } from '../store/audit.ts';
import type { EventStore } from '../store/events.ts';
import type { InstitutionReader } from '../store/institution-reader.ts';
import type { InstitutionWriter } from '../store/institution-writer.ts';
import type { ObjectionReceipts } from '../store/objection-receipts.ts';
import type { RegisterIndexSource } from '../store/register-index.ts';
import type { ResultStore } from '../store/results.ts';
import type { TallyReader } from '../store/tally-reader.ts';
import type { WorkflowStore } from '../store/workflow.ts';

/** What the public (read-only) routes need; built once per process and injected. */
export interface PublicDeps {
  clock: Clock;
  reader: InstitutionReader;
  /** The register in memory: search, statistics and names (docs/search.md). */
  register: RegisterIndexSource;
  /** Institutions per district and grade, kept with every change: what `/v1/stats` reads (one item). */
  tally: Pick<TallyReader, 'tally'>;
  events: EventStore;
  results: ResultStore;
  /** Objection receipts by short reference: the public status of an objection. */
  receipts: ObjectionReceipts;
  /** Base URL of the public pages (QR codes, links). */
  publicBaseUrl: string;
  /** HMAC key for opaque list cursors. */
  cursorSecret: string;
  /** ICP filing number shown in every page footer, where the site is served from mainland China. */
  icpNumber?: string | undefined;
  /** CloudFront's secret origin header (global profile): requests without it are refused (origin-verify.ts). */
  originVerifySecret?: string | undefined;
  /** Locally only (`npm start -- --trust-proxy`): the client's address is the last X-Forwarded-For hop. */
  trustProxy?: boolean | undefined;
  /** Proof-of-work difficulty of an objection (see config OBJECTION_POW_MAX_NUMBER). */
  powMaxNumber: number;
  /**
   * Locally: the generated grades CSV in the data directory, brought up to date first. In AWS the CDN
   * serves the file from the export bucket and this is absent (the route then streams the register).
   */
  exportFiles?: { gradesCsv(today: string): Promise<ReadableStream<Uint8Array> | null> };
  /**
   * Where there is no CDN path to the export bucket (the China profile): presigned links the route
   * redirects to, so the file never passes through the function.
   */
  exportLinks?: Pick<PresignedExportLinks, 'download'>;
}

/** What the authenticated (and writing) routes need on top. */
export interface AdminDeps extends PublicDeps {
  /** Working days (publicity windows); the public reads need none, so their bundle has no holiday data. */
  calendar: WorkingDayCalendar;
  writer: InstitutionWriter;
  audit: AuditStore;
  verifier: TokenVerifier;
  notifier: Notifier;
  /** Objections, violations, upgrade applications, inspection plans. */
  workflow: WorkflowStore;
  /** Notice claims: the state of every notice, per institution. */
  notices: NoticeClaimStore;
}
