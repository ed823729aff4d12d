import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { createHash } from 'node:crypto';
import { contentSecurityPolicy, nonceSource } from './csp';
import { refusalStatus } from './refusal';
import { ERROR_SHELL, NEXT_CONTRACT } from './next-contract';
import { matchesEtag } from './replay';
import { READER_MARKER, withoutScripts } from './scripts';

/**
 * The steps lib/server/respond.ts takes, in this order, over a response Next.js has finished: each a
 * pure function of the request, the head (status and headers) and the body, returning the new head
 * and body (and what a later step needs to know). The responder reads the head from the response
 * once, runs the steps, and alone does what has effects: fetching the 404 page, the per-ETag store,
 * compressing, the replay cache, writing the response.
 *
 *  1. swapNotFoundShell    Next.js's empty 404 shell → the server-rendered not-found page
 *  2. stripReaderScripts   a reader page without its scripts (lib/server/scripts.ts)
 *  3. classicRedirect      308/307 → 301/302 for a GET or HEAD
 *  4. oneLocation          one Location, not two
 *  5. refusedAction        a refused server action's status
 *  6. unavailableWhenDown  a 5xx while the database is down → the plain 503 page
 *  7. listPageMarker       next.config.js's replay-as-list marker, honoured and removed
 *  8. ourEtag              an ETag of the bytes sent
 *  9. cachePolicy          Content-Security-Policy, Cache-Control, Vary
 * 10. notModified          304 when the reader has these bytes
 *
 * Pages for one signed-in person (the editor) are not collected at all: `streams` tells the
 * responder so when Next.js starts writing, and `streamedHead` is the whole of what it adds to them.
 */

export type Head = { status: number; headers: OutgoingHttpHeaders };

/** What the steps read of the request, as it stands when Next.js has answered it. */
export type RequestView = {
  method: string | undefined;
  /** The address without its query, as the reader asked for it (before Next.js). */
  path: string;
  url: string;
  ifNoneMatch: string | undefined;
  /** A server action (Next.js's action header). */
  isAction: boolean;
  /** A read any reader could have made (lib/server/replay.ts `isPlainRead`): its answer may be kept. */
  plainRead: boolean;
  /** How the body may go out compressed, from the reader's Accept-Encoding. */
  encoding: Encoding;
  /** This response's script nonce, handed to Next.js. */
  nonce: string;
};

export type Encoding = 'br' | 'gzip' | null;

/**
 * A body as it was written: the one string Next.js ends a finished page with (kept as text: the
 * reader-page step reads text, and encoding 60–90 KB only to decode it again cost ~0.5 ms per
 * render), else the bytes. Steps after stripReaderScripts see bytes.
 */
export type Written = Buffer | string;

/**
 * Set by next.config.js on dynamic pages that are the same for every reader and show only public
 * posts (search): their answers may be replayed, judged fresh like a list page. Never sent out.
 */
export const REPLAY_AS_LIST_HEADER = 'x-broadsheet-replay';

