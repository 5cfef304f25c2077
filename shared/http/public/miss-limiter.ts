/**
 * Counts one client's failed lookups in fixed windows, in this process: enough to make guessing
 * references by the million pointless from one address (the WAF's rate rule caps the rest). Memory is
 * bounded: past `maxClients` the counters start afresh.
 */
export class MissLimiter {
  private readonly counts = new Map<string, number>();
  private window = 0;

  constructor(
    private readonly limit: number,
    private readonly windowSeconds: number,
    private readonly now: () => Date,
    private readonly maxClients = 10_000,
  ) {}

  private roll(): number {
    const seconds = Math.floor(this.now().getTime() / 1000);
    const window = Math.floor(seconds / this.windowSeconds);
    if (window !== this.window || this.counts.size > this.maxClients) {
      this.window = window;
      this.counts.clear();
    }
    return (window + 1) * this.windowSeconds - seconds;
  }

  /** Seconds until the client may try again, or 0 when it still may. */
  retryAfter(client: string): number {
    const left = this.roll();
    return (this.counts.get(client) ?? 0) >= this.limit ? left : 0;
  }

  miss(client: string): void {
    this.roll();
    this.counts.set(client, (this.counts.get(client) ?? 0) + 1);
  }
}
