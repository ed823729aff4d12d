import type { IncomingMessage, OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';
import { randomBytes } from 'node:crypto';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { Entry } from '../cache/page-cache';
import { noteReplayed } from '../observe/outcome';
import { cacheRequest, type RenderTurn } from '../cache/served';
import { compress } from './compress';
import { hashesForPage, nonceSource } from './csp';
import { isSharedRead, rendersEveryRead, type Collapser } from './collapse';
import { NEXT_CONTRACT } from './next-contract';
import type { RenderGate } from './render-gate';
import { isPlainRead, type ReplayCache } from './replay';
import {
  cachePolicy,
  classicRedirect,
  isHtml,
  isNotFoundShell,
  listPageMarker,
  notModified,
  oneLocation,
  ourEtag,
  pagePolicy,
  preparedKey,
  refusedAction,
  streamedHead,
  streams,
  stripReaderScripts,
  swapNotFoundShell,
  unavailableWhenDown,
  withHeaders,
  type Encoding,
  type Head,
  type RequestView,
  type Written,
} from './respond-steps';

export { classicRedirectStatus, REPLAY_AS_LIST_HEADER, UNAVAILABLE_PAGE } from './respond-steps';

/**
 * What the server adds to every response Next.js makes, after reading it whole (but the editor's
 * pages, which stream: respond-steps.ts `streams`):
 * - HTML: a Content-Security-Policy hashing exactly the page's own inline scripts (lib/server/csp),
 *   HSTS over https, and, when the database is down, a plain 503 with Retry-After instead of an
 *   error page;
 * - cached pages: a Cache-Control a CDN can honour without serving stale pages (one second), and an
 *   ETag of the bytes sent (304 when the reader has them);
 * - text of any kind: brotli or gzip, kept per ETag so a cached page is compressed once.
 * Responses that are not text (images, media) pass straight through, streaming as before.
 * What changes a finished response is a pipeline of pure steps (lib/server/respond-steps.ts) over
 * its status, headers and body; this module collects the response, runs them, and has the effects.
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
  /** Whether a render of this path goes ahead of others waiting at the gate (the warmer's pages). */
  urgent?: (path: string) => boolean;
  log?: (message: string) => void;
  /** A request Next.js failed with (default: its message through `log`). */
  onError?: (error: unknown, req: IncomingMessage) => void;
};

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|rss\+xml|atom\+xml|feed\+json|manifest\+json)|image\/svg\+xml)/;
const MIN_COMPRESS_BYTES = 1024;
// A streamed page is compressed once, as it is written: the faster settings compress() gives such bytes.
const STREAM_BROTLI_QUALITY = 4;
const STREAM_GZIP_LEVEL = 5;

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

/** A chunk as Node's write and end take it, with its encoding (when a string names one), as bytes. */
function toBuffer(chunk: unknown, encoding?: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined);
}

/** The callback among a write's or an end's arguments, if any (Node takes it in any of their places). */
function callbackOf(...args: unknown[]): (() => void) | undefined {
  return args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
}

type CollectOptions = {
  /** A response that is not text but must be finished here all the same. */
  collectAnyway: () => boolean;
  /** The head to send at once if this text response streams (respond-steps.ts `streams`), else null. */
  streamHead: () => Head | null;
};

/**
 * Wraps one response so that text is collected rather than sent, then finished by `finish`.
 * Headers set by writeHead are applied to the response (not sent) so they can still change.
 * When Next.js first writes, the response is decided: collected, passed through untouched (not
 * text), or streamed (`streamHead`: its head is sent, and its body compressed as it comes).
 */