export const UNAVAILABLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable</title>
<style>body{font:1.125rem/1.6 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222;background:#fbfaf7}</style>
</head><body><main><h1>Temporarily unavailable</h1>
<p>We cannot reach our database right now. Please try again in a moment; nothing you saved is lost.</p></main></body></html>
`;

const NOT_FRAMED = /^\/(editor|login|setup|invite)(\/|$)/;
/** Where pages stream: the editor, rendered per request for the person signed in. */
const STREAMED = /^\/editor(\/|$)/;
const RETRY_AFTER_SECONDS = 30;
// A CDN may keep a cached page for a second: as fresh as the server itself promises.
const CACHED_PAGE_CONTROL = 'public, max-age=0, s-maxage=1, must-revalidate';
/** What the 503 page keeps of the response it replaces. */
const KEPT_WHEN_DOWN = new Set(['strict-transport-security', 'x-request-id']);

/**
 * The head with some headers set and others (null) removed. As on a ServerResponse, a header set
 * again keeps its place and a new one comes last: the order the responder sends them in.
 */
export function withHeaders(head: Head, changes: Record<string, OutgoingHttpHeader | null>): Head {
  const headers: OutgoingHttpHeaders = { ...head.headers };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return { status: head.status, headers };
}

function contentType(head: Head): string {
  return String(head.headers['content-type'] ?? '');
}

export function isHtml(head: Head): boolean {
  return contentType(head).startsWith('text/html');
}

function isFlight(head: Head): boolean {
  return contentType(head).startsWith(NEXT_CONTRACT.flightContentType);
}

/** Whether this is Next.js's empty 404 shell (the responder then fetches the page swapNotFoundShell takes). */
export function isNotFoundShell(head: Head, body: Written): boolean {
  return head.status === 404 && isHtml(head) && body.includes(ERROR_SHELL);
}

/**
 * Next.js 16 answers notFound() from a cached page with an empty shell that only JavaScript fills;
 * readers get `page`, the site's 404 page rendered on the server, instead. Its bytes are not this
 * response's render, so they are not kept: no ETag (`swapped` tells ourEtag).
 */
export function swapNotFoundShell(_request: RequestView, head: Head, body: Written, page: Buffer | null) {
  if (!page || !isNotFoundShell(head, body)) return { head, body, swapped: false };
  return { head: withHeaders(head, { etag: null }), body: page as Written, swapped: true };
}

/**
 * Reader pages (marked by their layout) go out as HTML and CSS only: lib/server/scripts.ts. What is
 * left of their scripts is JSON-LD, which runs nothing: no hashes to find (`readerPage`).
 */
export function stripReaderScripts(_request: RequestView, head: Head, body: Written) {
  if (!isHtml(head) || !body.includes(READER_MARKER)) return { head, body, readerPage: false };
  const plain = withoutScripts(typeof body === 'string' ? body : body.toString('utf8'));
  return plain === null ? { head, body, readerPage: false } : { head, body: plain as Written, readerPage: true };
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

export function classicRedirect(request: RequestView, head: Head, body: Buffer) {
  return { head: { ...head, status: classicRedirectStatus(head.status, request.method) }, body };
}

/** Next.js sometimes sets Location twice on a cached redirect; one is enough. */
export function oneLocation(_request: RequestView, head: Head, body: Buffer) {
  const location: OutgoingHttpHeader | undefined = head.headers.location;
  return { head: Array.isArray(location) ? withHeaders(head, { location: location[0] }) : head, body };
}

/** A refused server action: its status (from its result), with the body (the message the form shows) unchanged. */
export function refusedAction(request: RequestView, head: Head, body: Buffer) {
  const refusal = request.isAction && isFlight(head) ? refusalStatus(body) : null;
  return { head: refusal ? { ...head, status: refusal } : head, body };
}

/**
 * A 5xx while the database is down (`down`) becomes a plain 503 with Retry-After, keeping only HSTS
 * and the request id. Not a server action's answer: the form reads that (its message says the text
 * is kept in the browser), a page would be unreadable to it.
 */
export function unavailableWhenDown(_request: RequestView, head: Head, body: Buffer, down: boolean) {
  if (head.status < 500 || !down || isFlight(head)) return { head, body };
  const headers: OutgoingHttpHeaders = {
    ...Object.fromEntries(Object.entries(head.headers).filter(([name]) => KEPT_WHEN_DOWN.has(name))),
    'content-type': 'text/html; charset=utf-8',
    'retry-after': String(RETRY_AFTER_SECONDS),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  return { head: { status: 503, headers }, body: Buffer.from(UNAVAILABLE_PAGE) };
}

/**
 * next.config.js's marker, never sent out: a page marked `lists` that answered 200 without the page
 * cache (`served`: the entries it was answered from) is kept like a list page (`listPage`).
 */
export function listPageMarker(_request: RequestView, head: Head, body: Buffer, served: number) {
  const listPage = head.headers[REPLAY_AS_LIST_HEADER] === 'lists' && head.status === 200 && served === 0;
  return { head: withHeaders(head, { [REPLAY_AS_LIST_HEADER]: null }), body, listPage };
}

/**
 * The ETag is ours (next.config.js generateEtags: false: Next.js hashed every page it sent, flight
 * data and all, in JavaScript, 0.3–1.9 ms per article render): a hash of the bytes sent, for every
 * answer from the page cache (pages, their redirects, feeds) and list pages, so that their
 * compressed bytes are kept and readers can ask "has it changed?". Not for a HEAD (Next.js writes
 * no body to hash; a replayed HEAD has the GET's), a 5xx, or a swapped-in 404 page.
 */
export function ourEtag(request: RequestView, head: Head, body: Buffer, { swapped, listPage }: { swapped: boolean; listPage: boolean }) {
  const cachedOrList = head.headers[NEXT_CONTRACT.cacheStateHeader] !== undefined || listPage;
  if (!cachedOrList || head.status >= 500 || request.method !== 'GET' || swapped || head.headers.etag !== undefined) return { head, body };
  return { head: withHeaders(head, { etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"` }), body };
}

