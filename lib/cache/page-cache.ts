import { deserialize, serialize } from 'node:v8';
import { LRUCache } from 'lru-cache';
import { NEXT_CONTRACT } from '../server/next-contract';
import { FileStore } from './file-store';
import { giveRenderTurn, noteServed, takeRenderTurn } from './served';

/**
 * The page cache: every reader page and feed, rendered once and served until something it shows
 * changes. Next.js's incremental cache asks it through lib/cache/handler.mjs; the data layer and
 * the invalidation listener (lib/server/invalidation.ts) tell it what changed.
 *
 * Freshness is decided here, on every read, from three facts:
 * - what changed and when (`expire`): a post or page (its own page, by slug: posts and pages share
 *   one slug namespace), the lists (home, tags, authors, feeds, sitemap), or everything (settings,
 *   an author's name, a reconnect after missed news);
 * - when scheduled posts come due (`setDueTimes`): an entry rendered before a due time is stale
 *   from that millisecond on, so a scheduled post is live to the second without any timer;
 * - when the entry's render began (the miss that caused it), not when it was stored: a change
 *   committed during a render leaves that render stale rather than cached for good.
 *
 * Tiers: an LRU in memory (bounded in bytes), then files on local disk (bounded in bytes), then an
 * optional shared tier (Redis, for several instances). Entries are never trusted by age alone.
 *
 * Across a restart: the disk tier is kept (the server names its directory after the build, so a
 * new build starts empty), and nothing rendered before the process started is served until the
 * change history kept in PostgreSQL (`page_changes`, lib/cache/history.ts) has been read and
 * applied (`trustHistory`): from then on an entry from before the start is judged like any other.
 */

/** What Next.js stores: a page (html, flight data, headers, status) or a route handler's response. */
export type CacheValue = { kind: string; headers?: Record<string, string | string[] | undefined>; [field: string]: unknown };
export type CacheControl = { revalidate: number | false; expire?: number };

export type Entry = {
  lastModified: number;
  value: CacheValue | null;
  cacheControl?: CacheControl;
  /** The slug when the entry is one post's article or one page (`/<slug>`); null for lists and feeds. */
  post: string | null;
};

/** What freshness is judged on: when the render began, and the post it shows (null for lists). */
export type Freshness = Pick<Entry, 'lastModified' | 'post'>;

/** What a change touched. `posts` are slugs of posts or pages (old and new after a rename). */
export type Change = { posts?: string[]; lists?: boolean; all?: boolean };

/** A shared tier (Redis): bytes in, bytes out; failures are the tier's to log and swallow. */
export interface RemoteTier {
  get(key: string): Promise<Buffer | null>;
  set(key: string, bytes: Buffer): void;
}

export type PageCacheOptions = { memoryBytes: number; diskBytes: number; diskDir: string | null };

/** A change as the history in PostgreSQL recorded it, with when (ms since the epoch). */
export type DatedChange = Change & { at: number };

const TAG = NEXT_CONTRACT.implicitTagPrefix;
const ARTICLE_TAG = new RegExp(`^${TAG}/posts/([^/]+)$`);
/** A page's own path tag (`_N_T_/about`); `_N_T_/layout` is the root layout's tag, not a path. */
const PAGE_TAG = new RegExp(`^${TAG}/(?!layout$)([^/]+)$`);
const CACHE_TAGS_HEADER = NEXT_CONTRACT.cacheTagsHeader;

/**
 * The slug an entry belongs to, from the implicit tags Next.js records on it: an article
 * (`app/(site)/posts/[slug]`, tag `_N_T_/posts/<slug>`) or a page (`app/(site)/[slug]`, tag
 * `_N_T_/<slug>`). Its 404 or redirect is tied to the slug the same way, so publishing there expires it.
 */
export function articleOf(value: CacheValue | null): string | null {
  const header = value?.headers?.[CACHE_TAGS_HEADER];
  if (typeof header !== 'string') return null;
  const pattern = header.includes('/posts/[slug]/') ? ARTICLE_TAG : header.includes(`${TAG}/(site)/[slug]/`) ? PAGE_TAG : null;
  if (!pattern) return null;
  for (const tag of header.split(',')) {
    const match = pattern.exec(tag);
    if (match) {
      try {
        return decodeURIComponent(match[1]);
      } catch {
        return match[1];
      }
    }
  }
  return null;
}

