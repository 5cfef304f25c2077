import { SearchIndex } from '../domain/search-index.ts';
import { type SnapshotReader, unpackSnapshot } from '../exports/register-snapshot-store.ts';
import type { RegisterRows, RegisterVersion } from './register-rows.ts';

/** What the last `current()` cost, for the benchmark. */
export interface RefreshTrace {
  kind: 'cold' | 'snapshot' | 'unchanged' | 'delta' | 'reload';
  rowsRead: number;
}

/** Why a cold instance walked the register instead of loading the snapshot. */
export type SnapshotFallback = 'missing' | 'stale' | 'unreadable';

export interface RegisterIndexOptions {
  /** The register snapshot (shared/jobs/register-snapshot.ts); without it a cold instance walks the rows. */
  snapshot?: SnapshotReader;
  /** Counted (a metric in AWS): every cold start that could not use the snapshot. */
  onFallback?: (reason: SnapshotFallback, detail: string) => void;
}

/**
 * The register held in memory by one process. A cold instance loads the snapshot (one GET, read in
 * parallel with the version item) and reads again only the institutions changed after its version;
 * when the snapshot is missing, unreadable or older than the version item still lists, it walks the
 * compact rows instead. Then it is kept current: each call reads the version item (one small
 * GetItem); when it moved, the institutions named in its recent list are read again with one
 * BatchGet, or everything is reloaded if more changed than the list remembers. Concurrent callers
 * share one refresh.
 */
export class RegisterIndexSource {
  private index: SearchIndex | null = null;
  private version = 0;
  private inflight: Promise<SearchIndex> | null = null;
  last: RefreshTrace = { kind: 'cold', rowsRead: 0 };

  constructor(
    private readonly rows: RegisterRows,
    private readonly opts: RegisterIndexOptions = {},
  ) {}

  /**
   * The register version now (a consistent read of the version item): every write of a profile moves
   * it, so validators of register-wide answers follow it rather than the change feed.
   */
  async versionNow(): Promise<number> {
    return (await this.rows.version(true))?.v ?? 0;
  }

  current(): Promise<SearchIndex> {
    if (!this.inflight) {
      this.inflight = this.refresh().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async refresh(): Promise<SearchIndex> {
    if (!this.index && this.opts.snapshot) return this.fromSnapshot(this.opts.snapshot);
    const head = await this.rows.version();
    const v = head?.v ?? 0;
    // An eventually consistent read may lag behind one already seen: keep what we have.
    if (this.index && v <= this.version) {
      this.last = { kind: 'unchanged', rowsRead: 0 };
      return this.index;
    }
    if (this.index && head && (await this.catchUp(this.index, head))) return this.index;
    return this.walk(this.index ? 'reload' : 'cold', v);
  }

  /**
   * Brings `index` (at this.version) up to `head` from its recent list with one BatchGet, or says it
   * cannot: more changed than the list remembers.
   */
  private async catchUp(index: SearchIndex, head: RegisterVersion): Promise<boolean> {
    const first = head.recent[0];
    if (head.v > this.version && !(first && first.s <= this.version + 1)) return false;
    const changed = head.recent.filter((c) => c.s > this.version).map((c) => c.u);
    const rows = changed.length > 0 ? await this.rows.getMany(changed) : new Map();
    for (const row of rows.values()) index.upsert(row);
    this.version = Math.max(this.version, head.v);
    this.last = { kind: 'delta', rowsRead: rows.size };
    return true;
  }

  private async walk(kind: 'cold' | 'reload', v: number): Promise<SearchIndex> {
    const all = await this.rows.all();
    this.index = new SearchIndex(all);
    this.version = v;
    this.last = { kind, rowsRead: all.length };
    return this.index;
  }

  private async fromSnapshot(reader: SnapshotReader): Promise<SearchIndex> {
    const [head, loaded] = await Promise.all([
      this.rows.version(),
      reader
        .read()
        .then((bytes) => (bytes ? unpackSnapshot(bytes) : ('missing' as const)))
        .catch((err: unknown) => ({ error: String(err) })),
    ]);
    const v = head?.v ?? 0;
    let reason: SnapshotFallback;
    let detail: string;
    if (loaded === 'missing') {
      reason = 'missing';
      detail = 'no snapshot stored';
    } else if ('error' in loaded) {
      reason = 'unreadable';
      detail = loaded.error;
    } else {
      const index = loaded.index;
      this.version = loaded.v;
      // A snapshot newer than a lagging read of the version item is simply newer: nothing to catch up.
      if (!head || (await this.catchUp(index, head))) {
        this.index = index;
        this.last = { kind: 'snapshot', rowsRead: head ? this.last.rowsRead : 0 };
        return index;
      }
      this.version = 0;
      reason = 'stale';
      detail = `snapshot at version ${loaded.v}, register at ${v} with changes from ${head.recent[0]?.s ?? '?'}`;
    }
    this.opts.onFallback?.(reason, detail);
    return this.walk('cold', v);
  }
}
