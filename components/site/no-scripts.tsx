/**
 * Marks the page for the server to send without scripts (lib/server/scripts.ts, READER_MARKER).
 * Only for pages with no client component anywhere in them: the reader layout and the 404 page.
 */
export function NoScripts() {
  return <meta name="broadsheet-scripts" content="none" />;
}
