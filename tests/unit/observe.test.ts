import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serialize } from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { parseEnv } from '@/lib/env';
import { createLogger } from '@/lib/observe/logger';
import { requestIdFrom } from '@/lib/observe/request-id';
import { loggablePath, pathOf, routeKind } from '@/lib/observe/route-kind';

describe('route kinds', () => {
  it.each([
    ['/', 'list'],
    ['/older/abc', 'list'],
    ['/tags/news', 'list'],
    ['/tags/news/older/xyz', 'list'],
    ['/authors/ada', 'list'],
    ['/search', 'list'],
    ['/posts/hello-world', 'article'],
    ['/about', 'article'],
    ['/feed.xml', 'feed'],
    ['/atom.xml', 'feed'],
    ['/feed.json', 'feed'],
    ['/sitemap.xml', 'feed'],
    ['/sitemaps/posts-1.xml', 'feed'],
    ['/editor', 'editor'],
    ['/editor/posts/12', 'editor'],
    ['/login', 'editor'],
    ['/invite/abc', 'editor'],
    ['/reset-password/abc', 'editor'],
    ['/preview/abc', 'editor'],
    ['/api/auth/session', 'api'],
    ['/api/media', 'api'],
    ['/_next/static/chunks/app.js', 'asset'],
    ['/_next/image', 'asset'],
    ['/media/2024/photo.webp', 'asset'],
    ['/robots.txt', 'asset'],
    ['/favicon.ico', 'asset'],
    ['/subscribe', 'other'],
    ['/unsubscribe', 'other'],
    ['/_broadsheet/not-found', 'other'],
    ['/2019/05/old-address', 'other'],
    ['/posts/a/b', 'other'],
    ['/metrics', 'other'],
    ['/healthz', 'other'],
  ] as const)('%s is %s', (path, kind) => {
    expect(routeKind(path)).toBe(kind);
  });

  it('ignores the query string', () => {
    expect(routeKind('/posts/hello?utm_source=x')).toBe('article');
    expect(pathOf('/tags/news?after=abc#top')).toBe('/tags/news');
  });
});

describe('paths in logs', () => {
  it('drops the query string and the token of invitation, reset and preview addresses', () => {
    expect(loggablePath('/subscribe/confirm?token=s3cret')).toBe('/subscribe/confirm');
    expect(loggablePath('/invite/abcDEF123_-x')).toBe('/invite/:token');
    expect(loggablePath('/reset-password/abcDEF123?x=1')).toBe('/reset-password/:token');
    expect(loggablePath('/preview/0123456789abcdef')).toBe('/preview/:token');
    expect(loggablePath('/posts/invite')).toBe('/posts/invite');
    expect(loggablePath('/x'.repeat(1000)).length).toBeLessThanOrEqual(512);
  });
});

