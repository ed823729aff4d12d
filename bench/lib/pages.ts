/**
 * The pages a run measures, with real addresses from the corpus: a different published article per
 * request, the home page and a deep page of it (a real keyset cursor), the biggest tag, the most
 * prolific author, search with random words (and with queries never asked before), the feed, the
 * sitemap, and the editor's list; and the cached articles through their preview links, the same page
 * rendered on every request.
 */
import type pg from 'pg';
import { encodeCursor } from '@/lib/posts/cursor';
import type { PageTarget } from './load';
import type { Rng } from './prng';
import { SEARCH_WORDS } from './corpus/vocabulary';

const PUBLIC = `status in ('published', 'scheduled') and publish_at <= now()`;
/** How deep the "deep page" of the home list is, in pages. */
export const DEEP_PAGE = 50;

export type Corpus = {
  slugs: string[];
  tag: string;
  author: string;
  pageSize: number;
  deepPage: number;
  deepCursor: string | null;
};

export async function readCorpus(client: pg.ClientBase, sample = 5_000): Promise<Corpus> {
  // md5 order: a sample spread over the whole archive, the same one on every run.
  const slugs = (await client.query<{ slug: string }>(`select slug from posts where ${PUBLIC} order by md5(id::text) limit $1`, [sample])).rows.map((r) => r.slug);
  if (slugs.length === 0) throw new Error('the corpus has no public posts');
  const tag = (
    await client.query<{ slug: string }>(
      `select t.slug from tags t join post_tags pt on pt.tag_id = t.id join posts p on p.id = pt.post_id
        where ${PUBLIC.replace(/status|publish_at/g, (c) => `p.${c}`)} group by t.slug order by count(*) desc, t.slug limit 1`,
    )
  ).rows[0].slug;
  const author = (
    await client.query<{ slug: string }>(
      `select u.slug from users u join posts p on p.author_id = u.id where ${PUBLIC.replace(/status|publish_at/g, (c) => `p.${c}`)}
        group by u.slug order by count(*) desc, u.slug limit 1`,
    )
  ).rows[0].slug;
  const pageSize = (await client.query<{ n: number }>('select coalesce((select posts_per_page from site_settings where id = 1), 10) as n')).rows[0].n;
  const publicCount = Number((await client.query<{ n: string }>(`select count(*) as n from posts where ${PUBLIC}`)).rows[0].n);
  const deepPage = Math.max(1, Math.min(DEEP_PAGE, Math.ceil(publicCount / pageSize) - 1));
  return { slugs, tag, author, pageSize, deepPage, deepCursor: await cursorAfterPages(client, deepPage, pageSize) };
}

/**
 * Preview links for `slugs` (published posts of the bench's own corpus), set here: the preview route
 * renders the article on every request, with no page cache, replay or related posts, which is what
 * the first read of an article costs before its caching (issue 15, target 1, as proposed).
 */
export async function previewTokens(client: pg.ClientBase, slugs: string[]): Promise<string[]> {
  const { rows } = await client.query<{ token: string }>(
    `update posts set preview_token = translate(substr(encode(sha256(convert_to('bench-preview:' || id::text, 'UTF8')), 'base64'), 1, 43), '+/', '-_')
      where slug = any($1::text[]) returning preview_token as token`,
    [slugs],
  );
  return rows.map((row) => row.token);
}

/**
 * The cursor of the "Older" link at the bottom of page `pages`: the (publish_at, id) of its last
 * post, encoded as lib/posts/cursor.ts does, in the order lib/posts/queries.ts lists posts.
 */
export async function cursorAfterPages(client: pg.ClientBase, pages: number, pageSize: number): Promise<string | null> {
  const { rows } = await client.query<{ publish_at: Date; id: string }>(
    `select publish_at, id from posts where ${PUBLIC} order by publish_at desc nulls last, id desc nulls last offset $1 limit 1`,
    [pages * pageSize - 1],
  );
  return rows[0] ? encodeCursor({ at: rows[0].publish_at, id: rows[0].id }) : null;
}

