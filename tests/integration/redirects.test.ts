import { asc } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { auditLog, redirects } from '@/db/schema';
import { AuthError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/auth/errors';
import { PageCache, type CacheValue } from '@/lib/cache/page-cache';
import { env } from '@/lib/env';
import { cacheChangeFor, deleteRedirect, importRedirectsCsv, saveRedirect } from '@/lib/redirects/mutations';
import { exportRedirectsCsv, findRedirect, listRedirects, REDIRECTS_PER_PAGE } from '@/lib/redirects/queries';
import { insertCast, refused, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

let cast: Cast;

async function stored() {
  return getDb()
    .select({ from: redirects.fromPath, to: redirects.toPath, status: redirects.statusCode, source: redirects.source })
    .from(redirects)
    .orderBy(asc(redirects.fromPath));
}
async function audits() {
  return (await getDb().select({ action: auditLog.action, targetId: auditLog.targetId }).from(auditLog).orderBy(asc(auditLog.id))).map((row) => row.action);
}

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.Z);
});

describe('who may change redirects', () => {
  it('admins only: everyone else is refused and nothing changes', async () => {
    await saveRedirect({ from: '/old', to: '/posts/new', status: 301 });
    const before = { rows: await stored(), audit: await audits() };
    for (const [who, Expected] of [
      [cast.E, ForbiddenError],
      [cast.A, ForbiddenError],
      [cast.C, ForbiddenError],
      [cast.D, AuthError],
      [null, AuthError],
    ] as const) {
      signInAs(who);
      expect(await refused(() => saveRedirect({ from: '/x', to: '/y', status: 301 }))).toBeInstanceOf(Expected);
      expect(await refused(() => deleteRedirect({ from: '/old' }))).toBeInstanceOf(Expected);
      expect(await refused(() => importRedirectsCsv({ csv: '/x,/y\n' }))).toBeInstanceOf(Expected);
      expect(await refused(() => listRedirects())).toBeInstanceOf(Expected);
      expect(await refused(() => exportRedirectsCsv())).toBeInstanceOf(Expected);
    }
    expect({ rows: await stored(), audit: await audits() }).toEqual(before);
  });
});

