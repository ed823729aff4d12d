import { z } from 'zod';

/**
 * Every setting Broadsheet reads, parsed once. In production a missing or malformed
 * required value stops the process with one line naming it; in development and tests
 * the defaults let a fresh checkout run.
 */
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** Optional read replica: public pages read from it; writes and the editor use DATABASE_URL. */
  DATABASE_READ_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  /** Optional Redis, shared by every instance: the page cache's shared tier. */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  /** The page cache's bounds, per instance: memory and local disk, in megabytes. */
  PAGE_CACHE_MEMORY_MB: z.coerce.number().int().min(0).max(65536).default(24),
  PAGE_CACHE_DISK_MB: z.coerce.number().int().min(0).max(1048576).default(1024),
  /** Finished responses (compressed, with headers) kept to answer later readers without Next.js. */
  REPLAY_CACHE_MB: z.coerce.number().int().min(0).max(65536).default(24),
  SITE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).transform((u) => u.replace(/\/+$/, '')),
  SITE_TITLE: z.string().min(1).max(120).default('Broadsheet'),
  SITE_DESCRIPTION: z.string().max(300).default('Stories, analysis and ideas.'),
  SITE_LOCALE: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must look like en or en-GB').default('en'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters'),
  LOG_QUERIES: bool,
  /** How many proxies in front of Broadsheet append to X-Forwarded-For (0: none, the socket address is the client). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Optional sign-in providers: each switches on when all of its variables are set.
  GITHUB_ID: z.string().min(1).optional(),
  GITHUB_SECRET: z.string().min(1).optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(40).default('Single sign-on'),
  /** Largest image upload accepted, in bytes (default 20 MB). */
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Where uploaded images live: `postgres` (table media_blobs, the default) or `local` (files under MEDIA_DIR). */
  MEDIA_STORAGE: z.enum(['postgres', 'local']).default('postgres'),
  MEDIA_DIR: z.string().min(1).default('.data/media'),
  /** Outgoing mail (smtp:// or smtps://, credentials in the URL). Unset: every message is written to OUTBOX_DIR as an .eml file. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  OUTBOX_DIR: z.string().min(1).default('.data/outbox'),
  /** The From address of every mail: `Name <address>` or an address; default `SITE_TITLE <noreply@SITE_URL's host>`. */
  MAIL_FROM: z.string().min(3).max(300).optional(),
  /** Newsletter messages per second, across each worker (0: as fast as the SMTP server takes them). */
  MAIL_RATE: z.coerce.number().min(0).max(100_000).default(0),
  /** The job worker (newsletters, webhooks, scheduled sends) runs inside the server unless this is false (then run `npm run worker`). */
  RUN_WORKER: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Jobs one worker runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Let webhooks target private, loopback and link-local addresses (a local receiver, tests). */
  WEBHOOK_ALLOW_PRIVATE: bool,
});

export type Env = z.infer<typeof schema>;

const developmentDefaults: Record<string, string> = {
  SITE_URL: 'http://localhost:3000',
  AUTH_SECRET: 'development-secret-development-secret-0123',
};

export function parseEnv(source: Record<string, string | undefined>): Env {
  const production = source.NODE_ENV === 'production';
  const input: Record<string, string | undefined> = { ...source };
  if (!production) {
    for (const [key, value] of Object.entries(developmentDefaults)) input[key] ||= value;
  }
  // Empty strings count as missing, as they do in most .env files.
  for (const key of Object.keys(input)) if (input[key] === '') delete input[key];
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const problem = input[name] === undefined ? 'is not set' : issue.message;
    throw new EnvError(`Invalid environment: ${name} ${problem}`);
  }
  return result.data;
}

export class EnvError extends Error {
  override name = 'EnvError';
}

let cached: Env | undefined;

/** The parsed environment. Throws EnvError (a one-line message) on the first call if it is invalid. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