/** The "Older" link of a list page as the server wrote it, to check our cursor against the real one. */
export async function olderLink(baseUrl: string, path: string): Promise<string | null> {
  const html = await (await fetch(`${baseUrl}${path}`)).text();
  for (const [tag] of html.matchAll(/<a\b[^>]*>/g)) {
    if (!/\brel="next"/.test(tag)) continue;
    const href = /\bhref="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, '&');
    if (href) return new URL(href, baseUrl).searchParams.get('after');
  }
  return null;
}

/**
 * The sampled articles split in two: `warm` ones are all requested once before measuring (the
 * cached article), `cold` ones are requested once each during their run, never before (an article
 * nobody has read yet: the render the cache saves, with its database query).
 */
export function splitArticles(corpus: Corpus): { warm: string[]; cold: string[] } {
  const half = Math.ceil(corpus.slugs.length / 2);
  return { warm: corpus.slugs.slice(0, half), cold: corpus.slugs.slice(half) };
}

export function pageTargets(corpus: Corpus, rng: Rng, editorCookie: string, previews: string[]): PageTarget[] {
  const { warm, cold } = splitArticles(corpus);
  const article = () => `/posts/${encodeURIComponent(rng.pick(warm))}`;
  let nextPreview = 0;
  const preview = () => `/preview/${previews[nextPreview++ % previews.length]}`;
  let nextCold = 0;
  // Once every cold article has been read they are cached; the table says how many there were.
  const coldArticle = () => `/posts/${encodeURIComponent(cold[nextCold++ % cold.length])}`;
  const search = () => `/search?q=${encodeURIComponent(rng.pick(SEARCH_WORDS))}`;
  // Result pages are replayed until a post changes (lib/server/respond.ts): "search" repeats words
  // from a vocabulary, as readers do; "search (cold)" never asks the same thing twice (every pair
  // of words in turn), so each request is a query and a render.
  let nextPair = 0;
  const coldSearch = () => {
    const n = SEARCH_WORDS.length;
    const i = nextPair++;
    return `/search?q=${encodeURIComponent(`${SEARCH_WORDS[i % n]} ${SEARCH_WORDS[Math.floor(i / n) % n]}`)}`;
  };
  const deep = corpus.deepCursor ? `/?after=${corpus.deepCursor}` : '/';
  return [
    // Not a reader page: what any uncached render costs on this machine (app/(bench)/bench/dynamic).
    { name: 'render floor', path: '/bench/dynamic', example: '/bench/dynamic (one query, no layout, rendered every time)' },
    { name: 'article', path: article, example: `/posts/<one of ${warm.length} published, all cached>` },
    { name: 'article (cold)', path: coldArticle, example: `/posts/<each of ${cold.length} published, first read>`, cold: true },
    { name: 'article (uncached)', path: preview, example: `/preview/<token of one of ${previews.length} cached articles> (rendered every time)` },
    { name: 'home', path: '/', example: '/' },
    { name: `home, page ${corpus.deepPage + 1}`, path: deep, example: `/?after=<cursor after page ${corpus.deepPage}>` },
    { name: 'tag', path: `/tags/${corpus.tag}`, example: `/tags/${corpus.tag}` },
    { name: 'author', path: `/authors/${corpus.author}`, example: `/authors/${corpus.author}` },
    { name: 'search', path: search, example: `/search?q=<one of ${SEARCH_WORDS.length} words>` },
    { name: 'search (cold)', path: coldSearch, example: '/search?q=<a pair of words never asked before>', cold: true },
    { name: 'feed.xml', path: '/feed.xml', example: '/feed.xml' },
    { name: 'sitemap.xml', path: '/sitemap.xml', example: '/sitemap.xml' },
    { name: 'editor (signed in)', path: '/editor', example: '/editor as admin', headers: { cookie: editorCookie } },
  ];
}

/** The fully static page the same server serves, as the ceiling; robots.txt until it exists. */
export async function ceilingTarget(baseUrl: string): Promise<PageTarget> {
  const response = await fetch(`${baseUrl}/bench/static`, { redirect: 'manual' });
  await response.arrayBuffer();
  const path = response.status === 200 ? '/bench/static' : '/robots.txt';
  return { name: `ceiling ${path}`, path, example: path };
}