export class PageCache {
  /**
   * The memory tier keeps each entry as the bytes the disk and Redis tiers store (v8.serialize),
   * read back per lookup (a lookup comes only when the responder's own stores missed). As objects,
   * its pages' HTML strings sat in V8's old space: 16 MB of the 104 MB live after 880 first reads,
   * with the benchmark's 128 MB old space, and a server that had served the whole benchmark died of
   * "heap out of memory" at 120 MB live. As bytes they are outside the old space.
   */
  private readonly memory: LRUCache<string, Buffer>;
  /**
   * The entries last read back or stored, as objects, by key: a request that looks a page up twice
   * gets the same entry both times, so the responder knows its answer came from one entry
   * (lib/cache/served.ts). A few, so their HTML stays a small part of the heap.
   */
  private readonly recent = new LRUCache<string, { bytes: Buffer; entry: Entry }>({ max: 32 });
  /** The disk tier (lib/cache/file-store.ts: one file per key, bounded in bytes), or null. */
  private readonly disk: FileStore | null;
  private remote: RemoteTier | null = null;

  private expiredAll = 0;
  /** Entries rendered before this are not trusted: the process's start, until the change history is read. */
  private distrustBefore: number;
  private expiredLists = 0;
  private readonly expiredPosts = new Map<string, number>();
  /** Future publish times (ms), ascending; the latest one that has passed is `lastDue`. */
  private dueTimes: number[] = [];
  private lastDue = 0;
  /** When each pending render began: the miss that started it (bounded: a render may never be stored). */
  private readonly missedAt = new LRUCache<string, number>({ max: 10_000 });
  /** While the database cannot be reached, stale pages are better than errors. */
  databaseDown = false;
  /** Told which tier answered each lookup, or `miss` (the server's metrics, lib/observe/metrics.ts). */
  onLookup: ((tier: 'memory' | 'disk' | 'redis' | 'miss') => void) | null = null;
  /** Told of every render stored (the server's render count, lib/observe/metrics.ts). */
  onStore: ((key: string) => void) | null = null;

  constructor(options: PageCacheOptions, now = Date.now()) {
    // Nothing rendered before this process started is trusted until the change history says what
    // changed meanwhile (trustHistory).
    this.distrustBefore = now;
    this.memory = new LRUCache<string, Buffer>({ maxSize: Math.max(options.memoryBytes, 1), sizeCalculation: (bytes) => Math.max(bytes.length, 1) });
    // Files named after their key, so the files a previous process of this build left are found again.
    this.disk = options.diskBytes > 0 && options.diskDir ? new FileStore(options.diskDir, options.diskBytes) : null;
  }

  /**
   * The change history from PostgreSQL (lib/cache/history.ts), read after the LISTEN connection was
   * up so no change falls between the two: every change since `horizon` with its time. Entries
   * rendered before the start are judged by it from now on; anything older than `horizon` is stale.
   */
  trustHistory(changes: DatedChange[], horizon: number): void {
    for (const { at, ...change } of changes) this.record(change, at);
    this.expiredAll = Math.max(this.expiredAll, horizon);
    this.distrustBefore = 0;
  }

  /** True once the change history has been applied: entries from before the start may be served. */
  get trustsHistory(): boolean {
    return this.distrustBefore === 0;
  }

  setRemote(remote: RemoteTier | null): void {
    this.remote = remote;
  }

  /**
   * An entry, if one is stored and still shows the truth; otherwise null, and the miss is noted,
   * once the request has its turn to render (lib/cache/served.ts). A request that had to wait looks
   * again: the page may have been rendered meanwhile (the warm after a change), and the turn is
   * then given back. The render is dated from when its turn came.
   */
  async get(key: string, now = Date.now()): Promise<Entry | null> {
    const found = await this.lookup(key, now);
    if (found) return found;
    if (await takeRenderTurn()) {
      now = Math.max(now, Date.now());
      const rendered = await this.lookup(key, now);
      if (rendered) {
        giveRenderTurn();
        return rendered;
      }
    }
    this.onLookup?.('miss');
    this.missedAt.set(key, now);
    return null;
  }

