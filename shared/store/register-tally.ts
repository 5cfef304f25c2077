import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { applyMoves, type Tally, tallyKey } from '../domain/register-tally.ts';
import { isConditionFailure } from './dynamo.ts';
import type { ReadOptions } from './institution-reader.ts';
import { keys } from './keys.ts';
import type { RegisterRows, TallyState } from './register-rows.ts';
import { readTallyItem, type TallyItem } from './tally-reader.ts';

/** Moves committed by one revision at most, so the item stays far below 400 KB. */
const MOVES_PER_REVISION = 1_000;
const ATTEMPTS = 40;

export interface CatchUp {
  version: number;
  moved: number;
  /** Whether the register's recent changes did not reach back far enough and every row was checked. */
  full: boolean;
}

/**
 * The statistics' aggregate (`ROWS` / `TALLY`): institutions per `<district>|<bucket>`, one item, so
 * `/v1/stats` reads one item whatever the size of the register.
 *
 * Exactly once without transactions: each row carries `counted`, the bucket the tally counts it in.
 * Settling a row compares that with where the row belongs now; the moves of a batch of rows are
 * committed in one conditional write of the tally item (on its `rev`) that also lists them as pending
 * marks, and only then are the marks written to the rows (each conditional on a later revision than
 * the row's mark) and the pending list cleared. Anyone who finds pending marks finishes them before
 * doing anything else, so a crash between the steps loses nothing; a retry or a racing writer settles
 * from the marks, not from deltas, so nothing is counted twice. Invariant: the tally equals the sum of
 * the rows' marks (a pending mark standing for the row's).
 */
export class RegisterTallyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly rows: RegisterRows,
    private readonly opts: ReadOptions & { sleep?: (ms: number) => Promise<void> } = {},
  ) {}

  /** The kept tally (eventually consistent: the request path). */
  async tally(): Promise<Tally> {
    return (await this.read(false)).tally;
  }

  private read(consistent: boolean): Promise<TallyItem> {
    return readTallyItem(this.db, this.table, consistent, this.opts);
  }

  /** Writes `next` if the item is still at `current.rev`; false when someone committed first. */
  private async commit(current: TallyItem, next: TallyItem): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.registerTally, ...next },
          ConditionExpression: current.rev === 0 ? 'attribute_not_exists(pk)' : 'rev = :rev',
          ExpressionAttributeValues: current.rev === 0 ? undefined : { ':rev': current.rev },
        }),
      );
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return false;
    }
  }

  /** Writes the pending marks of a committed revision to their rows, then clears them. */
  private async finish(item: TallyItem): Promise<boolean> {
    await Promise.all(item.pending.map((m) => this.rows.markCounted(m.u, m.c, item.rev)));
    return this.commit(item, { ...item, rev: item.rev + 1, pending: [] });
  }

  private async backoff(attempt: number) {
    const ms = Math.random() * 5 * (attempt + 1);
    await (this.opts.sleep ?? ((t: number) => new Promise((r) => setTimeout(r, t))))(ms);
  }

  /**
   * Counts some institutions where they belong now (the write path calls it after each change). True
   * when settled; false when other writers kept winning, in which case the catch-up job settles them.
   */
  async settle(usccs: readonly string[]): Promise<boolean> {
    return (await this.settleRows(() => this.rows.tallyStates(usccs))) !== null;
  }

  /**
   * Off the request path (the grades-export job): counts every change the register version records
   * since the tally's own `v`, from the version item's recent list, or checks every row when the list
   * does not reach back that far; then `v` moves to the version read first.
   */
  async catchUp(): Promise<CatchUp> {
    const head = await this.rows.version(true);
    const version = head?.v ?? 0;
    const before = await this.read(true);
    if (before.v >= version && before.pending.length === 0) return { version, moved: 0, full: false };
    const first = head?.recent[0];
    const full = !first || first.s > before.v + 1;
    const changed = (head?.recent ?? []).filter((c) => c.s > before.v).map((c) => c.u);
    const moved = await this.settleRows(
      () => (full ? this.rows.allTallyStates() : this.rows.tallyStates(changed)),
      version,
    );
    if (moved === null) throw new Error('the statistics tally kept changing under the catch-up');
    return { version, moved, full };
  }

  /**
   * The settle loop: read the tally (finishing any pending marks first), read the rows, commit their
   * moves in revisions of at most MOVES_PER_REVISION and finish each. Rows are read after the tally, so
   * a commit that still finds the revision it read knows no mark changed in between. Returns the
   * number of rows moved, or null when the attempts ran out.
   */
  private async settleRows(states: () => Promise<TallyState[]>, version?: number): Promise<number | null> {
    let moved = 0;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      let current = await this.read(true);
      if (current.pending.length > 0) {
        if (!(await this.finish(current))) await this.backoff(attempt);
        continue;
      }
      const moves = (await states())
        .map((s) => ({ u: s.uscc, from: s.counted, to: tallyKey(s.row) }))
        .filter((m) => m.from !== m.to);
      if (moves.length === 0 && (version === undefined || current.v >= version)) return moved;
      let conflicted = false;
      for (let i = 0; i === 0 || i < moves.length; i += MOVES_PER_REVISION) {
        const batch = moves.slice(i, i + MOVES_PER_REVISION);
        const last = i + MOVES_PER_REVISION >= moves.length;
        const next: TallyItem = {
          rev: current.rev + 1,
          tally: applyMoves(current.tally, batch),
          pending: batch.map((m) => ({ u: m.u, c: m.to })),
          v: last && version !== undefined ? Math.max(current.v, version) : current.v,
        };
        if (!(await this.commit(current, next))) {
          conflicted = true;
          break;
        }
        moved += batch.length;
        if (!(await this.finish(next))) {
          conflicted = true;
          break;
        }
        current = { ...next, rev: next.rev + 1, pending: [] };
      }
      if (!conflicted) return moved;
      await this.backoff(attempt);
    }
    return null;
  }
}
