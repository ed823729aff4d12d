import { test, expect, type Page } from '@playwright/test';
import { hidden, hiddenMarkers, publicTitles, sample } from './data';

/** Parses XML with the browser's own DOMParser: the same strictness a feed reader applies. */
async function parseXml(page: Page, xml: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const error = doc.getElementsByTagName('parsererror')[0];
    const root = doc.documentElement;
    return {
      error: error ? error.textContent : null,
      root: root.localName,
      namespace: root.namespaceURI,
      version: root.getAttribute('version'),
    };
  }, xml);
}

function expectNoHidden(text: string) {
  for (const marker of hiddenMarkers) expect(text, `"${marker}" must not be public`).not.toContain(marker);
  for (const post of hidden.posts) expect(text).not.toContain(post.slug);
}

test('RSS 2.0 at /feed.xml carries the full article', async ({ page, request, baseURL }) => {
  const response = await request.get('/feed.xml');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/rss\+xml\b/);
  const xml = await response.text();
  const parsed = await parseXml(page, xml);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('rss');
  expect(parsed.version).toBe('2.0');

  const items = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    return [...doc.querySelectorAll('channel > item')].map((item) => ({
      title: item.getElementsByTagName('title')[0]?.textContent ?? '',
      link: item.getElementsByTagName('link')[0]?.textContent ?? '',
      content:
        item.getElementsByTagNameNS('http://purl.org/rss/1.0/modules/content/', 'encoded')[0]?.textContent ??
        item.getElementsByTagName('description')[0]?.textContent ??
        '',
    }));
  }, xml);
  expect(items.map((i) => i.title)).toEqual(publicTitles);
  const item = items.find((i) => i.title === sample.title)!;
  expect(item.link).toBe(`${baseURL}${sample.path}`);
  expect(item.content).toContain(sample.bodySentence);
  expect(item.content).toMatch(/<p>/);
  expectNoHidden(xml);
});

test('Atom at /atom.xml parses and carries the article', async ({ page, request, baseURL }) => {
  const response = await request.get('/atom.xml');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/atom\+xml\b/);
  const xml = await response.text();
  const parsed = await parseXml(page, xml);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('feed');
  expect(parsed.namespace).toBe('http://www.w3.org/2005/Atom');

  const entries = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const ns = 'http://www.w3.org/2005/Atom';
    return [...doc.getElementsByTagNameNS(ns, 'entry')].map((entry) => ({
      title: entry.getElementsByTagNameNS(ns, 'title')[0]?.textContent ?? '',
      href: entry.getElementsByTagNameNS(ns, 'link')[0]?.getAttribute('href') ?? '',
      content: entry.getElementsByTagNameNS(ns, 'content')[0]?.textContent ?? '',
    }));
  }, xml);
  expect(entries.map((e) => e.title)).toEqual(publicTitles);
  const entry = entries.find((e) => e.title === sample.title)!;
  expect(entry.href).toBe(`${baseURL}${sample.path}`);
  expect(entry.content).toContain(sample.bodySentence);
  expectNoHidden(xml);
});

test('JSON Feed 1.1 at /feed.json has every post with its HTML', async ({ request, baseURL }) => {
  const response = await request.get('/feed.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^application\/feed\+json\b/);
  const text = await response.text();
  const feed = JSON.parse(text);
  expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
  expect(feed.feed_url).toBe(`${baseURL}/feed.json`);
  expect(feed.items.map((i: { title: string }) => i.title)).toEqual(publicTitles);
  for (const item of feed.items) expect(typeof item.content_html).toBe('string');
  const item = feed.items.find((i: { title: string }) => i.title === sample.title);
  expect(item.url).toBe(`${baseURL}${sample.path}`);
  expect(item.content_html).toContain(sample.bodySentence);
  expect(item.date_published).toBe(sample.isoDate);
  expect(item.authors).toEqual([{ name: sample.author, url: `${baseURL}${sample.authorPath}` }]);
  expect(item.tags).toEqual(sample.tags.map((t) => t.name));
  expect(item.image).toBe(sample.heroImage);
  expectNoHidden(text);
});

test('/sitemap.xml lists the public pages and only those', async ({ page, request, baseURL }) => {
  const response = await request.get('/sitemap.xml');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/xml/);
  const xml = await response.text();
  const parsed = await parseXml(page, xml);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('urlset');
  const locs = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    return [...doc.getElementsByTagName('loc')].map((l) => l.textContent ?? '');
  }, xml);
  expect(locs).toContain(`${baseURL}/`);
  expect(locs).toContain(`${baseURL}${sample.path}`);
  for (const tag of sample.tags) expect(locs).toContain(`${baseURL}${tag.path}`);
  expect(locs).toContain(`${baseURL}${sample.authorPath}`);
  expect(locs).toContain(`${baseURL}/tags/filler`);
  expect(locs.filter((l) => l.includes('/posts/'))).toHaveLength(publicTitles.length);
  expect(new Set(locs).size).toBe(locs.length);
  expectNoHidden(xml);
});

test('/robots.txt points crawlers at the sitemap', async ({ request, baseURL }) => {
  const response = await request.get('/robots.txt');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/^text\/plain/);
  const body = await response.text();
  expect(body).toMatch(/^User-agent: \*$/m);
  expect(body).toContain(`Sitemap: ${baseURL}/sitemap.xml`);
});

/** The feeds a page advertises in its <head>, as absolute paths by type. */
async function advertisedFeeds(page: Page, path: string) {
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  return page
    .locator('head link[rel="alternate"]')
    .evaluateAll((links) => links.map((l) => ({ type: l.getAttribute('type'), path: new URL(l.getAttribute('href')!, location.href).pathname })));
}

const expectedFeeds = [
  { type: 'application/rss+xml', path: '/feed.xml' },
  { type: 'application/atom+xml', path: '/atom.xml' },
  { type: 'application/feed+json', path: '/feed.json' },
];

test('the home page advertises its feeds for autodiscovery, and they answer', async ({ page, request }) => {
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  const rss = page.locator('head link[rel="alternate"][type="application/rss+xml"]');
  await expect(rss).toHaveCount(1);
  expect(new URL((await rss.getAttribute('href'))!, page.url()).pathname).toBe('/feed.xml');
  expect(await advertisedFeeds(page, '/')).toEqual(expectedFeeds);

  // Every advertised feed, and every link in the footer, is really there.
  const hrefs = [
    ...(await page.locator('head link[rel="alternate"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')!))),
    ...(await page
      .getByRole('contentinfo')
      .getByRole('link')
      .evaluateAll((links) => links.map((l) => l.getAttribute('href')!))),
  ];
  expect(hrefs.length).toBeGreaterThanOrEqual(7);
  for (const href of hrefs) {
    const response = await request.get(new URL(href, page.url()).toString());
    expect(response.status(), href).toBe(200);
  }
});

// A reader who pastes an article's URL into a feed reader should find the site's feed.
for (const path of [sample.path, '/tags/ai', sample.authorPath]) {
  test(`${path} advertises the feeds too`, async ({ page }) => {
    expect(await advertisedFeeds(page, path)).toEqual(expectedFeeds);
  });
}
