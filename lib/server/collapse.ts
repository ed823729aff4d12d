import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { isPlainRead } from './replay';

/**
 * One render per page, however many readers (request collapsing). When a cached page is stale or
 * missing, the first plain read of its address goes on to Next.js (the leader); every other plain
 * read of the same address that arrives meanwhile waits for the leader's response to finish and is
 * then answered from what the leader left in the replay cache (lib/server/replay.ts), without a
 * render of its own. An address whose answer was not kept (a page per reader, an error) is not
 * collapsed again for a minute: its readers would only queue behind one another.
 */

/** Paths never collapsed: assets, media, the API, and the signed-in or per-visitor sections. */
const NEVER = /^\/(_next|api|media|editor|login|setup|invite|forgot-password|reset-password|preview|subscribe|unsubscribe)(\/|$)/;

/**
 * Shared pages Next.js renders for every read without asking the page cache (`dynamic =
 * 'force-dynamic'`: search, and the bench's render floor): their turn at the render gate is taken
 * before Next.js, not on a cache miss.
 * tests/unit/collapse.test.ts checks that every such page under app/ is here or never shared.
 */
const RENDERED_EVERY_READ = /^\/(search|bench\/dynamic)(\/|$)/;

export function rendersEveryRead(path: string): boolean {
  return RENDERED_EVERY_READ.test(path);
}

/** A plain read of a page every reader shares: what may be collapsed, and what renders in turn at the render gate. */
export function isSharedRead(req: IncomingMessage): boolean {
  const url = req.url;
  return !!url && isPlainRead(req) && !NEVER.test(url.split('?')[0]);
}
/** How long an address whose answer was not kept is left alone. */
const NOT_KEPT_MS = 60_000;
/** A follower whose leader's answer could not be replayed waits for one more leader at most. */
const MAX_ROUNDS = 2;

export class Collapser {
  private readonly leaders = new Map<string, Promise<void>>();
  private readonly notKept = new LRUCache<string, true>({ max: 10_000, ttl: NOT_KEPT_MS });
  /** Requests that waited for a leader, and those of them answered from its response (for tests and metrics). */
  followed = 0;
  collapsed = 0;

  /** Whether this request may wait for another read of the same address. */
  collapsible(req: IncomingMessage): boolean {
    return isSharedRead(req) && !this.notKept.has(req.url!);
  }

  /**
   * Waits while another request for the same address is in flight, then asks `answer` (the replay
   * cache) whether it can be answered now. True: it was. False: the caller goes on to Next.js, as
   * the new leader when it may lead (a GET) and nobody else does.
   */
  async follow(req: IncomingMessage, res: ServerResponse, answer: () => boolean): Promise<boolean> {
    const url = req.url!;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const leader = this.leaders.get(url);
      if (!leader) break;
      if (round === 0) this.followed += 1;
      await leader;
      if (answer()) {
        this.collapsed += 1;
        return true;
      }
    }
    // A conditional read may be answered 304 without a body: nothing to keep for the others.
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    if (req.method === 'GET' && !conditional && !this.leaders.has(url)) this.lead(url, res);
    return false;
  }

  /**
   * The responder kept this response in the replay cache: the readers waiting for it are answered
   * now, before its own bytes have even left.
   */
  kept(res: ServerResponse): void {
    const leading = res as Leading;
    leading[KEPT] = true;
    leading[RELEASE]?.();
  }

  private lead(url: string, res: ServerResponse): void {
    const leading = res as Leading;
    const finished = new Promise<void>((resolve) => {
      leading[RELEASE] = () => {
        if (this.leaders.get(url) === finished) this.leaders.delete(url);
        resolve();
      };
    });
    this.leaders.set(url, finished);
    res.once('close', () => {
      if (!leading[KEPT]) this.notKept.set(url, true);
      leading[RELEASE]!();
    });
  }

  /** Addresses being rendered now with readers possibly waiting (for tests). */
  get inFlight(): number {
    return this.leaders.size;
  }
}

const KEPT = Symbol('broadsheet.kept');
const RELEASE = Symbol('broadsheet.release');
type Leading = ServerResponse & { [KEPT]?: true; [RELEASE]?: () => void };
