import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { hashKey, KEY_PATTERN } from './keys';

/**
 * The check every Content API request passes before any content is read (cached or not): a live
 * key, and that key's requests this minute within its limit. One statement on the primary: the
 * key by its hash, one more hit on its fixed one-minute window in `rate_limits`
 * (`content-api:<key id>`, shared by every instance, so N servers still allow the limit once),
 * and `last_used_at` moved when it is over a minute old (so a busy key writes it once a minute).
 */

export type KeyCheck = { ok: true; keyId: string } | { ok: false; status: 401; message: string } | { ok: false; status: 429; retryAfter: number; limit: number };

export const RATE_WINDOW_SECONDS = 60;

/** The key a request carries: `?key=` (as Ghost's Content API) or `Authorization: Bearer`. */
export function keyOfRequest(url: URL, authorization: string | null): string | null {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? url.searchParams.get('key');
}

export async function checkContentApiKey(token: string | null): Promise<KeyCheck> {
  if (!token) return { ok: false, status: 401, message: 'A Content API key is required: ?key=… or Authorization: Bearer ….' };
  if (!KEY_PATTERN.test(token)) return { ok: false, status: 401, message: 'Unknown or revoked Content API key.' };
  const window = sql.raw(`interval '${RATE_WINDOW_SECONDS} seconds'`);
  const result = await getDb().execute<{ id: string; rate_limit: number; hits: number; retry_after: string }>(sql`
    with k as (
      select id, rate_limit, last_used_at from content_api_keys where token_hash = ${hashKey(token)} and revoked_at is null
    ), touched as (
      update content_api_keys c set last_used_at = now() from k
       where c.id = k.id and (k.last_used_at is null or k.last_used_at < now() - interval '1 minute')
    ), hit as (
      insert into rate_limits as r (key, hits, window_started_at)
      select 'content-api:' || k.id, 1, now() from k
      on conflict (key) do update set
        hits = case when r.window_started_at > now() - ${window} then r.hits + 1 else 1 end,
        window_started_at = case when r.window_started_at > now() - ${window} then r.window_started_at else now() end
      returning hits, window_started_at
    )
    select k.id, k.rate_limit, hit.hits, extract(epoch from hit.window_started_at + ${window} - now()) as retry_after
      from k cross join hit`);
  const row = result.rows[0];
  if (!row) return { ok: false, status: 401, message: 'Unknown or revoked Content API key.' };
  if (Number(row.hits) > Number(row.rate_limit)) {
    return { ok: false, status: 429, limit: Number(row.rate_limit), retryAfter: Math.max(1, Math.ceil(Number(row.retry_after))) };
  }
  return { ok: true, keyId: row.id };
}
