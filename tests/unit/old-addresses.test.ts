import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
// Next.js's own matcher for custom routes (as its router builds it): the rules below are checked the way they run.
import { getPathMatch } from 'next/dist/shared/lib/router/utils/path-match';
import { LEGACY_QUERY_KEYS, normalizeRedirectPath, oldAddressOf, QUERY_SEGMENT, SITE_SECTIONS, TRAILING_SLASH_SEGMENT } from '@/lib/redirects/paths';

type Rule = { source: string; destination: string; has?: { type: string; key: string; value?: string }[]; permanent?: boolean };

// next.config.js is plain JavaScript (no types): read as the framework reads it.
const configUrl = new URL('../../next.config.js', import.meta.url).href;
const config = (await import(/* @vite-ignore */ configUrl)).default as {
  skipTrailingSlashRedirect?: boolean;
  redirects(): Promise<Rule[]>;
  rewrites(): Promise<{ beforeFiles: Rule[] }>;
};
const redirects = await config.redirects();
const { beforeFiles } = await config.rewrites();
const match = (rule: Rule, path: string) => getPathMatch(rule.source, { strict: true, removeUnnamedParams: true })(path);

/** The first rule of `rules` whose source matches `path` and whose `has` conditions hold for `query`. */
function firstMatch(rules: Rule[], path: string, query: Record<string, string> = {}) {
  for (const rule of rules) {
    const params = match(rule, path);
    if (!params) continue;
    const has = rule.has ?? [];
    const groups: Record<string, string> = {};
    const holds = has.every((condition) => {
      const value = query[condition.key];
      if (value === undefined) return false;
      if (!condition.value) return true;
      const found = new RegExp(`^${condition.value}$`).exec(value);
      Object.assign(groups, found?.groups ?? {});
      return found !== null;
    });
    if (!holds) continue;
    const values: Record<string, unknown> = { ...params, ...groups };
    const destination = rule.destination.replace(/:(\w+)\+?/g, (_all, name: string) => {
      const value = values[name];
      return Array.isArray(value) ? value.join('/') : String(value);
    });
    return { rule, destination };
  }
  return null;
}

/** What the old-address route makes of a rewritten path. */
const lookupOf = (destination: string) => oldAddressOf(destination.split('/').filter(Boolean));

describe("old addresses with a trailing slash answer in one hop (next.config.js, instead of Next.js's own 308)", () => {
  it("turns Next.js's trailing-slash redirect off: our rules take its place", () => {
    expect(config.skipTrailingSlashRedirect).toBe(true);
  });

  it.each([
    ['/2024/01/25/slug/', '/2024/01/25/slug'],
    ['/category/news/', '/category/news'],
    ['/feed/', '/feed'],
    ['/slug/', '/slug'],
  ])('%s reaches the old-address route as the lookup of %s', (path, address) => {
    expect(firstMatch(redirects, path)).toBeNull();
    const rewrite = firstMatch(beforeFiles, path);
    expect(rewrite?.destination.startsWith(`/${TRAILING_SLASH_SEGMENT}/`)).toBe(true);
    expect(lookupOf(rewrite!.destination)).toEqual({ address, trailingSlash: true });
  });

  it.each([
    ['/posts/x/', '/posts/x'],
    ['/search/', '/search'],
    ['/tags/news/older/abc/', '/tags/news/older/abc'],
    ['/feed.xml/', '/feed.xml'],
    ['/editor/', '/editor'],
  ])('the site’s own %s redirects straight to %s (query kept by Next.js)', (path, destination) => {
    const redirect = firstMatch(redirects, path);
    expect(redirect?.destination).toBe(destination);
    expect(redirect?.rule.permanent).toBe(true);
  });

  it('leaves / and addresses without a trailing slash alone', () => {
    for (const path of ['/', '/posts/x', '/category/news', '/2024/01/25/slug']) {
      expect(firstMatch(redirects, path)).toBeNull();
      expect(firstMatch(beforeFiles, path)).toBeNull();
    }
  });

  it('lists the same sections as lib/redirects/paths.ts, and every top-level route of app/ is one', () => {
    const source = redirects[0].source;
    expect(source).toBe(`/:section(${SITE_SECTIONS.map((name) => name.replace(/\./g, '\\.')).join('|')})/`);
    const app = fileURLToPath(new URL('../../app/', import.meta.url));
    const entries = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (!entry.isDirectory()) return /^(favicon\.ico|icon\.svg)$/.test(entry.name) ? [entry.name] : [];
        if (/^\(.*\)$/.test(entry.name)) return entries(`${dir}${entry.name}/`);
        return entry.name.startsWith('[') ? [] : [entry.name.replace(/^%5F/, '_')];
      });
    expect(entries(app).length).toBeGreaterThan(15);
    const missing = entries(app).filter((name) => !SITE_SECTIONS.includes(name));
    expect(missing, 'add these to siteSections in lib/redirects/routes.json').toEqual([]);
  });
});

describe("WordPress's query addresses on the root reach the old-address route by path", () => {
  it.each(LEGACY_QUERY_KEYS.map((key) => [key]))('/?%s=… is looked up as its normal form', (key) => {
    const rewrite = firstMatch(beforeFiles, '/', { [key]: '123' });
    expect(rewrite?.destination).toBe(`/${QUERY_SEGMENT}/${key}/123`);
    const { address } = lookupOf(rewrite!.destination);
    expect(normalizeRedirectPath(address)).toBe(normalizeRedirectPath(`/?${key}=123`));
  });

  it('prefers the keys in the order the normal form does, and leaves values it cannot key to the home page', () => {
    expect(lookupOf(firstMatch(beforeFiles, '/', { cat: '3', p: '9' })!.destination).address).toBe(normalizeRedirectPath('/?cat=3&p=9'));
    expect(firstMatch(beforeFiles, '/', { p: '1 OR 1=1' })).toBeNull();
    expect(normalizeRedirectPath('/?p=1%20OR%201=1')).toBe('/');
    expect(firstMatch(beforeFiles, '/', { utm: 'x' })).toBeNull();
  });
});
