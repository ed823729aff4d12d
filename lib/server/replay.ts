import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { deserialize, serialize } from 'node:v8';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { FileStore } from '../cache/file-store';
import type { Entry, Freshness, RemoteTier } from '../cache/page-cache';
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
 *
 * With a directory (`ReplayDisk`), every kept response is also written to a file of its own, and
 * kept there past the memory budget and across restarts of the same build: a reader of a page the
 * memory no longer holds (evicted, or the process restarted) gets it from its file, judged by the
 * same rule, instead of through Next.js, the page cache's entry and compressing it again. With a
 * shared tier (Redis, `setRemote`), every kept response made from a page-cache entry is stored there
 * too, and an instance that has no file for a page asks it: a page one instance has sent is sent by
 * the others as it was, each judging it by its own page cache's rule.
 */

/** Where kept responses are written, and how many bytes of them to keep there. */
export type ReplayDisk = { dir: string; maxBytes: number };

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

/** What a kept response's file holds (v8.serialize). */
type Stored = Omit<Replay, 'encoded' | 'size'> & { url: string; encoded: [string, Buffer][] };

/** A kept response's key in the shared tier, beside the page cache's entries (whose keys are paths). */
const remoteKey = (url: string) => `replay:${url}`;
/** What a replay weighs against the memory budget. */
const weigh = (url: string, identity: Buffer | null, encoded: Map<string, Buffer>) =>
  1024 + url.length + (identity?.length ?? 0) + [...encoded.values()].reduce((sum, bytes) => sum + bytes.length, 0);

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
  /** The kept responses' files (lib/cache/file-store.ts), or null. */
  private readonly files: FileStore | null;
  private remote: RemoteTier | null = null;

  constructor(
    maxBytes: number,
    private readonly servable: ReplayJudge,
    disk?: ReplayDisk,
  ) {
    this.replays = new LRUCache<string, Replay>({ maxSize: Math.max(maxBytes, 1), sizeCalculation: (replay) => Math.max(replay.size, 1) });
    this.files = disk && disk.maxBytes > 0 ? new FileStore(disk.dir, disk.maxBytes) : null;
  }

  /** The tier shared by every instance (Redis), or null. */
  setRemote(remote: RemoteTier | null): void {
    this.remote = remote;
  }

  /** Writes and removals of files still in progress (for tests and a clean stop). */
  async settled(): Promise<void> {
    await this.files?.settled();
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
    const { lastModified, post, cacheControl } = replay.entry;
    const entry = { lastModified, post, revalidate: cacheControl?.revalidate };
    const kept: Replay = {
      entry,
      status: replay.status,
      headers,
      etag,
      identity,
      compressible: replay.compressible,
      encoded: replay.encoded,
      size: weigh(url, identity, replay.encoded),
    };
    this.replays.set(url, kept);
    // A page the page cache holds is shared; a list page kept per request (a search's results) is
    // not: any query would be a new key in Redis, where nothing bounds them but their expiry.
    this.write(url, kept, replay.entry.value !== null);
  }

  /** Keeps `replay` in its file and the shared tier too (in the background), replacing what was there. */
  private write(url: string, replay: Replay, share: boolean): void {
    if (!this.files && !(share && this.remote)) return;
    const { entry, status, headers, etag, identity, compressible, encoded } = replay;
    const stored: Stored = { url, entry, status, headers, etag, identity, compressible, encoded: [...encoded] };
    const bytes = serialize(stored);
    this.files?.write(url, bytes);
    if (share) this.remote?.set(remoteKey(url), bytes);
  }

  /** Forgets what is kept for `url`, in memory and on disk. */
  private forget(url: string): void {
    this.replays.delete(url);
    this.files?.delete(url);
  }

  /**
   * Brings back the kept response for `req` from its file, or else from the shared tier, when memory
   * no longer holds it (evicted, kept by a process before a restart, or sent by another instance):
   * true when it is in memory again, for `serve` to judge and send. False at once when there is
   * neither a file for it nor a shared tier.
   */
  restore(req: IncomingMessage): false | Promise<boolean> {
    const url = req.url;
    if (!url || !isPlainRead(req) || this.replays.has(url)) return false;
    if (this.files?.has(url)) return this.readFile(url);
    if (this.remote) return this.readRemote(url);
    return false;
  }

  private async readFile(url: string): Promise<boolean> {
    const bytes = await this.files!.read(url);
    return bytes !== null && this.adopt(url, bytes);
  }

  private async readRemote(url: string): Promise<boolean> {
    const bytes = await this.remote!.get(remoteKey(url));
    if (!bytes || !this.adopt(url, bytes)) return false;
    // Kept on this instance's disk too, for its next restart or eviction.
    this.files?.write(url, bytes);
    return true;
  }

  /** Takes the stored response for `url` back into memory; false if `bytes` are not one. */
  private adopt(url: string, bytes: Buffer): boolean {
    let stored: Stored;
    try {
      stored = deserialize(bytes) as Stored;
    } catch {
      return false;
    }
    if (stored?.url !== url) return false;
    if (this.replays.has(url)) return true;
    // Each part in memory of its own: deserialized, they are views of the whole stored bytes.
    const own = (part: Uint8Array) => owned(Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    const identity = stored.identity ? own(stored.identity) : null;
    const encoded = new Map(stored.encoded.map(([encoding, part]) => [encoding, own(part)]));
    const { entry, status, headers, etag, compressible } = stored;
    this.replays.set(url, { entry, status, headers, etag, identity, compressible, encoded, size: weigh(url, identity, encoded) });
    return true;
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
      this.forget(url);
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
