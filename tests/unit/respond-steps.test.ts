import { createHash } from 'node:crypto';
import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  cachePolicy,
  classicRedirect,
  isNotFoundShell,
  listPageMarker,
  notModified,
  oneLocation,
  ourEtag,
  preparedKey,
  refusedAction,
  streamedHead,
  streams,
  stripReaderScripts,
  swapNotFoundShell,
  UNAVAILABLE_PAGE,
  unavailableWhenDown,
  withHeaders,
  type Head,
  type RequestView,
} from '@/lib/server/respond-steps';

/**
 * Each step of the responder on plain values: what it changes, and what it leaves alone. Heads are
 * frozen, so a step that changed its input instead of returning a new head would throw.
 */

const BOOT = '(self.__next_f=self.__next_f||[]).push([0])';
const SHELL = '<!DOCTYPE html><html id="__next_error__"><head></head><body></body></html>';
const MARKER = '<meta name="broadsheet-scripts" content="none"/>';
const LD = '<script type="application/ld+json">{"@type":"BlogPosting"}</script>';
const READER = `<!doctype html><html><head>${MARKER}</head><body><p>Ünïcödé</p>${LD}<script>${BOOT}</script></body></html>`;
const READER_PLAIN = `<!doctype html><html><head></head><body><p>Ünïcödé</p>${LD}</body></html>`;
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const FLIGHT = { 'content-type': 'text/x-component' };
const CACHED = { ...HTML, 'x-nextjs-cache': 'HIT' };
const REFUSED = Buffer.from('0:{"a":"$@1"}\n1:{"ok":false,"status":403,"error":"You are not allowed to do that."}\n');

function request(overrides: Partial<RequestView> = {}): RequestView {
  return {
    method: 'GET',
    path: '/posts/a',
    url: '/posts/a',
    ifNoneMatch: undefined,
    isAction: false,
    plainRead: true,
    encoding: null,
    nonce: 'n0nce',
    ...overrides,
  };
}

/** Any header may be a list at run time (Node's types say `location` and `vary` are one string). */
function head(status: number, headers: Record<string, OutgoingHttpHeader> = {}): Head {
  return Object.freeze({ status, headers: Object.freeze({ ...headers }) as OutgoingHttpHeaders });
}

