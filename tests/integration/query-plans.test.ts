/**
 * Every list query of the data layer uses an index on a large site. The site is filled with 50,000
 * posts (and their tags, revisions, redirects, 5,000 images); each data-layer function is called for
 * real while the driver is watched, and every statement it sent is run again under
 * EXPLAIN (ANALYZE, FORMAT JSON) with the same parameters. A test fails, naming the node and showing
 * the plan, when a plan has a Seq Scan on a relation of more than SMALL_TABLE rows, a Sort of more
 * than SORT_LIMIT rows, or a scan that looks at more than READ_LIMIT rows (an index walked from the
 * wrong end, or a keyset condition applied as a filter). The few queries that must read a whole
 * table say so below, with the plan they are expected to use instead.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeCursor } from '@/lib/posts/cursor';
import { listEditorPosts, listRevisions } from '@/lib/posts/editor-queries';
import {
  getPostByPreviewToken,
  getPublicPage,
  getPublicPost,
  getRedirectedSlug,
  listFeedPosts,
  listPublicPosts,
  listPublicPostsByAuthor,
  listFeaturedPosts,
  listPublicPostsByTag,
  listSitemapEntries,
} from '@/lib/posts/queries';
import { searchPublicPosts } from '@/lib/posts/search';
import { getPublicTag } from '@/lib/tags/queries';
import { listTagsWithCounts } from '@/lib/tags/admin';
import { getPublicAuthor } from '@/lib/users/queries';
import { getSeriesList, listRelatedPosts } from '@/lib/posts/reading';
import { pagesShowing } from '@/lib/posts/publication';
import type { Tx } from '@/lib/tags/mutations';
import { getDb } from '@/db/client';
import { listUsers } from '@/lib/users/admin-queries';
import { getMedia, listMedia } from '@/lib/media/queries';
import { previewExists } from '@/lib/site/exists';
import { signInAs } from '../support/actors';
import { resetDatabase } from '../support/db';
import {
  captureQueries,
  explain,
  nodeLabel,
  outline,
  planProblems,
  READ_LIMIT,
  reads,
  rowsRead,
  seedLargeSite,
  SIZE,
  walk,
  type PlanNode,
  type PlanRules,
  type SeedFacts,
} from '../support/query-plans';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

let client: pg.Client;
let facts: SeedFacts;
let sizes: Record<string, number>;
const summary: { name: string; statement: number; reads: string[]; outline: string }[] = [];

beforeAll(async () => {
  const started = Date.now();
  await resetDatabase();
  client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  facts = await seedLargeSite(client, encodeCursor);
  const result = await client.query<{ relname: string; n: number }>(
    `select relname, reltuples::bigint as n from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`,
  );
  sizes = Object.fromEntries(result.rows.map((row) => [row.relname, Number(row.n)]));
  if (process.env.QUERY_PLANS_REPORT) console.info(`[query-plans] seeded in ${Date.now() - started} ms`, facts.counts);
}, 120_000);

afterAll(async () => {
  if (process.env.QUERY_PLANS_REPORT) {
    for (const row of summary) {
      console.info(`[query-plans] ${row.name} #${row.statement}: ${row.reads.join('; ')}`);
      if (process.env.QUERY_PLANS_REPORT === 'full') console.info(row.outline);
    }
  }
  await client?.end();
  await resetDatabase();
});

type Signed = 'admin' | 'editor' | 'author' | null;

/**
 * Calls the function as `as`, checks what it returned looks like a real answer (so the plan is
 * of a query that found something), then explains every statement it sent and checks each plan.
 */