function collect(res: ServerResponse, finish: (body: Written) => Promise<void>, { collectAnyway, streamHead }: CollectOptions): void {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  const chunks: Buffer[] = [];
  let whole: string | null = null;
  // Once decided otherwise than 'collect', the response's write and end are no longer these.
  let mode: 'undecided' | 'collect' | 'pass' | 'stream' = 'undecided';
  const restore = () => Object.assign(res, original);
  const decide = () => {
    if (mode === 'undecided') {
      const type = String(res.getHeader('content-type') ?? '');
      const encoded = res.getHeader('content-encoding');
      const text = COMPRESSIBLE.test(type) && !encoded && res.statusCode !== 204 && res.statusCode !== 304;
      const head = text ? streamHead() : null;
      mode = head ? 'stream' : text || collectAnyway() ? 'collect' : 'pass';
      if (mode !== 'collect') restore();
      if (head) stream(res, head, original);
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
    if (decide() !== 'collect') res.flushHeaders();
  };
  res.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown) {
    if (decide() !== 'collect') return (res.write as (...args: unknown[]) => boolean)(chunk, encoding, callback);
    chunks.push(toBuffer(chunk, encoding));
    const done = callbackOf(encoding, callback);
    if (done) queueMicrotask(done);
    return true;
  } as ServerResponse['write'];
  res.end = function end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
    if (decide() !== 'collect') return (res.end as (...args: unknown[]) => ServerResponse)(chunk, encoding, callback);
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') {
      const utf8 = typeof encoding !== 'string' || encoding === 'utf8' || encoding === 'utf-8';
      if (chunks.length === 0 && typeof chunk === 'string' && utf8) whole = chunk;
      else chunks.push(toBuffer(chunk, encoding));
    }
    restore();
    const done = callbackOf(chunk, encoding, callback);
    if (done) res.once('finish', done);
    void finish(whole ?? Buffer.concat(chunks)).catch((error: Error) => {
      if (!res.headersSent) res.statusCode = 500;
      res.end();
      console.error(`[server] finishing a response failed: ${error.message}`);
    });
    return res;
  } as ServerResponse['end'];
}

/** How a header we set is spelled on the wire (Node sends a name as it was first set). */
function spelled(name: string): string {
  return name === 'etag' ? 'ETag' : name.replace(/(^|-)[a-z]/g, (letter) => letter.toUpperCase());
}

type Writes = Pick<ServerResponse, 'write' | 'end'>;

/**
 * Sends `head` now and the body as Next.js writes it: through a compressor when the head names an
 * encoding, flushed once per turn of the event loop so each part React writes (the page's frame, a
 * Suspense boundary resolved) reaches the browser then, not when the page is done. `original` are
 * the response's own write and end, back in place when this is called.
 */
function stream(res: ServerResponse, head: Head, original: Writes): void {
  setHead(res, head);
  const encoding = head.headers['content-encoding'];
  if (encoding !== 'br' && encoding !== 'gzip') return;
  const zip =
    encoding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: STREAM_BROTLI_QUALITY } }) : createGzip({ level: STREAM_GZIP_LEVEL });
  zip.on('data', (bytes: Buffer) => (original.write as (chunk: Buffer) => boolean).call(res, bytes));
  zip.on('end', () => (original.end as () => ServerResponse).call(res));
  zip.on('error', (error) => res.destroy(error));
  res.once('close', () => zip.destroy());
  let flushing = false;
  res.write = function write(chunk: unknown, encoding?: unknown, callback?: unknown) {
    zip.write(toBuffer(chunk, encoding));
    const done = callbackOf(encoding, callback);
    if (done) queueMicrotask(done);
    if (!flushing) {
      flushing = true;
      setImmediate(() => {
        flushing = false;
        zip.flush();
      });
    }
    return true; // the compressor buffers; the socket's own backpressure is Node's
  } as ServerResponse['write'];
  res.end = function end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
    const done = callbackOf(chunk, encoding, callback);
    if (done) res.once('finish', done);
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') zip.end(toBuffer(chunk, encoding));
    else zip.end();
    return res;
  } as ServerResponse['end'];
}

/**
 * Puts `head` on the response, to be sent with the first bytes. Headers go out in the order they
 * were first set, so from the first one out of place (the 503 page sets its own again) the rest
 * are set anew.
 */
function setHead(res: ServerResponse, head: Head): void {
  const wanted = new Map(Object.entries(head.headers).filter((header): header is [string, OutgoingHttpHeader] => header[1] !== undefined));
  for (const name of res.getHeaderNames()) if (!wanted.has(name)) res.removeHeader(name);
  const order = [...wanted.keys()];
  const present = res.getHeaderNames();
  let inPlace = 0;
  while (inPlace < present.length && present[inPlace] === order[inPlace]) inPlace += 1;
  for (const name of present.slice(inPlace)) res.removeHeader(name);
  for (const [name, value] of wanted) if (res.getHeader(name) !== value) res.setHeader(spelled(name), value);
  res.statusCode = head.status;
}

