import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { createHash, randomBytes } from 'node:crypto';
import type { Entry } from '../cache/page-cache';
import { noteReplayed } from '../observe/outcome';
import { servedEntries } from '../cache/served';
import { compress } from './compress';
import { contentSecurityPolicy, hashesForPage, nonceSource } from './csp';
import { refusalStatus } from './refusal';
import { isSharedRead, type Collapser } from './collapse';
import { ERROR_SHELL, NEXT_CONTRACT } from './next-contract';
import type { RenderGate } from './render-gate';
import { isPlainRead, matchesEtag, type ReplayCache } from './replay';
import { READER_MARKER, withoutScripts } from './scripts';

/**
 * What the server adds to every response Next.js makes, after reading it whole:
 * - HTML: a Content-Security-Policy hashing exactly the page's own inline scripts (lib/server/csp),
 *   HSTS over https, and, when the database is down, a plain 503 with Retry-After instead of an
 *   error page;
 * - cached pages: a Cache-Control a CDN can honour without serving stale pages (one second), and an
 *   ETag of the bytes sent (304 when the reader has them);
 * - text of any kind: brotli or gzip, kept per ETag so a cached page is compressed once.
 * Responses that are not text (images, media) pass straight through, streaming as before.
 */

export type ResponderOptions = {
  https: boolean;
  /**
   * The site's 404 page, rendered on the server (/_broadsheet/not-found). Next.js 16 answers notFound()
   * from a cached page with an empty shell that only JavaScript fills; readers get this instead.
   */
  notFoundPage?: () => Promise<Buffer | null>;
  /** True while the database cannot be reached: 5xx pages become a plain 503. */
  databaseDown: () => boolean;
  /** Keeps finished cached pages and answers later readers of them without Next.js. */
  replay?: ReplayCache;
  /** Concurrent reads of one stale or missing page wait for one render (needs `replay`). */
  collapse?: Collapser;
  /** At most so many shared reads in Next.js at once (lib/server/render-gate.ts). */
  gate?: RenderGate;
  log?: (message: string) => void;
  /** A request Next.js failed with (default: its message through `log`). */
  onError?: (error: unknown, req: IncomingMessage) => void;
};

/**
 * Set by next.config.js on dynamic pages that are the same for every reader and show only public
 * posts (search): their answers may be replayed, judged fresh like a list page. Never sent out.
 */
export const REPLAY_AS_LIST_HEADER = 'x-broadsheet-replay';

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|rss\+xml|atom\+xml|feed\+json|manifest\+json)|image\/svg\+xml)/;
const NOT_FRAMED = /^\/(editor|login|setup|invite)(\/|$)/;
const MIN_COMPRESS_BYTES = 1024;
const RETRY_AFTER_SECONDS = 30;
// A CDN may keep a cached page for a second: as fresh as the server itself promises.
const CACHED_PAGE_CONTROL = 'public, max-age=0, s-maxage=1, must-revalidate';

type Encoding = 'br' | 'gzip' | null;
type Prepared = { hashes: string[] | null; encoded: Map<string, Buffer> };

/** Per cached body (keyed by path and ETag): its policy and its compressed forms. */
const prepared = new LRUCache<string, Prepared>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (entry) => 256 + [...entry.encoded.values()].reduce((sum, bytes) => sum + bytes.length, 0),
});