async function check(
  name: string,
  as: Signed,
  call: () => Promise<unknown>,
  answered: (result: never) => void,
  rules: Omit<PlanRules, 'sizes'> = {},
): Promise<PlanNode[]> {
  signInAs(as ? facts[as] : null);
  const { result, queries } = await captureQueries(call);
  answered(result as never);
  expect(queries.length, `${name} sent no SQL`).toBeGreaterThan(0);
  const plans: PlanNode[] = [];
  const failures: string[] = [];
  for (const [index, query] of queries.entries()) {
    const plan = await explain(client, query);
    plans.push(plan);
    summary.push({ name, statement: index + 1, reads: reads(plan), outline: outline(plan) });
    const problems = planProblems(plan, { ...rules, sizes });
    if (problems.length > 0) {
      failures.push(
        `${name}, statement ${index + 1} of ${queries.length}:\n  - ${problems.join('\n  - ')}\n` +
          `SQL: ${query.text.replace(/\s+/g, ' ').slice(0, 600)}\nparams: ${JSON.stringify(query.values).slice(0, 300)}\n` +
          `plan:\n${outline(plan)}`,
      );
    }
  }
  expect(failures, failures.join('\n\n')).toEqual([]);
  return plans;
}

const nodes = (plans: PlanNode[]) => {
  const all: PlanNode[] = [];
  for (const plan of plans) walk(plan, (node) => all.push(node));
  return all;
};
const usesIndex = (plans: PlanNode[], index: string) => nodes(plans).some((node) => node['Index Name'] === index);

type Page = { items: unknown[]; nextCursor: string | null };
const aFullPage = (page: Page) => {
  expect(page.items).toHaveLength(10);
  expect(page.nextCursor).not.toBeNull();
};
const aDeepPage = (page: Page) => expect(page.items.length).toBeGreaterThan(0);

