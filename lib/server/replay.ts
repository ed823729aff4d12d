import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import type { Entry, Freshness } from '../cache/page-cache';
import { compress, owned } from './compress';
import { NEXT_CONTRACT } from './next-contract';

/**
 * Cached pages answered without Next.js. Once Next.js has sent a page from the page cache (or
 * rendered it into the cache), the server keeps what it sent, finished (headers, CSP, compressed
 * bytes), together with the page-cache entry those bytes came from. The next reader of the same
 * address gets those bytes straight away — as long as the page cache would still serve that entry:
 * freshness is judged by the same rule, on every request (lib/cache/page-cache.ts `isServable`), so
 * a publish, an edit or a scheduled post's time makes the replay stale at the same moment as the
 * entry. Anything else (a stale entry, a navigation's flight request, a query we never saw) goes to
 * Next.js as before.
 *
 * Why: Next.js's request pipeline (routing, cache lookup, the page read whole and hashed) costs
 * time in proportion to the page. Here a cached article costs what a static file costs.
 */

export type ReplayJudge = (entry: Freshness, now: number) => boolean;

type Encoding = 'br' | 'gzip';

type Replay = {
  /**
   * What the entry's freshness is judged on, copied: holding the entry itself would keep its whole
   * value (HTML, flight data) alive per kept response, far beyond this cache's byte budget.
   */
  entry: Freshness & { revalidate: number | false | undefined };
  status: number;
  /** Headers as they were sent, without the body's encoding and length (set per request). */
  headers: OutgoingHttpHeaders;
  etag: string | null;
  /** The body uncompressed, kept only when no compressed form was made. */
  identity: Buffer | null;
  /** Worth compressing (not a tiny body). */
  compressible: boolean;
  /** Compressed forms, shared with the responder's per-ETag store. */
  encoded: Map<string, Buffer>;
  size: number;
};

/** Request headers that ask Next.js for something else than the page's HTML at this address. */
const NOT_A_PAGE_READ = [...NEXT_CONTRACT.flightRequestHeaders, NEXT_CONTRACT.middlewarePrefetchHeader, 'range'];
/** Headers that belong to one response only (a replay keeps the X-Request-Id its own request was given). */
const PER_RESPONSE = new Set(['content-encoding', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'x-request-id']);

/** Whether this request reads a page the way any reader would (so one reader's answer fits all). */
export function isPlainRead(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  for (const name of NOT_A_PAGE_READ) if (req.headers[name] !== undefined) return false;
  return true;
}

/** Whether an If-None-Match header names `etag` (or `*`), weak or strong. */
export function matchesEtag(header: string | undefined, etag: string | null): boolean {
  if (!header || !etag) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

export class ReplayCache {
  private readonly replays: LRUCache<string, Replay>;

  constructor(
    maxBytes: number,
    private readonly servable: ReplayJudge,
  ) {
    this.replays = new LRUCache<string, Replay>({ maxSize: Math.max(maxBytes, 1), sizeCalculation: (replay) => Math.max(replay.size, 1) });
  }

  get size(): number {
    return this.replays.size;
  }

  /** What the kept replays weigh, as counted against the budget. */
  get bytes(): number {
    return this.replays.calculatedSize;
  }

  /**
   * Keeps a finished response for `url`. `entry` is the page-cache entry it was made from; callers
   * only pass responses that are the same for every reader (no cookie set, a plain read).
   */
  remember(
    url: string,
    replay: { entry: Entry; status: number; headers: OutgoingHttpHeaders; body: Buffer; compressible: boolean; encoded: Map<string, Buffer> },
  ): void {
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(replay.headers)) if (value !== undefined && !PER_RESPONSE.has(name)) headers[name] = value;
    if (headers[NEXT_CONTRACT.cacheStateHeader] !== undefined) headers[NEXT_CONTRACT.cacheStateHeader] = 'HIT';
    const identity = replay.encoded.size === 0 ? owned(replay.body) : null;
    const etag = typeof headers.etag === 'string' ? headers.etag : null;
    const size = 1024 + url.length + (identity?.length ?? 0) + [...replay.encoded.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    const { lastModified, post, cacheControl } = replay.entry;
    const entry = { lastModified, post, revalidate: cacheControl?.revalidate };
    this.replays.set(url, { entry, status: replay.status, headers, etag, identity, compressible: replay.compressible, encoded: replay.encoded, size });
  }

  /**
   * Answers `req` from a kept response if there is one and its entry is still servable; returns
   * false (and sends nothing) otherwise.
   */
  serve(req: IncomingMessage, res: ServerResponse, encoding: Encoding | null, now = Date.now()): boolean {
    const url = req.url;
    if (!url || !isPlainRead(req)) return false;
    const replay = this.replays.get(url);
    if (!replay) return false;
    const { entry } = replay;
    const { revalidate } = entry;
    // Next.js's own safety net (a page's `revalidate`) applies here too: an old entry goes back to it.
    if (!this.servable(entry, now) || (typeof revalidate === 'number' && now - entry.lastModified >= revalidate * 1000)) {
      this.replays.delete(url);
      return false;
    }

    if (replay.status === 200 && matchesEtag(req.headers['if-none-match'], replay.etag)) {
      // Only the headers the replay has: a list page kept without Cache-Control has none to repeat.
      const headers: OutgoingHttpHeaders = { etag: replay.etag! };
      for (const name of ['vary', 'cache-control'] as const) if (replay.headers[name] !== undefined) headers[name] = replay.headers[name];
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    const body = this.body(url, replay, encoding);
    const headers: OutgoingHttpHeaders = { ...replay.headers, 'content-length': String(body.bytes.length) };
    if (body.encoding) headers['content-encoding'] = body.encoding;
    res.writeHead(replay.status, headers);
    if (req.method === 'HEAD') res.end();
    else res.end(body.bytes);
    return true;
  }

  /** The bytes for this reader's encoding: kept, or made once from the kept ones. */
  private body(url: string, replay: Replay, encoding: Encoding | null): { bytes: Buffer; encoding: Encoding | null } {
    if (!encoding || !replay.compressible) return { bytes: replay.identity ?? this.decode(replay), encoding: null };
    const kept = replay.encoded.get(encoding);
    if (kept) return { bytes: kept, encoding };
    const identity = replay.identity ?? this.decode(replay);
    const bytes = compress(identity, encoding, false);
    replay.encoded.set(encoding, bytes);
    // Weighed again with its new bytes, so the budget stays true (lru-cache weighs only a new
    // value, not the same object set again).
    this.replays.set(url, { ...replay, size: replay.size + bytes.length });
    return { bytes, encoding };
  }

  private decode(replay: Replay): Buffer {
    const br = replay.encoded.get('br');
    if (br) return brotliDecompressSync(br);
    return gunzipSync(replay.encoded.get('gzip')!);
  }
}
