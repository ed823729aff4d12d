import { scriptElements } from './csp';

/**
 * Reader pages without JavaScript. Every reader page is server components only (no client
 * component anywhere under app/(site)), so the framework's scripts on them do nothing a reader
 * sees: they hydrate markup that has no behaviour and carry the page a second time as flight data
 * for client-side navigation. The reader layout (app/(site)/layout.tsx) marks its pages with
 * READER_MARKER; the server (lib/server/respond.ts) then sends them as plain HTML and CSS: every
 * script element except JSON-LD, and the head's script preloads, removed, and the marker too.
 * Links are ordinary links (a cached page answers in about a millisecond); the search form is a
 * GET form. Flight requests (a client-side navigation from the editor) are untouched.
 */
export const READER_MARKER = '<meta name="broadsheet-scripts" content="none"/>';

const SCRIPT_PRELOAD = /<link\b[^>]*\brel="(?:preload|modulepreload)"[^>]*>/g;

function isData(attributes: string): boolean {
  return /\btype\s*=\s*["']?application\/ld\+json/i.test(attributes);
}

/** The page without its scripts, or null when the page is not marked as a reader page. */
export function withoutScripts(html: string): string | null {
  const marker = html.indexOf(READER_MARKER);
  if (marker === -1) return null;
  const parts: string[] = [];
  let from = 0;
  for (const { attributes, start, end } of scriptElements(html)) {
    if (isData(attributes)) continue;
    parts.push(html.slice(from, start));
    from = end;
  }
  parts.push(html.slice(from));
  let page = parts.join('');
  // Preloads of scripts sit in the head, before any of the page's own content.
  const headEnd = page.indexOf('</head>');
  if (headEnd !== -1) {
    const head = page
      .slice(0, headEnd)
      .replace(READER_MARKER, '')
      .replace(SCRIPT_PRELOAD, (link) => (/\bas="script"/.test(link) || /rel="modulepreload"/.test(link) ? '' : link));
    page = head + page.slice(headEnd);
  }
  return page.replace(READER_MARKER, '');
}
