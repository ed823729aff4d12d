/**
 * The HTTP side of an upload that does not belong in the route file: the same-origin check, a
 * request body read with a hard byte limit, and the markdown snippet the editor inserts.
 */

/** Room for the multipart boundaries, headers and the small text fields around the file. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

/** False when the request names an Origin (as browsers do on POST) other than the site's own. */
export function sameOrigin(request: Request, siteUrl: string): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  return origin === new URL(siteUrl).origin;
}

/**
 * The body, or 'too-large' as soon as it passes `maxFileBytes` + the form overhead: the declared
 * Content-Length is checked first, then the bytes are counted while reading (a client can lie).
 */
export async function readLimitedBody(request: Request, maxFileBytes: number): Promise<Uint8Array<ArrayBuffer> | 'too-large'> {
  const limit = maxFileBytes + FORM_OVERHEAD_BYTES;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** `![alt](url)`, with the alt text's brackets, backslashes and line breaks made safe for markdown. */
export function uploadMarkdown(media: { alt: string; url: string }): string {
  const alt = media.alt.replace(/\s+/g, ' ').replace(/[\\[\]]/g, (char) => `\\${char}`);
  return `![${alt}](${media.url})`;
}
