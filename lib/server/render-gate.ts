/**
 * At most `limit` renders of reader pages at once; the others wait their turn, first come first
 * served. Renders share one thread: ten at once finish no sooner than ten in turn, but each holds
 * its page, its flight data and its queries in memory meanwhile, and the collector works harder the
 * more there is (a render's garbage collection measured 4.9 ms alone, 12.8 ms at ten at once).
 * Two or three at a time keep the thread busy while one waits for the database. A turn is taken
 * when the page cache misses (lib/cache/served.ts), so a read the replay cache or the page cache
 * answers never waits behind renders; pages rendered on every read (search) take theirs before
 * Next.js (lib/server/collapse.ts `rendersEveryRead`). Assets, media, the API and the signed-in
 * sections never take one (`isSharedRead`).
 *
 * A page a change has just made stale (the server is warming it again, lib/server/warm.ts) goes
 * ahead of the others waiting: its readers are usually many, waiting for that one render (the
 * collapsing), and a publish must show within a second even while first reads of the archive
 * queue up. Among the urgent, and among the others, first come first served.
 */
export class RenderGate {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private readonly urgent: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`a render gate needs a limit of at least 1 (got ${limit})`);
  }

  /**
   * Resolves when this request may go on, with the function that lets the next one in (once).
   * `urgent`: it goes before every request waiting that is not.
   */
  async enter(urgent = false): Promise<() => void> {
    if (this.running < this.limit) this.running += 1;
    else await new Promise<void>((resolve) => (urgent ? this.urgent : this.queue).push(resolve)); // the slot is handed over
    let left = false;
    return () => {
      if (left) return;
      left = true;
      const next = this.urgent.shift() ?? this.queue.shift();
      if (next) next();
      else this.running -= 1;
    };
  }

  /** Renders with their turn now. */
  get active(): number {
    return this.running;
  }

  /** Renders waiting for a turn. */
  get waiting(): number {
    return this.urgent.length + this.queue.length;
  }
}
