import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { cleanImage, type CleanImage } from '@/lib/media/images';
import { guardedLookup, literalHostRefusal, RefusedAddressError } from '@/lib/webhooks/guard';
import type { EmbedProvider } from './providers';

/**
 * Asking an oEmbed provider about a URL, and fetching the thumbnail it names, once, when a post is
 * saved. Every request: GET, public addresses only unless `allowPrivate` (EMBED_ALLOW_PRIVATE: the
 * webhooks' guard, checked on the address actually connected to), at most 3 redirects (each hop
 * checked again, http(s) only), one deadline for the whole exchange, and a byte cap after which
 * the answer is dropped. Nothing here touches the database.
 */
export class EmbedFetchError extends Error {
  override name = 'EmbedFetchError';
}

export type FetchLimits = { allowPrivate: boolean; timeoutMs: number; maxBytes: number };

/** One oEmbed answer: JSON, a few kilobytes. */
export const MAX_OEMBED_BYTES = 64 * 1024;
/** A thumbnail: providers' are 20–200 KB. */
export const MAX_THUMBNAIL_BYTES = 5 * 1024 * 1024;
/** The whole resolution of one embed (answer and thumbnail) must fit in this. */
export const EMBED_TIMEOUT_MS = 5_000;
const MAX_REDIRECTS = 3;

type Answer = { status: number; contentType: string; body: Buffer };

function getOnce(url: URL, limits: FetchLimits, deadline: number): Promise<Answer & { location?: string }> {
  const refused = literalHostRefusal(url, limits.allowPrivate);
  if (refused) return Promise.reject(refused);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null, answer?: Answer & { location?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (error) reject(error);
      else resolve(answer!);
    };
    const req = client.request(
      url,
      { method: 'GET', agent: false, lookup: guardedLookup(limits.allowPrivate), headers: { 'User-Agent': 'Broadsheet-Embeds', Accept: '*/*' } },
      (res) => {
        const status = res.statusCode ?? 0;
        const contentType = String(res.headers['content-type'] ?? '');
        if (status >= 300 && status < 400) return finish(null, { status, contentType, body: Buffer.alloc(0), location: res.headers.location });
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > limits.maxBytes) return finish(new EmbedFetchError(`the answer is larger than ${limits.maxBytes} bytes`));
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limits.maxBytes) return finish(new EmbedFetchError(`the answer is larger than ${limits.maxBytes} bytes`));
          chunks.push(chunk);
        });
        res.on('end', () => finish(null, { status, contentType, body: Buffer.concat(chunks) }));
        res.on('error', (error) => finish(error));
      },
    );
    const timer = setTimeout(() => finish(new EmbedFetchError('no answer in time')), Math.max(0, deadline - Date.now()));
    req.on('error', (error) => finish(error));
    req.end();
  });
}

/** GET with the guard, the redirect limit, the deadline and the byte cap; any status other than 200 is an error. */
export async function guardedGet(address: string, limits: FetchLimits, deadline = Date.now() + limits.timeoutMs): Promise<Answer> {
  let url = new URL(address);
  for (let hop = 0; ; hop += 1) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EmbedFetchError(`${url.protocol} addresses are not fetched`);
    if (url.username || url.password) throw new EmbedFetchError('addresses with credentials are not fetched');
    let answer: Answer & { location?: string };
    try {
      answer = await getOnce(url, limits, deadline);
    } catch (error) {
      if (error instanceof EmbedFetchError) throw error;
      if (error instanceof RefusedAddressError) throw new EmbedFetchError(`refused: ${error.message}`);
      throw new EmbedFetchError(`unreachable (${(error as Error).message})`);
    }
    if (answer.location === undefined && answer.status >= 300 && answer.status < 400) throw new EmbedFetchError(`HTTP ${answer.status} without a Location`);
    if (answer.location !== undefined) {
      if (hop >= MAX_REDIRECTS) throw new EmbedFetchError(`more than ${MAX_REDIRECTS} redirects`);
      try {
        url = new URL(answer.location, url);
      } catch {
        throw new EmbedFetchError('a redirect to a malformed address');
      }
      continue;
    }
    if (answer.status !== 200) throw new EmbedFetchError(`HTTP ${answer.status}`);
    return answer;
  }
}

/** What we use of an oEmbed answer (https://oembed.com/#section2.3): the title and the thumbnail. */
const oembedSchema = z.object({
  title: z
    .string()
    .optional()
    .transform((title) => (title ?? '').replace(/\s+/g, ' ').trim().slice(0, 300)),
  thumbnail_url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional()
    .catch(undefined),
});

export type OEmbed = { title: string; thumbnailUrl: string | null };

/** The provider's oEmbed endpoint for this URL, or `override` (OEMBED_ENDPOINT) when set. */
export function oembedRequestUrl(provider: EmbedProvider, url: string, override?: string): string {
  const endpoint = new URL(override ?? provider.endpoint);
  endpoint.searchParams.set('url', url);
  endpoint.searchParams.set('format', 'json');
  return endpoint.toString();
}

export async function fetchOEmbed(requestUrl: string, limits: Omit<FetchLimits, 'maxBytes'>, deadline?: number): Promise<OEmbed> {
  const answer = await guardedGet(requestUrl, { ...limits, maxBytes: MAX_OEMBED_BYTES }, deadline);
  let json: unknown;
  try {
    json = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw new EmbedFetchError('the provider did not answer with JSON');
  }
  const parsed = oembedSchema.safeParse(json);
  if (!parsed.success || typeof json !== 'object' || json === null || Array.isArray(json)) throw new EmbedFetchError('the provider’s answer is not oEmbed');
  return { title: parsed.data.title, thumbnailUrl: parsed.data.thumbnail_url ?? null };
}

/** The thumbnail, cleaned like an upload (recognised by its bytes, re-encoded without metadata). */
export async function fetchThumbnail(address: string, limits: Omit<FetchLimits, 'maxBytes'>, deadline?: number): Promise<CleanImage> {
  const answer = await guardedGet(address, { ...limits, maxBytes: MAX_THUMBNAIL_BYTES }, deadline);
  try {
    return await cleanImage(answer.body);
  } catch {
    throw new EmbedFetchError('the thumbnail is not an image');
  }
}