describe('request ids', () => {
  it('keeps a sane incoming X-Request-Id and replaces anything else', () => {
    expect(requestIdFrom('abc-123_DEF.9')).toBe('abc-123_DEF.9');
    expect(requestIdFrom(['first-id', 'second'])).toBe('first-id');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const bad of [undefined, '', 'x'.repeat(65), 'has space', 'new\nline', '{"json":1}', 'ünïcode']) expect(requestIdFrom(bad)).toMatch(uuid);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});

describe('log settings', () => {
  const base = { NODE_ENV: 'test', DATABASE_URL: 'postgres://localhost/x' };
  it('reads LOG_LEVEL (default info) and METRICS_TOKEN, refusing bad values with the name', () => {
    expect(parseEnv(base).LOG_LEVEL).toBe('info');
    expect(parseEnv({ ...base, LOG_LEVEL: 'debug' }).LOG_LEVEL).toBe('debug');
    expect(() => parseEnv({ ...base, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(parseEnv({ ...base, METRICS_TOKEN: 'a-long-enough-token' }).METRICS_TOKEN).toBe('a-long-enough-token');
    expect(() => parseEnv({ ...base, METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => parseEnv({ ...base, METRICS_TOKEN: 'has a space in the token' })).toThrow(/METRICS_TOKEN/);
  });
});

function memoryStream(): { stream: Writable; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

describe('the logger', () => {
  it('writes JSON lines at or above its level, errors with their stack, secrets censored', () => {
    const out = memoryStream();
    const logger = createLogger({ level: 'info', pretty: false, destination: out.stream });
    logger.debug('not shown');
    logger.info({ headers: { cookie: 'next-auth.session-token=abc', authorization: 'Bearer xyz', accept: 'text/html' } }, 'with headers');
    logger.info({ user: { password: 'hunter2 hunter2', token: 'tok-123' } }, 'with a body');
    logger.error({ err: new Error('kaboom') }, 'failed');
    logger.warn(
      { req: { headers: { cookie: 'sid=nested-cookie', authorization: 'Bearer nested-bearer' } }, user: { passwordHash: '$argon2id$v=19$hash' } },
      'nested',
    );
    const lines = out.lines();
    expect(lines.map((line) => line.msg)).toEqual(['with headers', 'with a body', 'failed', 'nested']);
    expect(lines[0].headers).toEqual({ cookie: '[redacted]', authorization: '[redacted]', accept: 'text/html' });
    expect(lines[2].err).toMatchObject({ message: 'kaboom', stack: expect.stringContaining('observe.test.ts') });
    expect(out.text()).not.toMatch(/abc|xyz|hunter2|tok-123|nested-cookie|nested-bearer|argon2/);
    expect(typeof lines[0].time).toBe('string');
  });

  it('writes nothing when silent', () => {
    const out = memoryStream();
    const logger = createLogger({ level: 'silent', pretty: false, destination: out.stream });
    logger.fatal('nothing');
    expect(out.text()).toBe('');
  });
});

describe('page-cache lookups by tier', () => {
  const value: CacheValue = { kind: 'APP_PAGE', html: `<p>${'x'.repeat(2000)}</p>` };
  it('tells which tier answered: memory, disk, the shared tier, or a miss', async () => {
    const T0 = Date.now() - 10_000;
    const tiers: string[] = [];
    const remote = new Map<string, Buffer>();
    const shared = { get: async (key: string) => remote.get(key) ?? null, set: (key: string, bytes: Buffer) => void remote.set(key, bytes) };
    // Memory too small for any entry: reads fall through to disk, then to the shared tier.
    const diskDir = mkdtempSync(join(tmpdir(), 'observe-'));
    const cache = new PageCache({ memoryBytes: 1, diskBytes: 1 << 20, diskDir }, T0);
    cache.setRemote(shared);
    cache.onLookup = (tier) => tiers.push(tier);
    expect(await cache.get('/a', T0 + 1)).toBeNull();
    const entry = cache.set('/a', value, { revalidate: false }, T0 + 2);
    // The disk write is not awaited: wait for the whole entry to be in its file.
    const file = join(diskDir, createHash('sha1').update('/a').digest('hex'));
    await vi.waitFor(() => expect(existsSync(file) && statSync(file).size).toBe(serialize(entry).length));
    expect(await cache.get('/a', T0 + 3)).not.toBeNull();
    const roomy = new PageCache({ memoryBytes: 1 << 20, diskBytes: 0, diskDir: null }, T0);
    roomy.setRemote(shared);
    roomy.onLookup = (tier) => tiers.push(tier);
    expect(await roomy.get('/a', T0 + 4)).not.toBeNull();
    expect(await roomy.get('/a', T0 + 5)).not.toBeNull();
    expect(tiers).toEqual(['miss', 'disk', 'redis', 'memory']);
  });
});

describe('log paths', () => {
  it.each([
    ['//invite//secret-token-1', '/invite/:token'],
    ['/Reset-Password/secret-token-2/', '/reset-password/:token/'],
    ['/preview/secret-token-3?x=1', '/preview/:token'],
  ])('%s is logged as %s', (url, logged) => {
    expect(loggablePath(url)).toBe(logged);
  });
});

describe('console output through the logger', () => {
  it('drops terminal colours and keeps an error’s stack', async () => {
    const { routeConsoleTo } = await import('@/lib/observe/logger');
    const out = memoryStream();
    const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info, debug: console.debug };
    try {
      routeConsoleTo(createLogger({ level: 'info', pretty: false, destination: out.stream }));
      console.log('\u001b[32m\u001b[1m✓\u001b[22m\u001b[39m Ready in %dms', 12);
      console.error('render failed:', new Error('broken'));
    } finally {
      Object.assign(console, saved);
    }
    const [ready, failed] = out.lines();
    expect(ready.msg).toBe('✓ Ready in 12ms');
    expect(failed).toMatchObject({ level: 50, msg: 'render failed:', err: { message: 'broken', stack: expect.stringContaining('Error: broken') } });
  });
});
