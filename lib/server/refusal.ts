import type { ServerResponse } from 'node:http';

/**
 * The marker a refused server action leaves on its response (lib/actions.ts): an expired cookie
 * whose value is the HTTP status the refusal deserves. Next.js gives actions no other way out.
 */
export const REFUSAL_COOKIE = 'broadsheet-refusal';

const MARKER = new RegExp(`^${REFUSAL_COOKIE}=(\\d{3});`);

/** Removes the marker from the response's cookies and returns its status, if there was one. */
export function takeRefusal(res: ServerResponse): number | null {
  const header = res.getHeader('set-cookie');
  const cookies = Array.isArray(header) ? header : typeof header === 'string' ? [header] : [];
  let status: number | null = null;
  const rest = cookies.filter((cookie) => {
    const match = MARKER.exec(cookie);
    if (match) status = Number(match[1]);
    return !match;
  });
  if (status === null) return null;
  if (rest.length > 0) res.setHeader('Set-Cookie', rest);
  else res.removeHeader('Set-Cookie');
  return status >= 400 && status < 600 ? status : null;
}