describe('reader lists on a large site', () => {
  it('the home page, first page and 40,000 posts deep, walks the public feed index', async () => {
    const first = await check('listPublicPosts (first page)', null, () => listPublicPosts({ limit: 10 }), aFullPage);
    const deep = await check('listPublicPosts (40,000 deep)', null, () => listPublicPosts({ cursor: facts.deepCursor, limit: 10 }), aDeepPage);
    expect(usesIndex(first, 'posts_public_feed_idx') && usesIndex(deep, 'posts_public_feed_idx')).toBe(true);
  });

  it('a tag page, for a tag on thousands of posts, one on a few hundred and one on three, first page and deep', async () => {
    for (const tag of [facts.popularTag, facts.ordinaryTag]) {
      await check(`listPublicPostsByTag ${tag} (first page)`, null, () => listPublicPostsByTag(tag, { limit: 10 }), aFullPage);
    }
    await check(
      `listPublicPostsByTag ${facts.popularTag} (90% deep)`,
      null,
      () => listPublicPostsByTag(facts.popularTag, { cursor: facts.deepPopularTagCursor, limit: 10 }),
      aDeepPage,
    );
    // Three posts: a plan that walks the newest posts hoping to fill a page would read them all.
    await check(
      `listPublicPostsByTag ${facts.rareTag}`,
      null,
      () => listPublicPostsByTag(facts.rareTag, { limit: 10 }),
      (page: Page) => expect(page.items).toHaveLength(3),
    );
    await check(
      `listPublicPostsByTag ${facts.ordinaryTag} (90% deep)`,
      null,
      () => listPublicPostsByTag(facts.ordinaryTag, { cursor: facts.deepOrdinaryTagCursor, limit: 10 }),
      aDeepPage,
    );
  });

  it("an author's page, first page and deep, and a guest's, walks the per-author index", async () => {
    const first = await check('listPublicPostsByAuthor (first page)', null, () => listPublicPostsByAuthor(facts.author.slug, { limit: 10 }), aFullPage);
    const deep = await check(
      'listPublicPostsByAuthor (90% deep)',
      null,
      () => listPublicPostsByAuthor(facts.author.slug, { cursor: facts.deepAuthorCursor, limit: 10 }),
      aDeepPage,
    );
    // A guest with a handful of posts: walking the newest posts of everyone would read them all.
    const guest = await check(
      'listPublicPostsByAuthor (guest)',
      null,
      () => listPublicPostsByAuthor(facts.guest.slug, { limit: 10 }),
      (page: Page) => expect(page.items.length).toBeGreaterThan(0),
    );
    for (const plans of [first, deep, guest]) expect(usesIndex(plans, 'posts_public_author_idx')).toBe(true);
  });

  it('the feeds read the 20 newest posts from the public feed index', async () => {
    const plans = await check(
      'listFeedPosts',
      null,
      () => listFeedPosts(20),
      (posts: unknown[]) => expect(posts).toHaveLength(20),
    );
    expect(usesIndex(plans, 'posts_public_feed_idx')).toBe(true);
  });

  it('one article, an old slug, a preview link, the tag and author headers, and the proxy lookups are single indexed reads', async () => {
    await check(
      'getPublicPost',
      null,
      () => getPublicPost(facts.postSlug),
      (post: { slug: string } | null) => expect(post?.slug).toBe(facts.postSlug),
    );
    await check(
      'getRedirectedSlug',
      null,
      () => getRedirectedSlug(facts.oldSlug),
      (slug: string | null) => expect(slug).not.toBeNull(),
    );
    // A post's slug asked for as a page (/<slug>): the slug's unique index, then the kind says no.
    await check(
      'getPublicPage',
      null,
      () => getPublicPage(facts.postSlug),
      (page: unknown) => expect(page).toBeNull(),
    );
    await check(
      'getRedirectedSlug (page)',
      null,
      () => getRedirectedSlug(facts.oldSlug, 'page'),
      (slug: string | null) => expect(slug).toBeNull(),
    );
    await check(
      'getPostByPreviewToken',
      null,
      () => getPostByPreviewToken(facts.previewToken),
      (post: unknown) => expect(post).not.toBeNull(),
    );
    for (const tag of [facts.popularTag, facts.ordinaryTag, facts.rareTag]) {
      await check(
        `getPublicTag ${tag}`,
        null,
        () => getPublicTag(tag),
        (found: unknown) => expect(found).not.toBeNull(),
      );
    }
    for (const slug of [facts.author.slug, facts.guest.slug]) {
      await check(
        `getPublicAuthor ${slug}`,
        null,
        () => getPublicAuthor(slug),
        (found: unknown) => expect(found).not.toBeNull(),
      );
    }
    await check(
      'previewExists',
      null,
      () => previewExists(facts.previewToken),
      (found: boolean) => expect(found).toBe(true),
    );
  });

  it('search finds matches through an index (GIN, or newest first for a common word), and ranks only the newest', async () => {
    const hits = (result: { hits: unknown[] }) => expect(result.hits.length).toBeGreaterThan(0);
    for (const q of ['otter', 'harbour bridge', '"winter festival"', 'granite -river']) {
      const plans = await check(`searchPublicPosts "${q}"`, null, () => searchPublicPosts(q, 1), hits, { matchesOf: 'posts_search_idx' });
      // A common word is cheaper to find walking the newest public posts until enough match (the
      // row limits above still hold); anything else goes through the GIN index.
      expect(usesIndex(plans, 'posts_search_idx') || usesIndex(plans, 'posts_public_feed_idx'), `search for ${q} uses no index`).toBe(true);
    }
    const rare = await check(
      'searchPublicPosts "quince medlar"',
      null,
      () => searchPublicPosts('quince medlar', 1),
      () => {},
      { matchesOf: 'posts_search_idx' },
    );
    expect(usesIndex(rare, 'posts_search_idx'), 'a rare word is found through posts_search_idx').toBe(true);
    await check('searchPublicPosts "otter" page 5', null, () => searchPublicPosts('otter', 5), hits, { matchesOf: 'posts_search_idx' });
  });
});

