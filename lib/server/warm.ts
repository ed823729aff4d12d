import type { Change } from '@/lib/cache/page-cache';
import { LRUCache } from 'lru-cache';
import { routeKind } from '@/lib/observe/route-kind';

/**
 * Publish warms, readers don't. When a change is heard (lib/server/invalidation.ts), the server
 * renders the pages it made stale again, in the background, by reading them from itself as a reader
 * would: the paths the change names (the article, the home page, the feeds, the sitemap), the tag
 * and author pages the article links to, and for any change to the lists the home page and feeds.
 * The first reader after a publish then finds the page rendered, or waits for that one render
 * rather than starting another (lib/server/collapse.ts). Every instance warms its own cache.
 *
 * Readers go first. A warm starts when no reader's request is being answered or has just arrived
 * (`busy`, lib/server/readers.ts), or once it has waited `deferMs` for such a moment: 200 readers
 * arriving at once for a just-changed home page are answered from its one render, then the feeds
 * and the sitemap are rendered, not between them. A reader who asks for a page still queued
 * renders it on its turn (the warm then finds it fresh).
 */

/** What any change to the lists makes stale and most readers ask for first. */
export const LIST_PAGES = ['/', '/feed.xml', '/atom.xml', '/feed.json', '/sitemap.xml'];
/** Pages warmed per article at most, beyond the change's own: its tags and authors. */
const RELATED_MAX = 8;
/** Paths kept in the queue at most (a bulk change does not warm the whole site). */
const QUEUE_MAX = 64;
const RELATED_LINK = /href="(\/(?:tags|authors)\/[^"/?#]+)"/g;
/** Marks the warmer's own requests to this server, so they do not count as readers arriving. */
export const WARM_HEADER = 'x-broadsheet-warm';
/** How long a queued page waits at most for the readers being answered to be done. */
export const WARM_DEFER_MS = 250;
/** How often a page waiting for the readers looks again. */
const DEFER_POLL_MS = 5;

export type WarmFetch = (path: string) => Promise<{ status: number; body: string }>;
export type Warmer = {
  /** Queues the pages a change made stale; returns at once. */
  changed(change: Change, paths: string[]): void;
  /** Whether this path is queued or being warmed now: a render of it goes first (lib/server/render-gate.ts). */
  pending(path: string): boolean;
  /** Resolves when nothing is queued or being warmed (for tests and the shutdown). */
  idle(): Promise<void>;
  readonly warmed: number;
  /** Pages being warmed now, and waiting to be (on /metrics). */
  readonly warming: number;
  readonly queued: number;
};

/** The tag and author pages an article links to, in order, without duplicates. */
export function relatedPages(html: string, max = RELATED_MAX): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(RELATED_LINK)) {
    found.add(match[1]);
    if (found.size >= max) break;
  }
  return [...found];
}

/** The reader pages to warm for a change: its public paths (no editor or API ones), and the lists'. */
export function pagesToWarm(change: Change, paths: string[]): string[] {
  const pages = new Set<string>();
  for (const path of paths) {
    const kind = routeKind(path);
    if (kind === 'article' || kind === 'list' || kind === 'feed') pages.add(path);
  }
  if (change.lists || change.all) for (const path of LIST_PAGES) pages.add(path);
  return [...pages];
}

export function createWarmer({
  fetchPage,
  concurrency = 2,
  skip = () => false,
  busy = () => false,
  deferMs = WARM_DEFER_MS,
  log = console.warn,
}: {
  fetchPage: WarmFetch;
  concurrency?: number;
  /** True while warming would be wasted (the database is down). */
  skip?: () => boolean;
  /** True while readers' requests are being answered or have just arrived (not counting the warmer's own). */
  busy?: () => boolean;
  deferMs?: number;
  log?: (message: string) => void;
}): Warmer {
  const queue: string[] = [];
  /** Each queued path, with when it was queued. */
  const queued = new Map<string, number>();
  let retry: ReturnType<typeof setTimeout> | null = null;
  let running = 0;
  const warming = new Map<string, number>();
  let warmed = 0;
  let waiters: (() => void)[] = [];
  /** The tag and author pages each article linked to when last warmed: an unpublished one links to nothing. */
  const related = new LRUCache<string, string[]>({ max: 5_000 });

  const settle = () => {
    if (running === 0 && queue.length === 0) {
      for (const resolve of waiters) resolve();
      waiters = [];
    }
  };

  const enqueue = (path: string, first = false) => {
    if (queued.has(path) || queue.length >= QUEUE_MAX) return;
    queued.set(path, Date.now());
    if (first) queue.unshift(path);
    else queue.push(path);
  };

  async function warmOne(path: string): Promise<void> {
    const { status, body } = await fetchPage(path);
    warmed += 1;
    if (routeKind(path) !== 'article' || path.split('/').length > 3) return;
    const links = status === 200 ? relatedPages(body) : [];
    // Readers go from an article to its tags and authors: those before the feeds still queued.
    for (const link of [...new Set([...(related.get(path) ?? []), ...links])].reverse()) enqueue(link, true);
    if (status === 200) related.set(path, links);
  }

  function pump(): void {
    while (running < concurrency && queue.length > 0) {
      if (busy() && Date.now() - queued.get(queue[0])! < deferMs) {
        retry ??= setTimeout(() => {
          retry = null;
          pump();
        }, DEFER_POLL_MS);
        return;
      }
      const path = queue.shift()!;
      queued.delete(path);
      running += 1;
      warming.set(path, (warming.get(path) ?? 0) + 1);
      void warmOne(path)
        .catch((error: Error) => log(`[warm] ${path}: ${error.message}`))
        .finally(() => {
          running -= 1;
          const left = (warming.get(path) ?? 1) - 1;
          if (left > 0) warming.set(path, left);
          else warming.delete(path);
          pump();
          settle();
        });
    }
  }

  return {
    changed(change, paths) {
      if (skip()) return;
      const pages = pagesToWarm(change, paths);
      if (pages.length === 0) return;
      // Articles first (their links name the tag and author pages), then the lists, the feeds last.
      const order = (path: string) => ({ article: 0, list: 1 })[routeKind(path) as string] ?? 2;
      pages.sort((a, b) => order(a) - order(b));
      for (const path of pages) enqueue(path);
      // A render that began in the same millisecond as the change would count as stale: start after it.
      setTimeout(pump, 2);
    },
    pending(path) {
      return queued.has(path) || warming.has(path);
    },
    idle() {
      if (running === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    get warmed() {
      return warmed;
    },
    get warming() {
      return running;
    },
    get queued() {
      return queue.length;
    },
  };
}