describe('adding and deleting by hand', () => {
  it('stores the normal form, looks it up from any spelling, and audits every change', async () => {
    expect(await saveRedirect({ from: ' /2024/01/25/Slug/ ', to: '/posts/slug', status: 301 })).toMatchObject({ from: '/2024/01/25/Slug', created: true });
    await saveRedirect({ from: 'https://old.example/?p=123&preview=1', to: 'https://elsewhere.example/x', status: '302' as unknown as 302 });
    await saveRedirect({ from: '/café', to: '/posts/cafe' });
    expect(await stored()).toEqual([
      { from: '/2024/01/25/Slug', to: '/posts/slug', status: 301, source: 'manual' },
      { from: '/?p=123', to: 'https://elsewhere.example/x', status: 302, source: 'manual' },
      { from: '/caf%C3%A9', to: '/posts/cafe', status: 301, source: 'manual' },
    ]);
    expect(await findRedirect('/2024/01/25/Slug/')).toEqual({ to: '/posts/slug', status: 301 });
    expect(await findRedirect('/2024//01/25/Slug')).toEqual({ to: '/posts/slug', status: 301 });
    expect(await findRedirect('/2024/01/25/slug')).toBeNull(); // paths keep their case
    expect(await findRedirect('/?p=123&utm_source=x')).toEqual({ to: 'https://elsewhere.example/x', status: 302 });
    expect(await findRedirect('/caf%c3%a9/')).toEqual({ to: '/posts/cafe', status: 301 });
    expect(await findRedirect('/?p=124')).toBeNull();
    expect(await findRedirect('not a path')).toBeNull();

    expect(await saveRedirect({ from: '/2024/01/25/Slug', to: '/posts/other', status: 302 })).toMatchObject({ created: false });
    expect(await findRedirect('/2024/01/25/Slug')).toEqual({ to: '/posts/other', status: 302 });
    await deleteRedirect({ from: '/2024/01/25/Slug' });
    expect(await findRedirect('/2024/01/25/Slug')).toBeNull();
    expect(await refused(() => deleteRedirect({ from: '/2024/01/25/Slug' }))).toBeInstanceOf(NotFoundError);
    expect(await audits()).toEqual(['redirect.create', 'redirect.create', 'redirect.create', 'redirect.update', 'redirect.delete']);
  });

  it('refuses a redirect to itself, a two-step loop, and addresses that cannot be one, with clear messages', async () => {
    await saveRedirect({ from: '/b', to: '/a', status: 301 });
    const message = async (input: Parameters<typeof saveRedirect>[0]) => {
      const error = await refused(() => saveRedirect(input));
      expect(error).toBeInstanceOf(ValidationError);
      return error!.message;
    };
    expect(await message({ from: '/a', to: '/a/' })).toBe('/a would redirect to itself.');
    expect(await message({ from: '/a', to: `${env().SITE_URL}/a?x=1` })).toBe('/a would redirect to itself.');
    expect(await message({ from: '/a', to: '/b' })).toBe('/b already redirects to /a: /a → /b would make a loop.');
    expect(await message({ from: '/a', to: '//evil.example' })).toMatch(/^Where it goes must be a path starting with \/ or an http/);
    expect(await message({ from: 'old', to: '/b' })).toMatch(/^The old address must be a path starting with \//);
    expect(await message({ from: '/posts/x', to: '/b' })).toBe('/posts/x is answered by the site itself: a redirect from it would never be followed.');
    expect(await message({ from: '/', to: '/b' })).toMatch(/answered by the site itself/);
    expect(await message({ from: '/a', to: '/b', status: 307 as never })).toBe('The status is 301 (permanent) or 302 (temporary).');
    expect(await stored()).toEqual([{ from: '/b', to: '/a', status: 301, source: 'manual' }]);
  });
});

describe('CSV import and export', () => {
  it('imports every line or none, naming the lines at fault', async () => {
    await saveRedirect({ from: '/kept', to: '/posts/kept', status: 301 });
    const before = { rows: await stored(), audit: await audits() };
    const csv = [
      'from,to,status',
      '/ok,/posts/ok,301',
      'nope,/posts/x,301',
      '/ok2,javascript:alert(1),',
      '/ok3,/posts/ok3,303',
      '"/a,b",/x,301,extra',
      '/ok,/posts/again',
    ].join('\r\n');
    const error = await refused(() => importRedirectsCsv({ csv }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.message).toMatch(/^Nothing was imported\. /);
    for (const fragment of [
      'Line 3: The old address must be',
      'Line 4: Where it goes must be',
      'Line 5: The status is 301',
      'Line 6: expected the columns from,to,status; found 4',
      'Line 7: /ok is already on line 2.',
    ]) {
      expect(error!.message).toContain(fragment);
    }
    expect(error!.message).not.toContain('Line 2:');
    // A syntax error names its line too.
    expect((await refused(() => importRedirectsCsv({ csv: '/a,/b\n/c,"/d\n' })))!.message).toBe(
      'Nothing was imported. Line 2: a quoted field is never closed (a " is missing).',
    );
    expect((await refused(() => importRedirectsCsv({ csv: 'from,to\n' })))!.message).toBe('Nothing was imported. The file has no redirects in it.');
    expect({ rows: await stored(), audit: await audits() }).toEqual(before);
  });

  it('refuses loops within the file and with the stored redirects, writing nothing', async () => {
    await saveRedirect({ from: '/stored', to: '/from-file', status: 301 });
    const before = await stored();
    const withinFile = await refused(() => importRedirectsCsv({ csv: '/x,/y\n/fine,/posts/f\n/y,/x/\n' }));
    expect(withinFile!.message).toContain('Line 1: /y already redirects to /x/: /x → /y would make a loop.');
    const withStored = await refused(() => importRedirectsCsv({ csv: '/from-file,/stored\n' }));
    expect(withStored!.message).toBe('Nothing was imported. Line 1: /stored already redirects to /from-file: /from-file → /stored would make a loop.');
    // A line that replaces the stored redirect is judged with the file's version.
    expect(await importRedirectsCsv({ csv: '/from-file,/stored\n/stored,/posts/elsewhere\n' })).toMatchObject({ lines: 2, created: 1, updated: 1 });
    expect(await stored()).not.toEqual(before);
  });

  it('upserts by address in one transaction, then exports what it reads back', async () => {
    await saveRedirect({ from: '/old', to: '/posts/was', status: 302 });
    const csv = '\uFEFFFrom,To,Status\r\n/old/,/posts/now,\r\n"/with,comma","/posts/q?a=1&b=""2""",302\r\n/?p=7,https://elsewhere.example/p,301\r\n';
    expect(await importRedirectsCsv({ csv })).toMatchObject({ lines: 3, created: 2, updated: 1 });
    expect(await findRedirect('/old')).toEqual({ to: '/posts/now', status: 301 });
    expect(await findRedirect('/with,comma/')).toEqual({ to: '/posts/q?a=1&b=%222%22', status: 302 });
    expect((await audits()).at(-1)).toBe('redirect.import');

    const exported = await exportRedirectsCsv();
    expect(exported.split('\r\n')[0]).toBe('from,to,status');
    const snapshot = await stored();
    await resetDatabase();
    cast = await insertCast();
    signInAs(cast.Z);
    expect(await importRedirectsCsv({ csv: exported })).toMatchObject({ lines: 3, created: 3 });
    expect(await stored()).toEqual(snapshot);
  });

  it('imports 10,000 lines at once', async () => {
    const csv = Array.from({ length: 10_000 }, (_, i) => `/archives/${i},/posts/p${i},301`).join('\n');
    expect(await importRedirectsCsv({ csv })).toMatchObject({ lines: 10_000, created: 10_000, updated: 0 });
    expect(await findRedirect('/archives/9999/')).toEqual({ to: '/posts/p9999', status: 301 });
    // Too many addresses for one notification: every cached answer is forgotten.
    expect(cacheChangeFor(Array.from({ length: 10_000 }, (_, i) => `/archives/${i}`))).toEqual({ all: true });
  });

  it('names the line of a field of 1 MB', async () => {
    const error = await refused(() => importRedirectsCsv({ csv: `/a,/b\n/c,/${'x'.repeat(900_000)}\n` }));
    expect(error!.message).toBe('Nothing was imported. Line 2: Where it goes is at most 2,000 characters.');
  });
});

describe('the list', () => {
  it('pages newest first by keyset, and searches from and to', async () => {
    const count = REDIRECTS_PER_PAGE + 5;
    // One transaction: every row has the same created_at, so the order falls to the address.
    await importRedirectsCsv({ csv: Array.from({ length: count }, (_, i) => `/bulk/${String(i).padStart(3, '0')},/posts/b${i}`).join('\n') });
    await saveRedirect({ from: '/newest', to: '/posts/needle', status: 301 });
    const first = await listRedirects();
    expect(first.items).toHaveLength(REDIRECTS_PER_PAGE);
    expect(first.items[0].from).toBe('/newest');
    expect(first.items[1].from).toBe(`/bulk/${String(count - 1).padStart(3, '0')}`);
    const second = await listRedirects({ after: first.nextAfter! });
    expect(second.nextAfter).toBeNull();
    const all = [...first.items, ...second.items].map((item) => item.from);
    expect(new Set(all).size).toBe(count + 1);
    expect((await listRedirects({ q: 'NEEDLE' })).items.map((item) => item.from)).toEqual(['/newest']);
    expect((await listRedirects({ q: '/bulk/05' })).items.map((item) => item.from)).toEqual(['/bulk/054', '/bulk/053', '/bulk/052', '/bulk/051', '/bulk/050']);
    expect((await listRedirects({ q: '%' })).items).toEqual([]);
    expect((await listRedirects({ after: 'garbage' })).items).toHaveLength(REDIRECTS_PER_PAGE);
  });
});

describe('cached answers for a changed address are forgotten', () => {
  const value = (tags: string): CacheValue => ({ kind: 'APP_PAGE', headers: { 'x-next-cache-tags': tags } });
  it('the old-address route’s answers (404 or redirect) and a page slug’s answer expire with the change', () => {
    const cache = new PageCache({ memoryBytes: 1e6, diskBytes: 0, diskDir: null }, 0);
    const entries = {
      oldAddress: cache.set(
        '/category/news',
        value('_N_T_/layout,_N_T_/(site)/layout,_N_T_/(site)/[...path]/layout,_N_T_/(site)/[...path]/page,_N_T_/category/news'),
        undefined,
        10,
      ),
      trailingSlash: cache.set('/_trailing-slash/about', value('_N_T_/layout,_N_T_/(site)/[...path]/page,_N_T_/_trailing-slash/about'), undefined, 10),
      page: cache.set('/about', value('_N_T_/layout,_N_T_/(site)/layout,_N_T_/(site)/[slug]/layout,_N_T_/(site)/[slug]/page,_N_T_/about'), undefined, 10),
      article: cache.set('/posts/x', value('_N_T_/layout,_N_T_/(site)/posts/[slug]/page,_N_T_/posts/x'), undefined, 10),
    };
    cache.expire(cacheChangeFor(['/category/news']), 20);
    expect(cache.isFresh(entries.oldAddress, 30)).toBe(false);
    expect(cache.isFresh(entries.article, 30)).toBe(true);
    cache.expire(cacheChangeFor(['/about']), 40);
    expect(cache.isFresh(entries.page, 50)).toBe(false);
    expect(cache.isFresh(entries.trailingSlash, 50)).toBe(false);
    expect(cache.isFresh(entries.article, 50)).toBe(true);
  });
});
