import { createHash } from 'node:crypto';

/**
 * Content-Security-Policy for a page, from the page itself. Two ways an inline script may run:
 * - a nonce, fresh for every response (lib/server/respond.ts hands it to Next.js, which puts it on
 *   every script of a page it renders for that request: the editor, search, previews);
 * - its SHA-256 hash, for pages served from the cache, whose bytes (and old nonces) were written
 *   for an earlier request.
 *
 * A script is hashed only if it has one of the shapes the framework writes (pushing flight data,
 * React's streaming helpers). Markup that slipped past the sanitiser would not have that shape,
 * so it would not be hashed, and the browser would refuse to run it.
 */

/** Elements whose content is text, not markup: a `<script` inside them is not a script. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'plaintext']);
const TAG_NAME = /[a-zA-Z][^\s/>]*/y;

/**
 * The page's script elements as a browser would find them: a small linear scan that skips
 * comments, quoted attribute values and the content of raw-text elements, so that text such as
 * `alt="<script>"` in an article is never mistaken for a script (nor swallows the next real one).
 */
export function* scriptElements(html: string): Generator<{ attributes: string; body: string; start: number; end: number }> {
  let i = 0;
  while ((i = html.indexOf('<', i)) !== -1) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const start = i;
    TAG_NAME.lastIndex = i + 1;
    const name = TAG_NAME.exec(html)?.[0].toLowerCase();
    if (!name) {
      i += 1;
      continue;
    }
    let j = TAG_NAME.lastIndex;
    const attributesStart = j;
    while (j < html.length && html[j] !== '>') {
      if (html[j] === '"' || html[j] === "'") {
        const close = html.indexOf(html[j], j + 1);
        j = close === -1 ? html.length : close;
      }
      j += 1;
    }
    const attributes = html.slice(attributesStart, j);
    i = j + 1;
    if (!RAW_TEXT.has(name) || attributes.endsWith('/')) continue;
    const closing = new RegExp(`</${name}`, 'ig');
    closing.lastIndex = i;
    const end = closing.exec(html)?.index ?? html.length;
    if (name === 'script') {
      const close = html.indexOf('>', end);
      yield { attributes, body: html.slice(i, end), start, end: close === -1 ? html.length : close + 1 };
    }
    i = end;
  }
}
// Runs of plain characters are consumed whole (much faster than one alternation per character).
const JSON_STRING = String.raw`"(?:[^"\\\n\r\u2028\u2029]+|\\.)*"`;

const FLIGHT_BOOT = /^\(self\.__next_f\s*=\s*self\.__next_f\s*\|\|\s*\[\]\)\.push\(\[0\]\);?$/;
const FLIGHT_CHUNK = new RegExp(String.raw`^self\.__next_f\.push\(\[\d+(?:,${JSON_STRING})?\]\);?$`);
const TURBOPACK_BOOT = /^\(globalThis\["TURBOPACK"\] \|\| \(globalThis\["TURBOPACK"\] = \[\]\)\)\.push\((\{[^<]*\})\);?$/;

/** Turbopack's chunk list: a JSON object whose values are arrays of chunk paths and module ids. */
function isChunkList(body: string): boolean {
  const json = TURBOPACK_BOOT.exec(body)?.[1];
  if (!json) return false;
  try {
    const value = JSON.parse(json) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    return Object.values(value).every(
      (list) => Array.isArray(list) && list.every((item) => typeof item === 'number' || (typeof item === 'string' && /^[\w./-]+$/.test(item))),
    );
  } catch {
    return false;
  }
}

/** The inline scripts a page may carry (data handed to the framework, never code); everything else is refused. */
const ALLOWED: ((body: string) => boolean)[] = [
  // Flight data bootstrap and chunks: only string or number payloads.
  (body) => FLIGHT_BOOT.test(body),
  (body) => FLIGHT_CHUNK.test(body),
  isChunkList,
];

export type InlineScripts = { allowed: string[]; refused: string[] };

function isExecutable(attributes: string): boolean {
  if (/\bsrc\s*=/i.test(attributes)) return false;
  const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attributes)?.[1]?.toLowerCase();
  return !type || type === 'text/javascript' || type === 'module' || type === 'application/javascript';
}

/**
 * The page's inline scripts, split into the framework's data scripts (to hash: the same bytes may
 * be served again from the cache, under another nonce) and anything else (refused). React's own
 * runtime scripts in a page rendered for this response carry its `nonce` and are left to it.
 */
export function inlineScripts(html: string, nonce?: string, { hashNonced = true } = {}): InlineScripts {
  const allowed: string[] = [];
  const refused: string[] = [];
  for (const { attributes, body } of scriptElements(html)) {
    if (!isExecutable(attributes) || body.length === 0) continue;
    const nonced = nonce !== undefined && attributes.includes(` nonce="${nonce}"`);
    // A response that will never be served again needs no hash for what its nonce allows.
    if (nonced && !hashNonced) continue;
    if (ALLOWED.some((isAllowed) => isAllowed(body))) allowed.push(body);
    else if (!nonced) refused.push(body);
  }
  return { allowed, refused };
}

export function scriptHash(body: string): string {
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
}

export type PolicyOptions = { https: boolean; framed: boolean };

/**
 * The policy header: scripts from our origin plus the given sources (a nonce, hashes); no plugins,
 * no base tag tricks.
 */
export function contentSecurityPolicy(sources: Iterable<string>, { https, framed }: PolicyOptions): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${[...new Set(sources)].join(' ')}`.trimEnd(),
    // Inline styles only (CodeMirror and React's style props); they cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // Posts may show images from anywhere on https (the imported sample's hero is remote).
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' https:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${framed ? "'self'" : "'none'"}`,
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** The hashes one page's HTML needs, and the inline scripts of unknown shape without the nonce (to log). */
export function hashesForPage(html: string, nonce?: string, options: { hashNonced?: boolean } = {}): { hashes: string[]; refused: string[] } {
  const { allowed, refused } = inlineScripts(html, nonce, options);
  return { hashes: [...new Set(allowed.map(scriptHash))], refused };
}

export function nonceSource(nonce: string): string {
  return `'nonce-${nonce}'`;
}