describe("an article's surroundings and the home page's lead on a large site", () => {
  it('featured posts, a series list and related posts (one of whose tags is on thousands of posts) read a few rows each', async () => {
    // A post with the popular tag and a rare one, in a series of five; a few featured posts, as an editor would mark them.
    const { rows } = await client.query<{ id: string }>(
      `select p.id from posts p join post_tags pt on pt.post_id = p.id join tags t on t.id = pt.tag_id
        where t.slug = $1 and p.kind = 'post' and p.status = 'published' and p.publish_at <= now()
        order by p.publish_at desc limit 20`,
      [facts.popularTag],
    );
    const [post] = rows;
    const series = await client.query<{ id: string }>(`insert into series (name, slug) values ('Plan series', 'plan-series') returning id`);
    await client.query(`update posts set series_id = $1 where id = any($2::uuid[])`, [series.rows[0].id, rows.slice(0, 5).map((row) => row.id)]);
    await client.query(`update posts set featured = true where id = any($1::uuid[])`, [rows.slice(5, 10).map((row) => row.id)]);
    await client.query(`analyze posts`);
    try {
      await check(
        'listFeaturedPosts',
        null,
        () => listFeaturedPosts(),
        (featured: unknown[]) => expect(featured).toHaveLength(3),
      );
      await check(
        'getSeriesList',
        null,
        () => getSeriesList(post.id),
        (list: { items: unknown[] } | null) => expect(list?.items).toHaveLength(5),
      );
      await check(
        'listRelatedPosts',
        null,
        () => listRelatedPosts(post.id),
        (related: unknown[]) => expect(related).toHaveLength(3),
      );
      // Run in every publish's transaction: the articles whose series list or related posts show the post.
      await check(
        'pagesShowing',
        null,
        () => pagesShowing(getDb() as unknown as Tx, post.id),
        (slugs: string[]) => expect(slugs.length).toBeGreaterThan(4),
      );
    } finally {
      await client.query(`update posts set series_id = null, featured = false where id = any($1::uuid[])`, [rows.map((row) => row.id)]);
      await client.query(`delete from series`);
    }
  });
});

describe('the sitemap', () => {
  /**
   * A sitemap lists every public URL, so it reads every public post: that is its job, and for a
   * read of 85% of a table a sequential scan is the right plan (an index would add random reads).
   * What it must not do is read posts once per tag or per author: each branch of the union reads
   * posts (and post_tags) at most once, with no nested loop over them.
   */
  it('reads each table it needs once, not once per tag or author', async () => {
    const plans = await check(
      'listSitemapEntries',
      null,
      () => listSitemapEntries(),
      (entries: unknown[]) => expect(entries.length).toBeGreaterThan(40_000),
      // Bylines: every author, primary or co-author, with a public post (post_authors, read once like post_tags).
      { readsInFull: ['posts', 'post_tags', 'post_authors'], sortsEverything: true },
    );
    const repeated = nodes(plans).filter(
      (node) =>
        ['posts', 'post_tags'].includes(node['Relation Name'] ?? '') && !node['Parallel Aware'] && (node['Actual Loops'] ?? 1) > 1 && rowsRead(node) > READ_LIMIT,
    );
    expect(repeated.map(nodeLabel)).toEqual([]);
    // One read of posts per branch of the union (posts, tags, authors).
    const fullReads = nodes(plans).filter((node) => node['Relation Name'] === 'posts' && rowsRead(node) > READ_LIMIT);
    expect(fullReads.length, 'posts is read in full more than three times').toBeLessThanOrEqual(3);
  });
});

