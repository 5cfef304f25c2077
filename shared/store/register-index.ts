import { SearchIndex } from '../domain/search-index.ts';
import type { RegisterRows } from './register-rows.ts';

/** What the last `current()` cost, for the benchmark. */
export interface RefreshTrace {
  kind: 'cold' | 'unchanged' | 'delta' | 'reload';
  rowsRead: number;
}

/**
 * The register held in memory by one process. Built from the compact rows at the first request, then
 * kept current: each call reads the version item (one small GetItem); when it moved, the institutions
 * named in its recent list are read again with one BatchGet, or everything is reloaded if more
 * changed than the list remembers. Concurrent callers share one refresh.
 */
export class RegisterIndexSource {
  private index: SearchIndex | null = null;
  private version = 0;
  private inflight: Promise<SearchIndex> | null = null;
  last: RefreshTrace = { kind: 'cold', rowsRead: 0 };

  constructor(private readonly rows: RegisterRows) {}

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
    const head = await this.rows.version();
    const v = head?.v ?? 0;
    // An eventually consistent read may lag behind one already seen: keep what we have.
    if (this.index && v <= this.version) {
      this.last = { kind: 'unchanged', rowsRead: 0 };
      return this.index;
    }
    const recent = head?.recent ?? [];
    const first = recent[0];
    if (this.index && head && first && first.s <= this.version + 1) {
      const changed = recent.filter((c) => c.s > this.version).map((c) => c.u);
      const rows = await this.rows.getMany(changed);
      for (const row of rows.values()) this.index.upsert(row);
      this.version = v;
      this.last = { kind: 'delta', rowsRead: rows.size };
      return this.index;
    }
    const kind = this.index ? 'reload' : 'cold';
    const all = await this.rows.all();
    this.index = new SearchIndex(all);
    this.version = v;
    this.last = { kind, rowsRead: all.length };
    return this.index;
  }
}
