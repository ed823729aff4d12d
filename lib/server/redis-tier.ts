import { Redis } from 'ioredis';
import type { RemoteTier } from '@/lib/cache/page-cache';

/** A page in Redis outlives no change (freshness is judged by each instance), only memory pressure. */
const TTL_SECONDS = 24 * 60 * 60;
/** A Redis that answers slower than this is treated as absent for that request. */
const COMMAND_TIMEOUT_MS = 250;
const PREFIX = 'broadsheet:page:';

type Log = (message: string) => void;
export type RedisTier = RemoteTier & { readonly connected: boolean; close(): Promise<void> };

/**
 * The page cache's shared tier: every instance reads what any instance rendered. Redis is a
 * convenience, never a dependency: while it is away every command fails at once (no queue), the
 * instance renders and keeps pages in its own memory, and one warning is logged; when it returns,
 * the client reconnects by itself and sharing resumes.
 */
/** `namespace`: the build (scripts/serve.ts): instances of another build never read these pages. */
export function connectRedisTier(url: string, log: Log = console.warn, namespace = ''): RedisTier {
  const prefix = namespace ? `${PREFIX}${namespace}:` : PREFIX;
  let connected = false;
  let warned = false;
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    lazyConnect: false,
    // Keep trying, never faster than every 2 s.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on('ready', () => {
    connected = true;
    if (warned) log('[cache] Redis is back: sharing pages between instances again');
    warned = false;
  });
  redis.on('error', (error: Error) => {
    if (!warned) log(`[cache] Redis unavailable (${error.message}): pages are cached in this instance only until it returns`);
    warned = true;
  });
  redis.on('end', () => (connected = false));
  redis.on('close', () => (connected = false));

  return {
    get connected() {
      return connected;
    },
    async get(key) {
      if (!connected) return null;
      try {
        return await redis.getBuffer(prefix + key);
      } catch {
        return null;
      }
    },
    set(key, bytes) {
      if (!connected) return;
      redis.set(prefix + key, bytes, 'EX', TTL_SECONDS).catch(() => {});
    },
    async close() {
      redis.disconnect();
    },
  };
}