/** What a GET's bytes are kept under, per path and ETag (its policy and compressed forms); null when not kept. */
export function preparedKey(request: RequestView, head: Head): string | null {
  const etag = head.headers.etag;
  return typeof etag === 'string' && request.method === 'GET' ? `${request.path} ${etag}` : null;
}

/** The Content-Security-Policy of a page at this path allowing `sources` (a nonce, hashes). */
export function pagePolicy(request: RequestView, sources: string[], https: boolean): string {
  return contentSecurityPolicy(sources, { https, framed: !NOT_FRAMED.test(request.path) });
}

/** Adds `name` to a Vary header's names, unless it is there already. */
function withVary(current: OutgoingHttpHeader | undefined, name: string): OutgoingHttpHeader {
  const names = String(current ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return names.some((part) => part.toLowerCase() === name.toLowerCase()) ? current! : [...names, name].join(', ');
}

/**
 * HTML gets a Content-Security-Policy of this response's nonce and the page's `hashes`; a cached
 * page (below 400) a Cache-Control a CDN can honour without serving stale pages; everything a Vary
 * on Accept-Encoding.
 */
export function cachePolicy(request: RequestView, head: Head, body: Buffer, { hashes, https }: { hashes: string[] | null; https: boolean }) {
  const changes: Record<string, OutgoingHttpHeader> = {};
  if (isHtml(head)) changes['content-security-policy'] = pagePolicy(request, [nonceSource(request.nonce), ...(hashes ?? [])], https);
  if (head.headers[NEXT_CONTRACT.cacheStateHeader] !== undefined && head.status < 400) changes['cache-control'] = CACHED_PAGE_CONTROL;
  changes.vary = withVary(head.headers.vary, 'Accept-Encoding');
  return { head: withHeaders(head, changes), body };
}

/** The reader has these bytes already (what Next.js answered for its own ETags): 304, no body. */
export function notModified(request: RequestView, head: Head, body: Buffer) {
  const matches = head.status === 200 && preparedKey(request, head) !== null && matchesEtag(request.ifNoneMatch, String(head.headers.etag));
  return matches ? { head: { ...head, status: 304 }, body: Buffer.alloc(0), notModified: true } : { head, body, notModified: false };
}

/**
 * Whether this response goes out as Next.js writes it, rather than read whole first. Read whole:
 * every page readers share, because it is kept (its ETag, its compressed bytes, the replay cache)
 * and reader pages lose their scripts; a server action's answer (its status comes from its body);
 * anything but a 200 (a redirect, a 404 shell to swap, a 5xx that may become the 503 page). What
 * streams: the editor's pages and their navigations (flight data), which are never kept, so React
 * sends the page's frame and each Suspense boundary as it is ready.
 */
export function streams(request: RequestView, head: Head): boolean {
  return (
    request.method === 'GET' &&
    !request.isAction &&
    STREAMED.test(request.path) &&
    head.status === 200 &&
    (isHtml(head) || isFlight(head)) &&
    head.headers[NEXT_CONTRACT.cacheStateHeader] === undefined &&
    head.headers.etag === undefined
  );
}

/**
 * The head of a streamed response: a policy of this response's nonce alone (Next.js puts it on every
 * script of a page it renders now, and nothing streamed is served again, so no hashes are needed:
 * an inline script without the nonce is refused by the browser), Vary, and the encoding the
 * responder compresses the stream with.
 */
export function streamedHead(request: RequestView, head: Head, https: boolean): Head {
  const changes: Record<string, OutgoingHttpHeader | null> = { vary: withVary(head.headers.vary, 'Accept-Encoding'), 'content-length': null };
  if (isHtml(head)) changes['content-security-policy'] = pagePolicy(request, [nonceSource(request.nonce)], https);
  if (request.encoding) changes['content-encoding'] = request.encoding;
  return withHeaders(head, changes);
}