const sha1Tag = (body: Buffer | string) => `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;

describe('withHeaders', () => {
  it('sets a header in its place, adds a new one last and removes one given null, as a response would', () => {
    const before = head(200, { a: '1', b: '2', c: '3' });
    const after = withHeaders(before, { b: 'two', d: '4', a: null });
    expect(Object.entries(after.headers)).toEqual([
      ['b', 'two'],
      ['c', '3'],
      ['d', '4'],
    ]);
    expect(after.status).toBe(200);
    expect(before.headers).toEqual({ a: '1', b: '2', c: '3' });
  });
});

describe('swapNotFoundShell', () => {
  const page = Buffer.from('<h1>Page not found</h1>');

  it("replaces Next.js's empty 404 shell with the page it is given, and drops its ETag", () => {
    const result = swapNotFoundShell(request(), head(404, { ...CACHED, etag: '"shell"' }), SHELL, page);
    expect(result.swapped).toBe(true);
    expect(result.body).toBe(page);
    expect(result.head).toEqual({ status: 404, headers: CACHED });
  });

  it('leaves everything else alone: no page, another status, another body, another type', () => {
    const shell = head(404, HTML);
    expect(swapNotFoundShell(request(), shell, SHELL, null)).toEqual({ head: shell, body: SHELL, swapped: false });
    for (const [given, body] of [
      [head(200, HTML), SHELL],
      [head(404, HTML), '<html><body>A 404 of our own</body></html>'],
      [head(404, { 'content-type': 'text/plain' }), SHELL],
    ] as const) {
      const result = swapNotFoundShell(request(), given, body, page);
      expect(result).toEqual({ head: given, body, swapped: false });
    }
  });

  it('recognises the shell in text and in bytes', () => {
    expect(isNotFoundShell(head(404, HTML), SHELL)).toBe(true);
    expect(isNotFoundShell(head(404, HTML), Buffer.from(SHELL))).toBe(true);
    expect(isNotFoundShell(head(500, HTML), SHELL)).toBe(false);
  });
});

describe('stripReaderScripts', () => {
  it('sends a marked reader page without its scripts but its JSON-LD, from text or bytes', () => {
    for (const body of [READER, Buffer.from(READER)]) {
      const result = stripReaderScripts(request(), head(200, CACHED), body);
      expect(result.readerPage).toBe(true);
      expect(result.body).toBe(READER_PLAIN);
      expect(result.head.headers).toEqual(CACHED);
    }
  });

  it('leaves a page without the marker, and a marker in something other than HTML, alone', () => {
    const page = `<!doctype html><html><body><script>${BOOT}</script></body></html>`;
    expect(stripReaderScripts(request(), head(200, HTML), page)).toEqual({ head: head(200, HTML), body: page, readerPage: false });
    const text = head(200, { 'content-type': 'text/plain' });
    expect(stripReaderScripts(request(), text, READER)).toEqual({ head: text, body: READER, readerPage: false });
  });
});

describe('classicRedirect', () => {
  const body = Buffer.from(SHELL);
  const headers = { ...HTML, location: '/posts/new' };

  it('answers 308 and 307 as 301 and 302 for a GET or HEAD, headers untouched', () => {
    expect(classicRedirect(request(), head(308, headers), body).head).toEqual({ status: 301, headers });
    expect(classicRedirect(request(), head(307, headers), body).head).toEqual({ status: 302, headers });
    expect(classicRedirect(request({ method: 'HEAD' }), head(308, headers), body).head.status).toBe(301);
    expect(classicRedirect(request({ method: 'HEAD' }), head(307, headers), body).head.status).toBe(302);
  });

  it('keeps 308 and 307 for any other method (a POST must be repeated as a POST), and other statuses', () => {
    expect(classicRedirect(request({ method: 'POST' }), head(308, headers), body).head.status).toBe(308);
    expect(classicRedirect(request({ method: 'POST' }), head(307, headers), body).head.status).toBe(307);
    for (const status of [200, 301, 302, 303, 404]) expect(classicRedirect(request(), head(status, headers), body).head.status).toBe(status);
  });
});

describe('oneLocation', () => {
  it('keeps the first of two Locations, in its place', () => {
    const result = oneLocation(request(), head(301, { ...HTML, location: ['/posts/new', '/posts/new'], 'x-nextjs-cache': 'HIT' }), Buffer.from(''));
    expect(Object.entries(result.head.headers)).toEqual([
      ['content-type', 'text/html; charset=utf-8'],
      ['location', '/posts/new'],
      ['x-nextjs-cache', 'HIT'],
    ]);
  });

  it('leaves one Location alone', () => {
    const given = head(301, { location: '/posts/new' });
    expect(oneLocation(request(), given, Buffer.from('')).head).toBe(given);
  });
});

describe('refusedAction', () => {
  it("gives a server action's flight answer the status of its refused result, body unchanged", () => {
    const result = refusedAction(request({ method: 'POST', isAction: true }), head(200, FLIGHT), REFUSED);
    expect(result.head).toEqual({ status: 403, headers: FLIGHT });
    expect(result.body).toBe(REFUSED);
  });

  it('leaves alone what is not a flight answer to an action, and an action that succeeded', () => {
    expect(refusedAction(request({ method: 'POST' }), head(200, FLIGHT), REFUSED).head.status).toBe(200);
    expect(refusedAction(request({ method: 'POST', isAction: true }), head(200, HTML), REFUSED).head.status).toBe(200);
    const done = Buffer.from('0:{"a":"$@1"}\n1:{"ok":true}\n');
    expect(refusedAction(request({ method: 'POST', isAction: true }), head(200, FLIGHT), done).head.status).toBe(200);
    // Text from users is JSON-escaped in the result, so it cannot pose as one.
    const escaped = Buffer.from('1:{"ok":true,"title":"\\"ok\\":false,\\"status\\":500}"}\n');
    expect(refusedAction(request({ method: 'POST', isAction: true }), head(200, FLIGHT), escaped).head.status).toBe(200);
  });
});

describe('unavailableWhenDown', () => {
  const failed = head(500, {
    'x-request-id': 'r1',
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    ...HTML,
    'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate',
    'set-cookie': 'session=abc',
    'x-nextjs-cache': 'MISS',
  });
  const error = Buffer.from('<html><body>Error: connect ECONNREFUSED 127.0.0.1:5432</body></html>');

  it('turns a 5xx into the plain 503 page while the database is down, keeping only HSTS and the request id', () => {
    for (const status of [500, 502]) {
      const result = unavailableWhenDown(request(), { ...failed, status }, error, true);
      expect(result.head).toEqual({
        status: 503,
        headers: {
          'x-request-id': 'r1',
          'strict-transport-security': 'max-age=63072000; includeSubDomains',
          'content-type': 'text/html; charset=utf-8',
          'retry-after': '30',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      });
      expect(Object.keys(result.head.headers).slice(0, 2)).toEqual(['x-request-id', 'strict-transport-security']);
      expect(result.body.toString()).toBe(UNAVAILABLE_PAGE);
    }
  });

  it("leaves the error while the database is up, a 4xx, and a server action's flight answer alone", () => {
    expect(unavailableWhenDown(request(), failed, error, false)).toEqual({ head: failed, body: error });
    const missing = head(404, HTML);
    expect(unavailableWhenDown(request(), missing, error, true)).toEqual({ head: missing, body: error });
    const action = head(500, { 'x-request-id': 'r1', ...FLIGHT });
    const answer = Buffer.from('0:{"ok":false,"error":"Your text is kept in this browser."}\n');
    expect(unavailableWhenDown(request({ method: 'POST', isAction: true }), action, answer, true)).toEqual({ head: action, body: answer });
  });
});

describe('listPageMarker', () => {
  const marked = { ...HTML, 'x-broadsheet-replay': 'lists', vary: 'rsc' };

  it('honours the marker on a 200 answered without the page cache, and never sends it', () => {
    const result = listPageMarker(request(), head(200, marked), Buffer.from(''), 0);
    expect(result.listPage).toBe(true);
    expect(result.head.headers).toEqual({ ...HTML, vary: 'rsc' });
  });

  it('is not a list page from a page-cache entry, with another status, or without the marker', () => {
    expect(listPageMarker(request(), head(200, marked), Buffer.from(''), 1)).toMatchObject({ listPage: false, head: { headers: { ...HTML, vary: 'rsc' } } });
    expect(listPageMarker(request(), head(404, marked), Buffer.from(''), 0).listPage).toBe(false);
    expect(listPageMarker(request(), head(200, { ...marked, 'x-broadsheet-replay': 'other' }), Buffer.from(''), 0).listPage).toBe(false);
    expect(listPageMarker(request(), head(200, HTML), Buffer.from(''), 0)).toMatchObject({ listPage: false, head: { headers: HTML } });
  });
});

describe('ourEtag', () => {
  const body = Buffer.from('<p>the bytes sent</p>');
  const plain = { swapped: false, listPage: false };

  it('gives a GET from the page cache, a cached redirect or 404 too, an ETag of the bytes sent', () => {
    for (const status of [200, 301, 404]) {
      const result = ourEtag(request(), head(status, CACHED), body, plain);
      expect(result.head.headers).toEqual({ ...CACHED, etag: sha1Tag(body) });
      expect(result.head.status).toBe(status);
    }
  });

  it('gives a list page one, though it is not from the page cache', () => {
    expect(ourEtag(request(), head(200, HTML), body, { swapped: false, listPage: true }).head.headers.etag).toBe(sha1Tag(body));
  });

  it('gives none to a HEAD, a POST, a 5xx, a swapped-in 404 page, or what is neither cached nor a list', () => {
    expect(ourEtag(request({ method: 'HEAD' }), head(200, CACHED), body, plain).head.headers.etag).toBeUndefined();
    expect(ourEtag(request({ method: 'POST' }), head(200, CACHED), body, plain).head.headers.etag).toBeUndefined();
    expect(ourEtag(request(), head(500, CACHED), body, plain).head.headers.etag).toBeUndefined();
    expect(ourEtag(request(), head(503, HTML), body, { swapped: false, listPage: true }).head.headers.etag).toBeUndefined();
    expect(ourEtag(request(), head(404, CACHED), body, { swapped: true, listPage: false }).head.headers.etag).toBeUndefined();
    expect(ourEtag(request(), head(200, HTML), body, plain).head.headers.etag).toBeUndefined();
  });

  it('keeps an ETag Next.js gave', () => {
    expect(ourEtag(request(), head(200, { ...CACHED, etag: '"abc"' }), body, plain).head.headers.etag).toBe('"abc"');
  });
});

describe('preparedKey', () => {
  it("keys a GET's bytes by path and ETag, and nothing else", () => {
    expect(preparedKey(request(), head(200, { etag: '"abc"' }))).toBe('/posts/a "abc"');
    expect(preparedKey(request({ method: 'HEAD' }), head(200, { etag: '"abc"' }))).toBeNull();
    expect(preparedKey(request(), head(200, HTML))).toBeNull();
  });
});

describe('cachePolicy', () => {
  const body = Buffer.from('<p>page</p>');
  const policyOf = (result: { head: Head }) => String(result.head.headers['content-security-policy']);

  it("gives HTML a policy of this response's nonce and the page's hashes", () => {
    const result = cachePolicy(request(), head(200, HTML), body, { hashes: ["'sha256-abc'"], https: true });
    expect(policyOf(result)).toContain("script-src 'self' 'nonce-n0nce' 'sha256-abc';");
    expect(policyOf(result)).toContain("frame-ancestors 'self'");
    expect(policyOf(result)).toContain('upgrade-insecure-requests');
    const editor = cachePolicy(request({ path: '/editor/posts' }), head(200, HTML), body, { hashes: null, https: false });
    expect(policyOf(editor)).toContain("script-src 'self' 'nonce-n0nce';");
    expect(policyOf(editor)).toContain("frame-ancestors 'none'");
    expect(policyOf(editor)).not.toContain('upgrade-insecure-requests');
  });

  it('gives a cached page below 400 the one-second Cache-Control, in place of the one Next.js gave', () => {
    const result = cachePolicy(request(), head(301, { 'cache-control': 's-maxage=31536000', ...CACHED }), body, { hashes: null, https: true });
    expect(Object.entries(result.head.headers)[0]).toEqual(['cache-control', 'public, max-age=0, s-maxage=1, must-revalidate']);
  });

  it('leaves Cache-Control alone on a cached 404 and on what was not cached', () => {
    expect(cachePolicy(request(), head(404, CACHED), body, { hashes: null, https: true }).head.headers['cache-control']).toBeUndefined();
    const editor = head(200, { ...HTML, 'cache-control': 'no-store' });
    expect(cachePolicy(request(), editor, body, { hashes: null, https: true }).head.headers['cache-control']).toBe('no-store');
  });

  it('adds Accept-Encoding to Vary once, and gives what is not HTML no policy', () => {
    const feed = head(200, { 'content-type': 'application/rss+xml', vary: 'rsc' });
    const result = cachePolicy(request(), feed, body, { hashes: null, https: true });
    expect(result.head.headers).toEqual({ 'content-type': 'application/rss+xml', vary: 'rsc, Accept-Encoding' });
    const already = head(200, { 'content-type': 'text/plain', vary: ['RSC', 'accept-encoding'] });
    expect(cachePolicy(request(), already, body, { hashes: null, https: true }).head.headers.vary).toEqual(['RSC', 'accept-encoding']);
    expect(cachePolicy(request(), head(200, {}), body, { hashes: null, https: true }).head.headers).toEqual({ vary: 'Accept-Encoding' });
  });
});

describe('notModified', () => {
  const body = Buffer.from('<p>page</p>');
  const tagged = { ...CACHED, etag: '"abc"' };

  it('answers 304 without a body when the reader has the bytes of our key', () => {
    for (const ifNoneMatch of ['"abc"', 'W/"abc"', '"old", "abc"', '*']) {
      const result = notModified(request({ ifNoneMatch }), head(200, tagged), body);
      expect(result.notModified).toBe(true);
      expect(result.head).toEqual({ status: 304, headers: tagged });
      expect(result.body.length).toBe(0);
    }
  });

  it('answers in full for another ETag, no If-None-Match, another status, a HEAD or no ETag', () => {
    const full = { head: head(200, tagged), body, notModified: false };
    expect(notModified(request({ ifNoneMatch: '"other"' }), head(200, tagged), body)).toEqual(full);
    expect(notModified(request(), head(200, tagged), body)).toEqual(full);
    expect(notModified(request({ ifNoneMatch: '"abc"' }), head(404, tagged), body).notModified).toBe(false);
    expect(notModified(request({ ifNoneMatch: '"abc"' }), head(301, tagged), body).notModified).toBe(false);
    expect(notModified(request({ ifNoneMatch: '"abc"', method: 'HEAD' }), head(200, tagged), body).notModified).toBe(false);
    expect(notModified(request({ ifNoneMatch: '*' }), head(200, CACHED), body).notModified).toBe(false);
  });
});

describe('streams', () => {
  const editor = (overrides: Partial<RequestView> = {}) => request({ path: '/editor/posts/1', url: '/editor/posts/1', plainRead: false, ...overrides });

  it("streams the editor's pages and their navigations, rendered now for one person", () => {
    expect(streams(editor(), head(200, HTML))).toBe(true);
    expect(streams(editor({ path: '/editor' }), head(200, HTML))).toBe(true);
    expect(streams(editor(), head(200, FLIGHT))).toBe(true);
  });

  it('collects what readers share, what is kept, what a later step changes, and actions', () => {
    expect(streams(request(), head(200, HTML))).toBe(false); // a reader page
    expect(streams(editor({ path: '/editorial' }), head(200, HTML))).toBe(false);
    expect(streams(editor(), head(200, CACHED))).toBe(false); // from the page cache: kept, with an ETag
    expect(streams(editor(), head(200, { ...HTML, etag: '"abc"' }))).toBe(false);
    expect(streams(editor({ isAction: true }), head(200, FLIGHT))).toBe(false); // its status comes from its body
    expect(streams(editor({ method: 'POST' }), head(200, HTML))).toBe(false);
    expect(streams(editor({ method: 'HEAD' }), head(200, HTML))).toBe(false);
    for (const status of [302, 307, 404, 500, 503]) expect(streams(editor(), head(status, HTML))).toBe(false);
    expect(streams(editor(), head(200, { 'content-type': 'application/json' }))).toBe(false);
  });
});

describe('streamedHead', () => {
  it("allows this response's nonce alone, names the encoding and drops any length", () => {
    const streamed = streamedHead(request({ path: '/editor', encoding: 'br' }), head(200, { ...HTML, 'content-length': '10', vary: 'rsc' }), true);
    const policy = String(streamed.headers['content-security-policy']);
    expect(policy).toContain("script-src 'self' 'nonce-n0nce'");
    expect(policy).not.toContain('sha256');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain('upgrade-insecure-requests');
    expect(streamed.headers['content-encoding']).toBe('br');
    expect(streamed.headers['content-length']).toBeUndefined();
    expect(streamed.headers.vary).toBe('rsc, Accept-Encoding');
    expect(streamed.status).toBe(200);
  });

  it('gives flight data no policy, and a reader who takes no encoding none', () => {
    const streamed = streamedHead(request({ path: '/editor' }), head(200, FLIGHT), false);
    expect(streamed.headers['content-security-policy']).toBeUndefined();
    expect(streamed.headers['content-encoding']).toBeUndefined();
    expect(streamed.headers.vary).toBe('Accept-Encoding');
  });
});