export function chooseEncoding(header: string | string[] | undefined): Encoding {
  const value = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
  const accepts = (name: string) => new RegExp(`(^|[,\\s])${name}(?!;q=0(\\.0*)?(,|$))`).test(value);
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

export const UNAVAILABLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable</title>
<style>body{font:1.125rem/1.6 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222;background:#fbfaf7}</style>
</head><body><main><h1>Temporarily unavailable</h1>
<p>We cannot reach our database right now. Please try again in a moment; nothing you saved is lost.</p></main></body></html>
`;

function toBuffer(chunk: unknown, encoding?: BufferEncoding): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), encoding);
}

/**
 * A body as it was written: the one string Next.js ends a finished page with (kept as text: the
 * reader-page step reads text, and encoding 60–90 KB only to decode it again cost ~0.5 ms per
 * render), else the bytes.
 */
type Written = Buffer | string;

/**
 * Wraps one response so that text is collected rather than sent, then finished by `finish`.
 * Headers set by writeHead are applied to the response (not sent) so they can still change.
 * `collectAnyway`: a response that is not text but must be finished here all the same.
 */
function collect(res: ServerResponse, finish: (body: Written) => Promise<void>, collectAnyway: () => boolean): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  const chunks: Buffer[] = [];
  let whole: string | null = null;
  let mode: 'undecided' | 'collect' | 'pass' = 'undecided';
  const restore = () => Object.assign(res, original);
  const decide = () => {
    if (mode === 'undecided') {
      const type = String(res.getHeader('content-type') ?? '');
      const encoded = res.getHeader('content-encoding');
      const text = COMPRESSIBLE.test(type) && !encoded && res.statusCode !== 204 && res.statusCode !== 304;
      mode = text || collectAnyway() ? 'collect' : 'pass';
      if (mode === 'pass') restore();
    }
    return mode;
  };

  res.writeHead = function writeHead(this: ServerResponse, status: number, ...rest: unknown[]) {
    res.statusCode = status;
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null) as OutgoingHttpHeaders | unknown[] | undefined;
    const reason = rest.find((arg) => typeof arg === 'string') as string | undefined;
    if (reason) res.statusMessage = reason;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(String(headers[i]), headers[i + 1] as string);
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    }
    return res;
  } as ServerResponse['writeHead'];
  res.flushHeaders = () => {
    if (decide() === 'pass') original.flushHeaders.call(res);
  };
  res.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown) {
    if (decide() === 'pass') return (original.write as (...args: unknown[]) => boolean).call(res, chunk, encoding, callback);
    chunks.push(toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  } as ServerResponse['write'];
  res.end = function end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
    if (decide() === 'pass') return (original.end as (...args: unknown[]) => ServerResponse).call(res, chunk, encoding, callback);
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      const utf8 = typeof encoding !== 'string' || encoding === 'utf8' || encoding === 'utf-8';
      if (chunks.length === 0 && typeof chunk === 'string' && utf8) whole = chunk;
      else chunks.push(toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined));
    }
    restore();
    const done = [chunk, encoding, callback].find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (done) res.once('finish', done);
    void finish(whole ?? Buffer.concat(chunks)).catch((error: Error) => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
      console.error(`[server] finishing a response failed: ${error.message}`);
    });
    return res;
  } as ServerResponse['end'];
}

function addVary(res: ServerResponse, name: string): void {
  const current = String(res.getHeader('vary') ?? '');
  const names = current
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (!names.some((part) => part.toLowerCase() === name.toLowerCase())) res.setHeader('Vary', [...names, name].join(', '));
}

/**
 * A page can only redirect with 308 (permanentRedirect: a renamed post's old address, an old
 * site's address) or 307 (redirect: an admin's temporary redirect). For a GET or HEAD they mean
 * what 301 and 302 mean, which feed readers and older crawlers understand best.
 */
export function classicRedirectStatus(status: number, method: string | undefined): number {
  if (method !== 'GET' && method !== 'HEAD') return status;
  if (status === 308) return 301;
  if (status === 307) return 302;
  return status;
}

/** Adds security headers, the 503 page, cache headers and compression around `handle`. */
export function createResponder(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  options: ResponderOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const log = options.log ?? console.error;
  return async (req, res) => {
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    const replay = options.replay;
    if (replay?.serve(req, res, encoding)) {
      noteReplayed(res);
      return;
    }
    // Another reader is already rendering this page: wait for its answer rather than render it again.
    if (replay && options.collapse?.collapsible(req) && (await options.collapse.follow(req, res, () => replay.serve(req, res, encoding)))) {
      noteReplayed(res);
      return;
    }
    // Renders take turns (lib/server/render-gate.ts); a reader who left while waiting costs none.
    let leave: (() => void) | null = null;
    if (options.gate && isSharedRead(req)) {
      leave = await options.gate.enter();
      if (res.destroyed || req.destroyed) return leave();
      res.once('close', leave);
    }
    // Next.js must not compress: the body is read here first (the CSP hashes its scripts).
    delete req.headers['accept-encoding'];
    // A fresh nonce for this response: Next.js reads it from this request header and puts it on
    // every script of a page it renders now. Cached pages carry an old one and rely on hashes.
    const nonce = randomBytes(18).toString('base64url');
    req.headers['content-security-policy'] = `script-src ${nonceSource(nonce)}`;
    const path = (req.url ?? '/').split('?')[0];
    // A page rendered now shows what the database held from about now: a list page replayed later
    // is dated from here, so a change committed during its render makes it stale at once.
    const startedAt = Date.now();
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');

    // Any failure while the database is down is finished here, to become the 503: not only pages, but
    // an image served from the database or a route handler's empty 500 too.
    const failedWhileDown = () => res.statusCode >= 500 && options.databaseDown();
    // The page-cache entries this request was answered from (lib/cache/served.ts).
    const served: Entry[] = [];
    collect(
      res,
      async (written) => {
        // Next.js is done with it: the next render may start while this one is finished and sent.
        leave?.();
        const type = String(res.getHeader('content-type') ?? '');
        let isHtml = type.startsWith('text/html');

        // The 404 page's own bytes: not this response's render, so not kept (no ETag, below).
        let swapped = false;
        if (res.statusCode === 404 && isHtml && options.notFoundPage && written.includes(ERROR_SHELL)) {
          const page = await options.notFoundPage();
          if (page) {
            written = page;
            swapped = true;
            res.removeHeader('etag');
          }
        }
        // Reader pages (marked by their layout) go out as HTML and CSS only: lib/server/scripts.ts.
        // What is left of their scripts is JSON-LD, which runs nothing: no hashes to find.
        let readerPage = false;
        if (isHtml && written.includes(READER_MARKER)) {
          const plain = withoutScripts(typeof written === 'string' ? written : written.toString('utf8'));
          if (plain !== null) [written, readerPage] = [plain, true];
        }
        let body = typeof written === 'string' ? Buffer.from(written) : written;
        res.statusCode = classicRedirectStatus(res.statusCode, req.method);
        // Next.js sometimes sets Location twice on a cached redirect; one is enough.
        const location = res.getHeader('location');
        if (Array.isArray(location)) res.setHeader('Location', location[0]);

        // A refused server action: its status, with the body (the message the form shows) unchanged.
        const refusal = req.headers[NEXT_CONTRACT.actionHeader] && type.startsWith(NEXT_CONTRACT.flightContentType) ? refusalStatus(body) : null;
        if (refusal) res.statusCode = refusal;

        // The 503 page, except for a server action's answer: the form reads that (its message says
        // the text is kept in the browser), a page would be unreadable to it.
        if (res.statusCode >= 500 && options.databaseDown() && !type.startsWith(NEXT_CONTRACT.flightContentType)) {
          body = Buffer.from(UNAVAILABLE_PAGE);
          res.statusCode = 503;
          for (const name of res.getHeaderNames()) if (name !== 'strict-transport-security' && name !== 'x-request-id') res.removeHeader(name);
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
          res.setHeader('Cache-Control', 'no-store');
          res.setHeader('X-Content-Type-Options', 'nosniff');
          isHtml = true;
        }

        const listPage = res.getHeader(REPLAY_AS_LIST_HEADER) === 'lists' && res.statusCode === 200 && served.length === 0;
        res.removeHeader(REPLAY_AS_LIST_HEADER);
        // The ETag is ours (next.config.js generateEtags: false: Next.js hashed every page it sent,
        // flight data and all, in JavaScript, 0.3–1.9 ms per article render): a hash of the bytes
        // sent, for every answer from the page cache (pages, their redirects, feeds) and list pages,
        // so that their compressed bytes are kept and readers can ask "has it changed?". Not for a HEAD
        // (Next.js writes no body to hash; a replayed HEAD has the GET's).
        const cachedOrList = res.hasHeader(NEXT_CONTRACT.cacheStateHeader) || listPage;
        if (cachedOrList && res.statusCode < 500 && req.method === 'GET' && !swapped && !res.hasHeader('etag')) {
          res.setHeader('ETag', `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`);
        }
        const etag = res.getHeader('etag');
        const key = typeof etag === 'string' && req.method === 'GET' ? `${path} ${etag}` : null;
        let ready = key ? prepared.get(key) : undefined;
        if (!ready) {
          ready = { hashes: null, encoded: new Map() };
          if (isHtml && !readerPage) {
            // Bytes that may be served again (they have an ETag) need hashes for every data script.
            const { hashes, refused } = hashesForPage(body.toString('utf8'), nonce, { hashNonced: key !== null });
            ready.hashes = hashes;
            if (refused.length > 0) log(`[csp] ${path}: ${refused.length} inline script(s) of unknown shape refused: ${refused[0].slice(0, 120)}`);
          }
          if (key) prepared.set(key, ready);
        }
        if (isHtml) {
          const sources = [nonceSource(nonce), ...(ready.hashes ?? [])];
          res.setHeader('Content-Security-Policy', contentSecurityPolicy(sources, { https: options.https, framed: !NOT_FRAMED.test(path) }));
        }
        if (res.hasHeader(NEXT_CONTRACT.cacheStateHeader) && res.statusCode < 400) res.setHeader('Cache-Control', CACHED_PAGE_CONTROL);
        addVary(res, 'Accept-Encoding');
        // The reader has these bytes already (what Next.js answered for its own ETags).
        if (res.statusCode === 200 && key && matchesEtag(req.headers['if-none-match'], String(etag))) {
          res.statusCode = 304;
          res.end();
          return;
        }

        let out = body;
        if (encoding && body.length >= MIN_COMPRESS_BYTES && req.method !== 'HEAD') {
          let encoded = ready.encoded.get(encoding);
          if (!encoded) {
            encoded = compress(body, encoding, key === null);
            if (key) {
              ready.encoded.set(encoding, encoded);
              prepared.set(key, { ...ready }); // re-weigh it with its new bytes (lru-cache weighs only a new value)
            }
          }
          out = encoded;
          res.setHeader('Content-Encoding', encoding);
        }
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        res.setHeader('Content-Length', String(out.length));
        // A cached page, the same for every reader, from exactly one page-cache entry (or a list page,
        // dated from this request): kept for the next reader.
        const entries = new Set(served);
        const entry: Entry | null =
          entries.size === 1 && res.hasHeader(NEXT_CONTRACT.cacheStateHeader)
            ? [...entries][0]
            : listPage
              ? { lastModified: startedAt, value: null, post: null, size: 0 }
              : null;
        if (options.replay && key && entry && res.statusCode < 500 && !res.hasHeader('set-cookie') && isPlainRead(req) && !options.databaseDown()) {
          const headers = res.getHeaders();
          if (isHtml) headers['content-security-policy'] = contentSecurityPolicy(ready.hashes ?? [], { https: options.https, framed: !NOT_FRAMED.test(path) });
          options.replay.remember(req.url ?? path, {
            entry,
            status: res.statusCode,
            headers,
            body,
            compressible: body.length >= MIN_COMPRESS_BYTES,
            encoded: ready.encoded,
          });
          options.collapse?.kept(res);
        }
        res.end(out);
      },
      failedWhileDown,
    );

    try {
      await servedEntries.run(served, () => handle(req, res));
    } catch (error) {
      if (options.onError) options.onError(error, req);
      else log(`[server] ${req.method} ${path}: ${(error as Error).message}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('Internal Server Error');
      }
    }
  };
}
