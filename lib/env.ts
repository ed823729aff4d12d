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

/** What MEDIA_STORAGE=s3 cannot work without (S3_ENDPOINT and S3_FORCE_PATH_STYLE are optional). */
const S3_REQUIRED = ['S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /** Optional read replica: public pages read from it; writes and the editor use DATABASE_URL. */
    DATABASE_READ_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    /** Optional Redis, shared by every instance: the page cache's shared tier. */
    REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
    /** The page cache's bounds, per instance: memory and local disk, in megabytes. */
    PAGE_CACHE_MEMORY_MB: z.coerce.number().int().min(0).max(65536).default(8),
    PAGE_CACHE_DISK_MB: z.coerce.number().int().min(0).max(1048576).default(1024),
    /** Finished responses (compressed, with headers) kept to answer later readers without Next.js. */
    REPLAY_CACHE_MB: z.coerce.number().int().min(0).max(65536).default(24),
    /** The same responses kept on local disk too, past the memory budget and across restarts (0: memory only). */
    REPLAY_CACHE_DISK_MB: z.coerce.number().int().min(0).max(1048576).default(256),
    /** Reader requests in Next.js at once, per instance; the rest wait their turn (0: no limit). */
    RENDER_CONCURRENCY: z.coerce.number().int().min(0).max(1000).default(3),
    SITE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).transform((u) => u.replace(/\/+$/, '')),
    SITE_TITLE: z.string().min(1).max(120).default('Broadsheet'),
    SITE_DESCRIPTION: z.string().max(300).default('Stories, analysis and ideas.'),
    SITE_LOCALE: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must look like en or en-GB')
      .default('en'),
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
    MEDIA_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(200 * 1024 * 1024)
      .default(20 * 1024 * 1024),
    /** Where uploaded images live: `postgres` (table media_blobs, the default), `local` (files under MEDIA_DIR) or `s3` (a bucket). */
    MEDIA_STORAGE: z.enum(['postgres', 'local', 's3']).default('postgres'),
    MEDIA_DIR: z.string().min(1).default('.data/media'),
    /** MEDIA_STORAGE=s3: the bucket, its region (`auto` for R2) and credentials; S3_ENDPOINT for MinIO, R2 and other S3-compatible services. */
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name (3-63 lowercase letters, digits, dots, hyphens)')
      .optional(),
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    S3_REGION: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'must be a region name like us-east-1 or auto')
      .optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Address the bucket as ENDPOINT/BUCKET/key rather than BUCKET.ENDPOINT/key (MinIO and most self-hosted servers need this). */
    S3_FORCE_PATH_STYLE: bool,
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
    /** Let embeds' oEmbed requests and thumbnails reach private, loopback and link-local addresses (tests, a local provider). */
    EMBED_ALLOW_PRIVATE: bool,
    /** One oEmbed endpoint that answers for every provider in lib/embeds/providers.ts instead of theirs (tests, a proxy). */
    OEMBED_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    /** Origins (comma list, or `*`) whose browser scripts may read the Content API (/api/content/v1): CORS. */
    CONTENT_API_CORS_ORIGINS: z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim().replace(/\/+$/, ''))
          .filter(Boolean),
      )
      .pipe(z.array(z.union([z.literal('*'), z.url({ protocol: /^https?$/, error: 'must be a comma list of http(s) origins, or *' })]))),
    /** What the server logs (lib/observe/logger.ts): fatal, error, warn, info (default), debug, trace or silent. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Also append the server's log, as JSON lines, to this file. */
    LOG_FILE: z.string().min(1).optional(),
    /** Bearer token for `/metrics` (Prometheus); unset, there is no /metrics (404). */
    METRICS_TOKEN: z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, 'must be 16-256 printable characters without spaces')
      .optional(),
  })
  .superRefine((value, context) => {
    if (value.MEDIA_STORAGE !== 's3') return;
    const missing = S3_REQUIRED.filter((name) => !value[name]);
    if (missing.length) context.addIssue({ code: 'custom', path: ['MEDIA_STORAGE'], message: `is s3, which needs ${missing.join(', ')} (not set)` });
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