/** Puts the finished head on the response, then ends it. */
function send(res: ServerResponse, head: Head, body?: Buffer): void {
  setHead(res, head);
  if (body === undefined) res.end();
  else res.end(body);
}

/** The per-ETag store's entry for these bytes, made (with the page's CSP hashes) when there is none. */
function preparedFor(key: string | null, request: RequestView, head: Head, readerPage: boolean, body: Buffer, log: (message: string) => void): Prepared {
  const kept = key ? prepared.get(key) : undefined;
  if (kept) return kept;
  const ready: Prepared = { hashes: null, encoded: new Map() };
  if (isHtml(head) && !readerPage) {
    // Bytes that may be served again (they have an ETag) need hashes for every data script.
    const { hashes, refused } = hashesForPage(body.toString('utf8'), request.nonce, { hashNonced: key !== null });
    ready.hashes = hashes;
    if (refused.length > 0) log(`[csp] ${request.path}: ${refused.length} inline script(s) of unknown shape refused: ${refused[0].slice(0, 120)}`);
  }
  if (key) prepared.set(key, ready);
  return ready;
}

/** The body compressed, once per kept body and encoding. */
function compressed(key: string | null, ready: Prepared, body: Buffer, encoding: 'br' | 'gzip'): Buffer {
  const kept = ready.encoded.get(encoding);
  if (kept) return kept;
  const encoded = compress(body, encoding, key === null);
  if (key) {
    ready.encoded.set(encoding, encoded);
    prepared.set(key, { ...ready }); // re-weigh it with its new bytes (lru-cache weighs only a new value)
  }
  return encoded;
}

/**
 * A request's turn at the render gate: entered once, when first asked for (true if it had to wait),
 * and left when given back or when the response closes, whichever comes first (leaving is once).
 */
