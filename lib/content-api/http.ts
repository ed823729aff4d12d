import 'server-only';
import { createHash } from 'node:crypto';
import { unstable_cache } from 'next/cache';
import type { z } from 'zod';
import { env } from '@/lib/env';
import { checkContentApiKey, keyOfRequest } from './access';
import { parseQuery, QueryError } from './schemas';

/**
 * One Content API endpoint over HTTP, in this order on every request: CORS headers for an allowed
 * origin; the key and its rate limit (401, 429 + Retry-After); the query string (400); then the
 * answer, from the page cache when it has a fresh one; an ETag of its bytes, 304 on If-None-Match.
 *
 * The answer is cached as the feeds are: `unstable_cache` stores it through Next.js's incremental
 * cache, which is our page cache (lib/cache/handler.mjs). An entry of no single post is judged as
 * a list (PageCache.isFresh): any change readers can see, a scheduled post's due time, settings or
 * a reconnect makes it stale, so a publish changes the next answer. The key check runs before and
 * outside it, so a revoked key is refused even when its answer is cached. Without a page cache
 * (`next start`, development) every answer is read fresh.
 */

type Answer = { status: 200; body: unknown } | { status: 404; message: string };

export const ERROR_TYPES = { 400: 'BadRequestError', 401: 'UnauthorizedError', 404: 'NotFoundError', 429: 'TooManyRequestsError' } as const;

/** Allowed origins, from CONTENT_API_CORS_ORIGINS: the request's Origin echoed, or nothing. */
export function corsHeaders(origin: string | null, allowed: readonly string[] = env().CONTENT_API_CORS_ORIGINS): Record<string, string> {
  const headers: Record<string, string> = { Vary: 'Origin' };
  if (!origin) return headers;
  if (allowed.includes('*')) headers['Access-Control-Allow-Origin'] = '*';
  else if (allowed.includes(origin)) headers['Access-Control-Allow-Origin'] = origin;
  else return headers;
  headers['Access-Control-Expose-Headers'] = 'ETag, Retry-After, RateLimit-Limit';
  return headers;
}

function json(status: number, body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-cache', ...headers },
  });
}

export function errorResponse(status: keyof typeof ERROR_TYPES, message: string, headers: Record<string, string>, parameter?: string | null): Response {
  const error: Record<string, string> = { type: ERROR_TYPES[status], message };
  if (parameter) error.parameter = parameter;
  return json(status, { errors: [error] }, headers);
}

function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === etag);
}

/** A 200 with an ETag of its bytes, or a 304 when the client has those bytes already. */
export function withEtag(request: Request, body: unknown, headers: Record<string, string>): Response {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
  if (matchesEtag(request.headers.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': 'private, no-cache', ...headers } });
  }
  return new Response(text, {
    status: 200,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'private, no-cache', ETag: etag, ...headers },
  });
}

/** The preflight: any origin may ask; only an allowed one gets the headers that let it read. */
export function preflight(request: Request): Response {
  const headers = corsHeaders(request.headers.get('origin'));
  if (headers['Access-Control-Allow-Origin']) {
    headers['Access-Control-Allow-Methods'] = 'GET, HEAD, OPTIONS';
    headers['Access-Control-Allow-Headers'] = 'Authorization, If-None-Match';
    headers['Access-Control-Max-Age'] = '600';
  }
  return new Response(null, { status: 204, headers: { ...headers, Allow: 'GET, HEAD, OPTIONS' } });
}

type Params = Record<string, string>;

/**
 * An endpoint: `schema` parses the query string, `load` answers from the parsed query and the
 * route's params (plain JSON, so the cached copy is the same bytes). `name` keys the cache.
 */
export function contentApiEndpoint<S extends z.ZodType>(name: string, schema: S, load: (query: z.infer<S>, params: Params) => Promise<Answer>) {
  const cachedLoad = unstable_cache(load, ['content-api-v1', name], { revalidate: 3600 });
  async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
    const cors = corsHeaders(request.headers.get('origin'));
    const url = new URL(request.url);
    const access = await checkContentApiKey(keyOfRequest(url, request.headers.get('authorization')));
    if (!access.ok) {
      if (access.status === 429) {
        return errorResponse(429, `Too many requests for this key: ${access.limit} a minute. Try again in ${access.retryAfter} s.`, {
          ...cors,
          'Retry-After': String(access.retryAfter),
          'RateLimit-Limit': String(access.limit),
        });
      }
      return errorResponse(401, access.message, { ...cors, 'WWW-Authenticate': 'Bearer realm="content-api"' });
    }
    let query: z.infer<S>;
    try {
      query = parseQuery(schema, url.searchParams);
    } catch (error) {
      if (error instanceof QueryError) return errorResponse(400, error.message, cors, error.parameter);
      throw error;
    }
    // `key` is not part of what is read: every key shares one cached answer.
    const { key: _key, ...rest } = query as Record<string, unknown>;
    const answer = await cachedLoad(rest as z.infer<S>, await context.params);
    if (answer.status === 404) return errorResponse(404, answer.message, cors);
    return withEtag(request, answer.body, cors);
  }
  return { GET, OPTIONS: preflight };
}