  /** The entry for `key` in the first tier that has it, if servable now (counted and noted as served). */
  private async lookup(key: string, now: number): Promise<Entry | null> {
    let tier: 'memory' | 'disk' | 'redis' = 'memory';
    const kept = this.memory.get(key);
    let entry = kept ? this.readBack(key, kept) : null;
    if (!entry) [tier, entry] = ['disk', await this.readDisk(key)];
    if (!entry) [tier, entry] = ['redis', await this.readRemote(key)];
    if (!entry || !this.isServable(entry, now)) return null;
    this.onLookup?.(tier);
    noteServed(entry);
    return entry;
  }

  /** Stores a fresh render, dated from the miss that began it. */
  set(key: string, value: CacheValue | null, cacheControl: CacheControl | undefined, now = Date.now()): Entry {
    const lastModified = Math.min(this.missedAt.get(key) ?? now, now);
    this.missedAt.delete(key);
    const entry: Entry = { lastModified, value, cacheControl, post: articleOf(value) };
    const bytes = serialize(entry);
    this.memory.set(key, bytes);
    this.recent.set(key, { bytes, entry });
    noteServed(entry);
    this.onStore?.(key);
    this.disk?.write(key, bytes);
    this.remote?.set(key, bytes);
    return entry;
  }

  /** Whether an entry may be served now: fresh, or the database is down and stale beats nothing. */
  isServable(entry: Freshness, now = Date.now()): boolean {
    return this.databaseDown || this.isFresh(entry, now);
  }

  isFresh(entry: Freshness, now = Date.now()): boolean {
    const born = entry.lastModified;
    // A render that began in the same millisecond as a change may have read before it: stale.
    if (born <= this.expiredAll || born < this.distrustBefore || born < this.passedDue(now)) return false;
    if (entry.post !== null) return born > (this.expiredPosts.get(entry.post) ?? 0);
    return born > this.expiredLists;
  }

  /** Something readers see changed at `now`: every entry it touched is stale from now on. */
  expire(change: Change, now = Date.now()): void {
    this.record(change, now);
    if (change.all) {
      this.memory.clear();
      this.recent.clear();
    }
  }

  private record(change: Change, at: number): void {
    if (change.all) {
      this.expiredAll = Math.max(this.expiredAll, at);
      return;
    }
    if (change.lists) this.expiredLists = Math.max(this.expiredLists, at);
    for (const slug of change.posts ?? []) this.expiredPosts.set(slug, Math.max(this.expiredPosts.get(slug) ?? 0, at));
  }

  /**
   * The publish times still to come (ms since the epoch), as the database knows them, and the
   * latest one already passed (`lastPassed`): a post that came due while this process was not
   * running makes everything rendered before that moment stale, entries kept on disk included.
   */
  setDueTimes(times: number[], now = Date.now(), lastPassed = 0): void {
    this.passedDue(now);
    this.lastDue = Math.max(this.lastDue, Math.min(lastPassed, now));
    this.dueTimes = times.filter((time) => time > now).sort((a, b) => a - b);
  }

  private passedDue(now: number): number {
    while (this.dueTimes.length > 0 && this.dueTimes[0] <= now) this.lastDue = this.dueTimes.shift()!;
    return this.lastDue;
  }

  /** The entry stored as `bytes`: the same object as the last time they were read, while it is recent. */
  private readBack(key: string, bytes: Buffer): Entry {
    const last = this.recent.get(key);
    if (last?.bytes === bytes) return last.entry;
    const entry = deserialize(bytes) as Entry;
    this.recent.set(key, { bytes, entry });
    return entry;
  }

  private async readDisk(key: string): Promise<Entry | null> {
    const bytes = (await this.disk?.read(key)) ?? null;
    if (!bytes) return null;
    try {
      const entry = this.readBack(key, bytes);
      this.memory.set(key, bytes);
      return entry;
    } catch {
      this.disk!.delete(key);
      return null;
    }
  }

  private async readRemote(key: string): Promise<Entry | null> {
    if (!this.remote) return null;
    const bytes = await this.remote.get(key);
    if (!bytes) return null;
    try {
      const entry = this.readBack(key, bytes);
      this.memory.set(key, bytes);
      return entry;
    } catch {
      return null;
    }
  }
}
