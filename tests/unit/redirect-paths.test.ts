import { describe, expect, it } from 'vitest';
import { canEditNavigation } from '@/lib/navigation/policy';
import { isSiteAddress, normalizeRedirectPath, oldAddressOf, targetKey } from '@/lib/redirects/paths';
import { canManageRedirects } from '@/lib/redirects/policy';
import { normalizeRedirectTarget } from '@/lib/redirects/schemas';

describe('normalizeRedirectPath: one normal form of an old address', () => {
  it.each([
    ['/2024/01/25/slug', '/2024/01/25/slug'],
    ['/2024/01/25/slug/', '/2024/01/25/slug'],
    ['  /category/news//  ', '/category/news'],
    ['//category///news', '/category/news'],
    ['/', '/'],
    ['/feed/', '/feed'],
    ['/a/./b/../c', '/a/c'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/tag/apples?utm_source=x#top', '/tag/apples'],
    ['https://old.example/2020/05/hello/?x=1', '/2020/05/hello'],
    ['HTTP://old.example', '/'],
    // One spelling per address: decoded and re-encoded the same way.
    ['/café', '/caf%C3%A9'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/caf%C3%A9/', '/caf%C3%A9'],
    ['/a b', '/a%20b'],
    ['/a%2Fb', '/a%2Fb'],
    ['/price:$5,+tax@x;y=z', '/price:$5,+tax@x;y=z'],
    ['/Case/Kept', '/Case/Kept'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeRedirectPath(input)).toBe(expected);
  });

  it.each([
    ['/?p=123', '/?p=123'],
    ['/?page_id=7&preview=true', '/?page_id=7'],
    ['/?cat=3', '/?cat=3'],
    ['/?tag=x', '/?tag=x'],
    ['/?author=2', '/?author=2'],
    ['/?feed=rss2', '/?feed=rss2'],
    ['https://old.example/?p=123', '/?p=123'],
    ['/index/?p=1', '/index'],
    // The first key of WordPress's own order wins; values we cannot key are dropped.
    ['/?cat=3&p=9', '/?p=9'],
    ['/?p=1%20OR%201=1', '/'],
    ['/?utm=1', '/'],
  ])('keeps only WordPress query addresses on the root: %s → %s', (input, expected) => {
    expect(normalizeRedirectPath(input)).toBe(expected);
  });

  it.each(['', '   ', 'category/news', 'ftp://x/y', 'javascript:alert(1)', '/a\u0000b', '/a\nb', '/100%', `/${'a'.repeat(1000)}`])('refuses %j', (input) => {
    expect(normalizeRedirectPath(input)).toBeNull();
  });

  it('is idempotent', () => {
    for (const input of ['/café/x/', '/?p=1', '/a%2Fb', '/a b/c', '/2024/01/25/slug']) {
      const once = normalizeRedirectPath(input)!;
      expect(normalizeRedirectPath(once)).toBe(once);
    }
  });
});

describe('isSiteAddress: what a redirect could never take over', () => {
  it.each(['/', '/posts/x', '/tags/news', '/search', '/editor/redirects', '/feed.xml', '/_next/static/x', '/_broadsheet/not-found'])('%s is the site’s', (path) => {
    expect(isSiteAddress(path)).toBe(true);
  });
  it.each(['/post/x', '/tag/news', '/feed', '/?p=1', '/about', '/2024/01/25/slug'])('%s is not', (path) => {
    expect(isSiteAddress(path)).toBe(false);
  });
});

describe('oldAddressOf: what the old-address route was asked for', () => {
  it('reads a plain address, a trailing-slash one and a WordPress query one', () => {
    expect(oldAddressOf(['2024', '01', '25', 'slug'])).toEqual({ address: '/2024/01/25/slug', trailingSlash: false });
    expect(oldAddressOf(['_trailing-slash', 'category', 'news'])).toEqual({ address: '/category/news', trailingSlash: true });
    expect(oldAddressOf(['_wp-query', 'p', '123'])).toEqual({ address: '/?p=123', trailingSlash: false });
    expect(oldAddressOf(['_wp-query', 'evil', '1'])).toEqual({ address: '/_wp-query/evil/1', trailingSlash: false });
    // Asked directly, the segments arrive decoded; through a rewrite, as the request spelt them.
    const direct = (segments: string[]) => normalizeRedirectPath(oldAddressOf(segments).address);
    const rewritten = (segments: string[]) => normalizeRedirectPath(oldAddressOf(['_trailing-slash', ...segments]).address);
    for (const [decoded, spelt, normal] of [
      [['café', 'a/b'], ['caf%C3%A9', 'a%2Fb'], '/caf%C3%A9/a%2Fb'],
      [['csv,b'], ['csv%2Cb'], '/csv,b'],
      [['a%25b'], ['a%2525b'], '/a%2525b'],
      [['a b'], ['a%20b'], '/a%20b'],
    ] as const) {
      expect(direct([...decoded])).toBe(normal);
      expect(rewritten([...spelt])).toBe(normal);
      expect(normalizeRedirectPath(normal)).toBe(normal);
    }
  });

  it('never makes an address that leaves the site (the trailing-slash fallback redirects to its normal form)', () => {
    for (const segments of [
      ['_trailing-slash', '', 'evil.example'],
      ['_trailing-slash', '\\evil.example'],
      ['_trailing-slash', '%2F%2Fevil.example'],
      ['_trailing-slash', '..', '..', 'x'],
    ]) {
      const address = normalizeRedirectPath(oldAddressOf(segments).address)!;
      expect(address).toMatch(/^\/([^/\\]|$)/);
      expect(new URL(address, 'http://site.example').host).toBe('site.example');
    }
  });
});

describe('normalizeRedirectTarget: where a redirect or a menu link may go', () => {
  it.each([
    ['/posts/new', '/posts/new'],
    [' /posts/new?x=1#top ', '/posts/new?x=1#top'],
    ['/café', '/caf%C3%A9'],
    ['https://example.com/a b', 'https://example.com/a%20b'],
    ['HTTP://Example.com', 'http://example.com/'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeRedirectTarget(input)).toBe(expected);
  });
  it.each([
    '',
    'posts/new',
    '//evil.example/x',
    '/\\evil.example',
    'javascript:alert(1)',
    'data:text/html,x',
    'mailto:a@b',
    'https://',
    '/a\r\nSet-Cookie: x=1',
    `/${'a'.repeat(2000)}`,
  ])('refuses %j', (input) => {
    expect(normalizeRedirectTarget(input)).toBeNull();
  });
});

describe('targetKey: the address a target lands on here, for the loop check', () => {
  const site = 'https://news.example';
  it('is the normal form of a path or of a URL on this site, null elsewhere', () => {
    expect(targetKey('/b/', site)).toBe('/b');
    expect(targetKey('/b?x=1', site)).toBe('/b');
    expect(targetKey('/?p=1', site)).toBe('/?p=1');
    expect(targetKey('https://news.example/b/', site)).toBe('/b');
    expect(targetKey('https://other.example/b', site)).toBeNull();
  });
});

describe('who may change redirects and menus (pure policy)', () => {
  it('redirects: admins only; menus: editors and admins', () => {
    expect(['contributor', 'author', 'editor', 'admin'].filter((role) => canManageRedirects(role as never))).toEqual(['admin']);
    expect(['contributor', 'author', 'editor', 'admin'].filter((role) => canEditNavigation(role as never))).toEqual(['editor', 'admin']);
  });
});