describe('editor lists on a large site', () => {
  const all = { status: 'all' as const, q: '', after: null };
  const listed = (list: { items: unknown[] }) => expect(list.items.length).toBeGreaterThan(0);

  it("an admin's list: every tab, first page and 40,000 deep, with a search", async () => {
    for (const status of ['all', 'draft', 'review', 'scheduled', 'published', 'trash'] as const) {
      // The tallies come from post_counts (kept by triggers), not from counting every post.
      const plans = await check(`listEditorPosts admin ${status}`, 'admin', () => listEditorPosts({ ...all, status }), listed);
      expectListAndTallies(plans);
    }
    await check('listEditorPosts admin all (40,000 deep)', 'admin', () => listEditorPosts({ ...all, after: facts.deepEditorCursor }), listed).then(
      expectListAndTallies,
    );
    await check('listEditorPosts admin search', 'admin', () => listEditorPosts({ ...all, q: 'otter' }), listed, {
      matchesOf: 'posts_search_idx',
    });
    await check('listEditorPosts admin published + search', 'admin', () => listEditorPosts({ ...all, status: 'published', q: 'harbour' }), listed, {
      matchesOf: 'posts_search_idx',
    });
    // Two rare words: walking every post by last change to find a page of them would read them all.
    await check('listEditorPosts admin rare search', 'admin', () => listEditorPosts({ ...all, q: 'quince medlar' }), listed, {
      matchesOf: 'posts_search_idx',
    });
  });

  it("an author's list: own posts, every tab, deep, with a search", async () => {
    for (const status of ['all', 'draft', 'published', 'trash'] as const) {
      await check(`listEditorPosts author ${status}`, 'author', () => listEditorPosts({ ...all, status }), listed);
    }
    await check('listEditorPosts author (deep)', 'author', () => listEditorPosts({ ...all, after: facts.deepOwnEditorCursor }), listed);
    await check('listEditorPosts author search', 'author', () => listEditorPosts({ ...all, q: 'otter' }), listed, {
      matchesOf: 'posts_search_idx',
    });
  });

  it("a post's revisions, the tag admin, the people list", async () => {
    await check(
      'listRevisions',
      'admin',
      () => listRevisions(facts.postId),
      (revisions: unknown[]) => expect(revisions.length).toBeGreaterThan(0),
    );
    await check(
      'listUsers',
      'admin',
      () => listUsers(),
      (people: unknown[]) => expect(people.length).toBeGreaterThan(0),
    );
    // Counting the posts of every tag reads every post_tags row (an admin page, not a reader's): one
    // pass over the table or its (tag_id, post_id) index is the intended plan, never a pass per tag.
    const plans = await check(
      'listTagsWithCounts',
      'admin',
      () => listTagsWithCounts(),
      (tags: unknown[]) => expect(tags).toHaveLength(SIZE.tags + 1),
      {
        readsInFull: ['post_tags'],
      },
    );
    const postTagReads = nodes(plans).filter((node) => node['Relation Name'] === 'post_tags');
    expect(postTagReads).toHaveLength(1);
    expect(['Seq Scan', 'Index Only Scan']).toContain(postTagReads[0]['Node Type']);
    expect(postTagReads[0]['Actual Loops'] ?? 1).toBe(1);
  });

  it('the media library: newest first, deep, searched, and one image', async () => {
    const page = (result: { items: unknown[] }) => expect(result.items.length).toBeGreaterThan(0);
    // Each page also asks which posts use its images: through posts_media_ids_idx, not every post's markdown.
    const plans = await check('listMedia (first page)', 'editor', () => listMedia({ q: '', after: null }), page);
    expect(usesIndex(plans, 'posts_media_ids_idx')).toBe(true);
    await check('listMedia (4,000 deep)', 'editor', () => listMedia({ q: '', after: facts.deepMediaCursor }), page);
    // A rare term through the trigram indexes; a common one walks media_created_idx and stops at a page.
    const searched = await check('listMedia search', 'editor', () => listMedia({ q: 'otter', after: null }), page);
    expect(usesIndex(searched, 'media_alt_search_idx')).toBe(true);
    await check('listMedia search, common term', 'editor', () => listMedia({ q: 'photo', after: null }), page);
    await check(
      'getMedia',
      'editor',
      () => getMedia(facts.mediaId),
      (item: unknown) => expect(item).not.toBeNull(),
    );
  });
});

/**
 * listEditorPosts sends the page, the tallies by stored status, and the count of due schedules.
 * The tallies of all posts may read every row, but from an index (index-only), never the table.
 */
function expectListAndTallies(plans: PlanNode[]) {
  const postReads = nodes(plans).filter((node) => node['Relation Name'] === 'posts');
  expect(postReads.filter((node) => node['Node Type'] === 'Seq Scan').map(nodeLabel)).toEqual([]);
  expect(postReads.filter((node) => rowsRead(node) > READ_LIMIT).map(nodeLabel)).toEqual([]);
  // The tallies: a handful of rows per author and status, whatever the number of posts.
  expect(nodes(plans).some((node) => node['Relation Name'] === 'post_counts')).toBe(true);
}