function turnAt(gate: RenderGate, urgent: boolean, res: ServerResponse): RenderTurn {
  let entering: Promise<boolean> | null = null;
  let leave: (() => void) | null = null;
  return {
    take: () =>
      (entering ??= (async () => {
        const waits = gate.active >= gate.limit;
        leave = await gate.enter(urgent);
        res.once('close', leave);
        return waits;
      })()),
    give: () => leave?.(),
  };
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
    // Kept on disk or in Redis but not in memory (evicted, kept before a restart, or sent by another
    // instance): read back, judged alike.
    const restoring = replay?.restore(req);
    if (restoring && (await restoring) && replay!.serve(req, res, encoding)) {
      noteReplayed(res);
      return;
    }
    // Another reader is already rendering this page: wait for its answer rather than render it again.
    if (replay && options.collapse?.collapsible(req) && (await options.collapse.follow(req, res, () => replay.serve(req, res, encoding)))) {
      noteReplayed(res, true);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    // Renders take turns (lib/server/render-gate.ts); a read the page cache answers takes none. Its
    // turn is taken on a miss (lib/cache/served.ts), or here for a page rendered on every read, and
    // ends when Next.js has written the response or the reader left.
    const turn = options.gate && isSharedRead(req) ? turnAt(options.gate, options.urgent?.(path) ?? false, res) : null;
    if (turn && rendersEveryRead(path)) {
      await turn.take();
      // A reader who left while waiting costs no render.
      if (res.destroyed || req.destroyed) return turn.give();
    }
    // Next.js must not compress: the body is read here first (the CSP hashes its scripts).
    delete req.headers['accept-encoding'];
    // A fresh nonce for this response: Next.js reads it from this request header and puts it on
    // every script of a page it renders now. Cached pages carry an old one and rely on hashes.
    const nonce = randomBytes(18).toString('base64url');
    req.headers['content-security-policy'] = `script-src ${nonceSource(nonce)}`;
    // A page rendered now shows what the database held from about now: a list page replayed later
    // is dated from here, so a change committed during its render makes it stale at once.
    const startedAt = Date.now();
    if (options.https) res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');

    // Any failure while the database is down is finished here, to become the 503: not only pages, but
    // an image served from the database or a route handler's empty 500 too.
    const failedWhileDown = () => res.statusCode >= 500 && options.databaseDown();
    // The page-cache entries this request was answered from (lib/cache/served.ts).
    const served: Entry[] = [];
    const request: RequestView = {
      method: req.method,
      path,
      url: req.url ?? path,
      ifNoneMatch: req.headers['if-none-match'],
      isAction: Boolean(req.headers[NEXT_CONTRACT.actionHeader]),
      plainRead: isPlainRead(req),
      encoding,
      nonce,
    };
    const finish = async (written: Written) => {
      // Next.js is done with it: the next render may start while this one is finished and sent.
      turn?.give();
      // What Next.js wrote, read once; `res` is written again only when it is sent.
      const read: Head = { status: res.statusCode, headers: res.getHeaders() };
      const page = options.notFoundPage && isNotFoundShell(read, written) ? await options.notFoundPage() : null;
      const down = options.databaseDown();

      // The steps (lib/server/respond-steps.ts), in order, on plain values; from stripReaderScripts on, bytes.
      const swap = swapNotFoundShell(request, read, written, page);
      const strip = stripReaderScripts(request, swap.head, swap.body);
      let head = strip.head;
      let body = typeof strip.body === 'string' ? Buffer.from(strip.body) : strip.body;
      ({ head, body } = classicRedirect(request, head, body));
      ({ head, body } = oneLocation(request, head, body));
      ({ head, body } = refusedAction(request, head, body));
      ({ head, body } = unavailableWhenDown(request, head, body, down));
      const list = listPageMarker(request, head, body, served.length);
      ({ head, body } = ourEtag(request, list.head, body, { swapped: swap.swapped, listPage: list.listPage }));
      const key = preparedKey(request, head);
      const ready = preparedFor(key, request, head, strip.readerPage, body, log);
      ({ head, body } = cachePolicy(request, head, body, { hashes: ready.hashes, https: options.https }));
      const unchanged = notModified(request, head, body);
      if (unchanged.notModified) return send(res, unchanged.head);

      // Effects: compressing (once per kept body), keeping the answer for the next reader, sending.
      let out = body;
      if (request.encoding && body.length >= MIN_COMPRESS_BYTES && request.method !== 'HEAD') {
        out = compressed(key, ready, body, request.encoding);
        head = withHeaders(head, { 'content-encoding': request.encoding });
      }
      if (request.method === 'HEAD') return send(res, head);
      head = withHeaders(head, { 'content-length': String(out.length) });
      // A cached page, the same for every reader, from exactly one page-cache entry (or a list page,
      // dated from this request): kept for the next reader.
      const entries = new Set(served);
      const fromCache = head.headers[NEXT_CONTRACT.cacheStateHeader] !== undefined;
      const entry: Entry | null = entries.size === 1 && fromCache ? [...entries][0] : list.listPage ? { lastModified: startedAt, value: null, post: null } : null;
      if (options.replay && key && entry && head.status < 500 && head.headers['set-cookie'] === undefined && request.plainRead && !down) {
        // Kept with a policy of hashes only: this response's nonce is for this response alone.
        const headers: OutgoingHttpHeaders = isHtml(head)
          ? withHeaders(head, { 'content-security-policy': pagePolicy(request, ready.hashes ?? [], options.https) }).headers
          : head.headers;
        options.replay.remember(request.url, { entry, status: head.status, headers, body, compressible: body.length >= MIN_COMPRESS_BYTES, encoded: ready.encoded });
        options.collapse?.kept(res);
      }
      send(res, head, out);
    };
    const streamHead = () => {
      const head: Head = { status: res.statusCode, headers: res.getHeaders() };
      return streams(request, head) ? streamedHead(request, head, options.https) : null;
    };
    collect(res, finish, { collectAnyway: failedWhileDown, streamHead });

    try {
      await cacheRequest.run({ served, turn }, () => handle(req, res));
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
