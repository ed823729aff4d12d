/** A feed-like response: correct type, and a one-second shared cache, so a CDN can help without serving stale posts. */
export function feedResponse(body: string, contentType: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': `${contentType}; charset=utf-8`,
      'Cache-Control': 'public, max-age=0, s-maxage=1, must-revalidate',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
