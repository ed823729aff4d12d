/**
 * Query-plan helpers: a large, realistic site filled with set-based SQL (seconds, not minutes), the
 * exact SQL a data-layer function sends (caught at the driver), and a walk over EXPLAIN's plan tree
 * that names what would make a list slow on a big site.
 */
import pg from 'pg';
import { vi } from 'vitest';

/** Sizes of the filled site. */
export const SIZE = { posts: 50_000, authors: 20, tags: 200, media: 5_000 } as const;

/**
 * Thresholds. A relation above SMALL_TABLE rows must never be read by a Seq Scan; a Sort may take at
 * most SORT_LIMIT rows (2% of the posts); a scan may look at most at READ_LIMIT rows (10% of them),
 * counting those it throws away, so an index walked from the wrong end is caught too.
 */
export const SMALL_TABLE = 500;
export const SORT_LIMIT = 1_000;
export const READ_LIMIT = 5_000;

/** Real words, most common first: bodies draw from them Zipf-like, so searches hit few or many posts. */
const WORDS = `
  city river school market council water train street garden music house night winter summer light
  storm harbour bridge village museum forest island mountain valley coast library festival theatre
  budget election housing transport energy climate weather football cricket tennis cycling running
  bakery coffee kitchen recipe bread cheese butter orchard apple pear plum cherry tomato potato onion
  garlic pepper salmon trout otter badger heron falcon swallow beetle spider meadow hedge moor marsh
  lake canal tunnel railway station airport ferry harbourmaster lighthouse castle cathedral chapel
  tower square park playground hospital clinic doctor nurse teacher student pupil parent child family
  neighbour stranger visitor tourist pilgrim farmer fisher miner weaver potter carpenter mason smith
  painter sculptor poet novelist journalist editor printer publisher reader writer critic historian
  archive letter diary notebook map atlas compass telescope microscope engine turbine battery circuit
  signal radio television camera photograph portrait landscape sunset sunrise morning evening autumn
  spring harvest planting drought flood frost snow rain wind thunder lightning rainbow cloud fog mist
  pebble boulder granite marble slate clay sand gravel copper iron silver gold tin lead zinc nickel
  violin cello piano organ trumpet clarinet drum choir orchestra opera ballet concert rehearsal
  exhibition gallery auction collector antique furniture carpet curtain lantern candle mirror window
  doorway staircase attic cellar chimney roof wall fence gate path lane avenue boulevard roundabout
  junction motorway bus tram bicycle scooter lorry tractor trailer caravan tent cabin cottage manor
  estate allotment greenhouse compost seedling orchid tulip daffodil bluebell primrose heather gorse
  bramble nettle thistle clover mushroom lichen moss fern willow birch oak ash beech elm hazel yew
  holly ivy mistletoe chestnut walnut almond saffron cinnamon nutmeg vanilla ginger mint basil thyme
  rosemary sage parsley fennel dill chives sorrel watercress rhubarb gooseberry quince medlar damson
`
  .trim()
  .split(/\s+/);

export type SeedFacts = {
  admin: { id: string };
  editor: { id: string };
  author: { id: string; slug: string };
  /** A tag on about 1 post in 6 (a "news"), and one on a few hundred. */
  popularTag: string;
  ordinaryTag: string;
  /** A tag on 3 posts and an author of 5: pages that can never be filled from the newest posts. */
  rareTag: string;
  guest: { slug: string };
  /** A public post, and an old slug that redirects to one. */
  postSlug: string;
  postId: string;
  oldSlug: string;
  previewToken: string;
  mediaId: string;
  /** Keyset cursors 80–90% of the way down each list (the editor's: 40,000 rows down). */
  deepCursor: string;
  deepPopularTagCursor: string;
  deepOrdinaryTagCursor: string;
  deepAuthorCursor: string;
  deepEditorCursor: string;
  deepOwnEditorCursor: string;
  deepMediaCursor: string;
  counts: Record<string, number>;
};

/** A stable id from a text: an md5 with the version and variant bits of a v4 uuid (the layer's zod checks want them). */
const uuidOf = (text: string) => `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

/** A word by Zipf-like rank: common ones often, each of the rare ones in about 1–2% of posts. */
const word = `w[1 + floor(n * power(random(), 3))::int]`;
/** A phrase of 3–7 such words (`0 * j` keeps the aggregate in its subquery: with only outer columns it would aggregate the outer query). */
const phrase = `(select string_agg(w[1 + floor(n * power(random(), 3))::int + 0 * j], ' ') from generate_series(1, 3 + k % 5) j)`;

/**
 * Fills an empty database with a site of SIZE: 20 people (an admin, an editor, a contributor and
 * authors, some far more prolific than others) and a guest with 5 posts; 200 tags (a few on
 * thousands of posts, most on a few hundred) and one on 3 posts; 5,000 images; 50,000 posts over
 * eight years (87% published, the rest drafts, in review, scheduled with a few already due, trashed)
 * with 2–4 tags each, a revision for 1 in 4, a redirect for 1 in 20 published posts, and texts of
 * real words, so the tsvector means something. Then VACUUM ANALYZE: statistics, and the visibility
 * map a live site's autovacuum keeps set (index-only scans depend on it).
 */
export async function seedLargeSite(client: pg.Client, encode: (c: { at: Date; id: string }) => string): Promise<SeedFacts> {
  const q = async (text: string, values: unknown[] = []) => {
    const started = Date.now();
    const result = await client.query(text, values);
    if (process.env.QUERY_PLANS_REPORT) console.info(`[query-plans] ${Date.now() - started} ms: ${text.trim().split('\n')[0].slice(0, 70)}`);
    return result;
  };
  await q(`select setseed(0.42)`);
  // Bulk load without foreign-key triggers (every row is consistent by construction): half the time.
  // Only a superuser may do this; anyone else just waits longer.
  await q(`set session_replication_role = replica`).catch(() => undefined);
  await q(
    `insert into users (id, email, name, slug, role, bio, created_at)
     select ${uuidOf("'plan-user-' || i")}, 'plan-author-' || i || '@example.test', 'Plan Author ' || i, 'plan-author-' || i,
            (case i when 1 then 'admin' when 2 then 'editor' when 3 then 'contributor' else 'author' end)::role,
            'Writes about the city.', now() - interval '9 years'
       from generate_series(1, $1::int) i
     union all
     select ${uuidOf("'plan-guest'")}, null, 'Guest Writer', 'plan-guest', 'author', 'Wrote a few pieces.', now() - interval '9 years'`,
    [SIZE.authors],
  );
  await q(
    `insert into tags (id, slug, name)
     select ${uuidOf("'plan-tag-' || k")}, 'plan-tag-' || k, initcap(w[1 + (k - 1) % n]) || ' ' || k
       from generate_series(1, $2::int) k, (select $1::text[] as w, cardinality($1::text[]) as n) v
     union all
     select ${uuidOf("'plan-tag-rare'")}, 'plan-tag-rare', 'Rare'`,
    [WORDS, SIZE.tags],
  );
  await q(
    `insert into media (id, storage_key, filename, content_type, bytes, width, height, alt, sha256, uploader_id, created_at)
     select ${uuidOf("'plan-media-' || i")}, 'plan-media-' || i, 'photo-' || i || '.jpg', 'image/jpeg', 100000 + i, 1600, 900,
            'A photo of ' || ${word} || ' by the ' || ${word}, md5('a' || i) || md5('b' || i),
            ${uuidOf("'plan-user-' || (1 + i % $3::int)")}, now() - random() * interval '8 years'
       from generate_series(1, $2::int) i, (select $1::text[] as w, cardinality($1::text[]) as n) v`,
    [WORDS, SIZE.media, SIZE.authors],
  );
  // Texts are drawn from a pool of 3,000 phrases (three times faster than drawing every word of
  // every post); the generated tsvector, which PostgreSQL computes per row, is most of what is left.
  await withoutIndexes(client, 'posts', () =>
    q(
      `with vocabulary as (select $1::text[] as w, cardinality($1::text[]) as n),
            pool as (select array_agg(${phrase}) as p from generate_series(1, 3000) k, vocabulary)
       insert into posts (slug, title, subtitle, description, author_id, status, publish_at, first_published_at,
                          created_at, updated_at, markdown, html, word_count, reading_minutes, hero_image, preview_token)
       select 'plan-post-' || i, title, '', description, author_id, status, publish_at,
              case when status = 'published' or (status = 'trash' and publish_at is not null) then publish_at end,
              created_at, created_at + random() * (now() - created_at),
              body || image, '<p>' || body || '</p>', 15, 1,
              case when i % 5 = 0 then '/media/' || ${uuidOf("'plan-media-' || (1 + i % $3::int)")} || '/1600x900/photo.jpg' end,
              case when status in ('draft', 'review') then left(md5('pt' || i) || md5('pu' || i), 43) end
         from (
           select i, status, publish_at, author_id,
                  least(coalesce(publish_at, now()), now()) - random() * interval '30 days' as created_at,
                  initcap(p[1 + floor(random() * 3000)::int]) as title,
                  p[1 + floor(random() * 3000)::int] as description,
                  p[1 + floor(random() * 3000)::int] || ' ' || p[1 + floor(random() * 3000)::int] as body,
                  case when i % 10 = 3 then E'\n\n![A photo](/media/' || ${uuidOf("'plan-media-' || (1 + i % $3::int)")} || '/1600x900/photo.jpg)'
                       else '' end as image
             from (
               select i, s,
                      case when i % 10000 = 17 then ${uuidOf("'plan-guest'")}
                           else ${uuidOf("'plan-user-' || (1 + floor($4::int * power(a, 1.5)))::int")} end as author_id,
                      (case when s < 0.05 then 'draft' when s < 0.07 then 'review' when s < 0.082 then 'scheduled'
                            when s < 0.13 then 'trash' else 'published' end)::post_status as status,
                      case when s < 0.07 then null
                           when s < 0.08 then now() + (1 + t * 60) * interval '1 day'
                           when s < 0.082 then now() - t * interval '2 days'
                           when s < 0.13 and t < 0.5 then null
                           else now() - t * interval '8 years' end as publish_at
                 from (select i, random() as s, random() as a, random() as t from generate_series(1, $2::int) i) r
             ) shaped, pool
         ) p`,
      [WORDS, SIZE.posts, SIZE.media, SIZE.authors],
    ),
  );
  // 2–4 tags a post, skewed: tag 1 is on about 1 post in 6, most tags on a few hundred. Distinct
  // and in key order rather than ON CONFLICT: twice as fast.
  await withoutIndexes(client, 'post_tags', () =>
    q(
      `insert into post_tags (post_id, tag_id, position)
       select distinct on (post_id, tag_id) post_id, tag_id, j
         from (select p.id as post_id, ${uuidOf("'plan-tag-' || (1 + floor($1::int * power(random(), 1.8)))::int")} as tag_id, j
                 from posts p, generate_series(0, 1 + abs(hashtext(p.slug)) % 3) j) candidates
        order by post_id, tag_id, j`,
      [SIZE.tags],
    ),
  );
  // The long tail: a tag on three old public posts (a page of it can never be filled from the newest posts).
  await q(
    `insert into post_tags (post_id, tag_id, position)
     select id, ${uuidOf("'plan-tag-rare'")}, 9 from posts
      where status = 'published' and publish_at < now() - interval '2 years' order by slug limit 3`,
  );
  await q(
    `insert into post_revisions (post_id, version, kind, actor_id, title, markdown, created_at)
     select id, 1, 'save', author_id, title, markdown, updated_at from posts where abs(hashtext(slug)) % 4 = 0`,
  );
  await q(
    `insert into slug_redirects (slug, post_id)
     select 'plan-old-' || slug, id from posts where first_published_at is not null and abs(hashtext(slug)) % 20 = 0`,
  );
  // The bylines the posts trigger writes (it does not fire as replica): each post's primary author.
  await q(`insert into post_authors (post_id, user_id, position) select id, author_id, 0 from posts on conflict do nothing`);
  await q(`reset session_replication_role`);
  await q(`vacuum (analyze) posts, post_tags, post_authors, media`);
  await q(`analyze users, tags, post_revisions, slug_redirects`);

  const one = async <T>(text: string, values: unknown[] = []): Promise<T> => (await q(text, values)).rows[0] as T;
  const cursorAt = async (where: string, order: string, values: unknown[], offset: number) => {
    const row = await one<{ at: Date; id: string }>(
      `select ${order.split(' ')[0]} as at, p.id from posts p where ${where} order by ${order} offset ${offset} limit 1`,
      values,
    );
    return encode(row);
  };
  const isPublic = `p.status in ('published', 'scheduled') and p.publish_at <= now()`;
  const publicCount = async (extra: string, values: unknown[]) =>
    Number((await one<{ n: string }>(`select count(*) as n from posts p where ${isPublic} ${extra}`, values)).n);
  const newest = 'p.publish_at desc, p.id desc';
  const lastChanged = 'p.updated_at desc, p.id desc';

  const popularTag = 'plan-tag-1';
  const ordinaryTag = 'plan-tag-120';
  const inTag = `and exists (select 1 from post_tags pt join tags t on t.id = pt.tag_id where pt.post_id = p.id and t.slug = $1)`;
  const author = { id: (await one<{ id: string }>(`select ${uuidOf("'plan-user-5'")} as id`)).id, slug: 'plan-author-5' };
  const all = await publicCount('', []);
  const popular = await publicCount(inTag, [popularTag]);
  const ordinary = await publicCount(inTag, [ordinaryTag]);
  const byAuthor = await publicCount('and p.author_id = $1', [author.id]);
  const post = await one<{ slug: string; id: string }>(`select slug, id from posts p where ${isPublic} order by p.slug limit 1`);
  const counts = Object.fromEntries(
    (
      await q(
        `select 'posts' as t, count(*) from posts union all select 'post_tags', count(*) from post_tags
         union all select 'post_revisions', count(*) from post_revisions union all select 'slug_redirects', count(*) from slug_redirects
         union all select 'media', count(*) from media union all select 'tags', count(*) from tags union all select 'users', count(*) from users
         union all select 'public posts', count(*) from posts p where ${isPublic}`,
      )
    ).rows.map((row: { t: string; count: string }) => [row.t, Number(row.count)]),
  );
  return {
    admin: { id: (await one<{ id: string }>(`select ${uuidOf("'plan-user-1'")} as id`)).id },
    editor: { id: (await one<{ id: string }>(`select ${uuidOf("'plan-user-2'")} as id`)).id },
    author,
    popularTag,
    ordinaryTag,
    rareTag: 'plan-tag-rare',
    guest: { slug: 'plan-guest' },
    postSlug: post.slug,
    postId: post.id,
    oldSlug: (await one<{ slug: string }>(`select slug from slug_redirects order by slug limit 1`)).slug,
    previewToken: (await one<{ t: string }>(`select preview_token as t from posts where preview_token is not null order by slug limit 1`)).t,
    mediaId: (await one<{ id: string }>(`select ${uuidOf("'plan-media-3'")} as id`)).id,
    deepCursor: await cursorAt(isPublic, newest, [], Math.min(40_000, all - 20)),
    deepPopularTagCursor: await cursorAt(`${isPublic} ${inTag}`, newest, [popularTag], Math.floor(popular * 0.9)),
    deepOrdinaryTagCursor: await cursorAt(`${isPublic} ${inTag}`, newest, [ordinaryTag], Math.floor(ordinary * 0.9)),
    deepAuthorCursor: await cursorAt(`${isPublic} and p.author_id = $1`, newest, [author.id], Math.floor(byAuthor * 0.9)),
    deepEditorCursor: await cursorAt(`p.status <> 'trash'`, lastChanged, [], 40_000),
    deepOwnEditorCursor: await cursorAt(`p.status <> 'trash' and p.author_id = $1`, lastChanged, [author.id], 1_500),
    deepMediaCursor: encode(await one<{ at: Date; id: string }>(`select created_at as at, id from media order by created_at desc, id desc offset 4000 limit 1`)),
    counts: { ...counts, 'posts tagged plan-tag-1 (public)': popular, 'posts tagged plan-tag-120 (public)': ordinary },
  };
}

/**
 * Runs `load` with the table's secondary indexes dropped, then builds them again, all in one
 * transaction: building an index once is about three times faster than updating it 50,000 times,
 * and if anything fails the transaction rolls back, so the schema is never seen without them.
 * Indexes that back a constraint (primary keys, those foreign keys point at) stay.
 */
async function withoutIndexes(client: pg.Client, table: string, load: () => Promise<unknown>): Promise<void> {
  await client.query('begin');
  try {
    const { rows } = await client.query<{ name: string; definition: string }>(
      `select indexname as name, indexdef as definition from pg_indexes i
        where schemaname = 'public' and tablename = $1
          and not exists (select 1 from pg_constraint c where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)`,
      [table],
    );
    for (const { name } of rows) await client.query(`drop index "${name}"`);
    await load();
    const started = Date.now();
    for (const { definition } of rows) await client.query(definition);
    if (process.env.QUERY_PLANS_REPORT) console.info(`[query-plans] ${Date.now() - started} ms: ${rows.length} indexes of ${table} built`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** One statement as the driver received it. */
export type CapturedQuery = { text: string; values: unknown[] };

/**
 * Runs `call` and returns every statement it sent, caught at pg.Client#query (drizzle's
 * node-postgres driver goes through it, directly or via pg.Pool#query, with {text, values} or
 * (text, values)). Nothing is copied by hand: the SQL checked is the SQL the code sends.
 */
export async function captureQueries<T>(call: () => Promise<T>): Promise<{ result: T; queries: CapturedQuery[] }> {
  const queries: CapturedQuery[] = [];
  const original = pg.Client.prototype.query;
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') queries.push({ text: first, values: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[] };
      queries.push({ text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) });
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original);
  try {
    const result = await call();
    return { result, queries };
  } finally {
    spy.mockRestore();
  }
}

/** A node of EXPLAIN (ANALYZE, FORMAT JSON), with the fields looked at here. */
export type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  /** Run by parallel workers: Actual Loops then counts workers, not re-scans. */
  'Parallel Aware'?: boolean;
  'Subplan Name'?: string;
  'Sort Method'?: string;
  Strategy?: string;
  'Plan Rows': number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  'Heap Fetches'?: number;
  Plans?: PlanNode[];
};

/**
 * The plan PostgreSQL chooses for the statement with the same parameters, run once (TIMING OFF) for
 * real row counts. ANALYZE executes the statement, so only reads are accepted.
 */
export async function explain(client: pg.Client, query: CapturedQuery): Promise<PlanNode> {
  if (!/^\s*(select|with)\b/i.test(query.text)) throw new Error(`not a read, will not EXPLAIN ANALYZE it: ${query.text.slice(0, 80)}`);
  const result = await client.query(`explain (analyze, timing off, format json) ${query.text}`, query.values);
  const [{ Plan }] = result.rows[0]['QUERY PLAN'] as [{ Plan: PlanNode }];
  return Plan;
}

export function walk(node: PlanNode, visit: (node: PlanNode, depth: number) => void, depth = 0): void {
  visit(node, depth);
  for (const child of node.Plans ?? []) walk(child, visit, depth + 1);
}

const loops = (node: PlanNode) => node['Actual Loops'] ?? 1;
/** Rows a scan looked at: kept plus thrown away, over all its loops. */
export const rowsRead = (node: PlanNode) =>
  ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * loops(node);
/**
 * Rows fed into a sort: what its input really produced (the sort's own count stops at a LIMIT), or
 * the estimate when the plan was not run. Not the estimate otherwise: a join PostgreSQL cannot
 * estimate (strpos, an OR) may be guessed at thousands of rows and sort a hundred.
 */
export const rowsSorted = (node: PlanNode) => {
  const input = node.Plans?.[0];
  return input?.['Actual Rows'] === undefined ? node['Plan Rows'] : input['Actual Rows'] * loops(input);
};

const SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

/** What reads a relation: "Index Scan on posts using posts_public_feed_idx". */
export function nodeLabel(node: PlanNode): string {
  let text = node['Node Type'];
  if (node['Strategy'] && node['Node Type'] === 'Aggregate') text = `${node['Strategy']} ${text}`;
  if (node['Relation Name']) text += ` on ${node['Relation Name']}`;
  if (node['Index Name']) text += ` using ${node['Index Name']}`;
  return text;
}

export type PlanRules = {
  /** Row counts of the relations (from pg_class after ANALYZE). */
  sizes: Record<string, number>;
  /**
   * Relations this query legitimately reads in full (the sitemap, the tallies), with why: for them
   * the rules on scans and reads do not apply; what must read them instead is asserted by the test.
   */
  readsInFull?: string[];
  /**
   * A search ranks or counts every match: a Sort or a read of posts may then exceed the limits, as
   * long as every row of posts it takes comes through this index (the GIN index, not the table).
   */
  matchesOf?: string;
  /** The sitemap sorts every public URL by path. */
  sortsEverything?: boolean;
};

/** Why this plan would be slow on a large site, as sentences; empty when it is fine. */
export function planProblems(plan: PlanNode, rules: PlanRules): string[] {
  const problems: string[] = [];
  const big = (relation?: string) => !!relation && (rules.sizes[relation] ?? 0) > SMALL_TABLE;
  const exempt = (relation?: string) => !!relation && (rules.readsInFull ?? []).includes(relation);
  walk(plan, (node) => {
    const relation = node['Relation Name'];
    if (node['Node Type'] === 'Seq Scan' && big(relation) && !exempt(relation)) {
      problems.push(`Seq Scan on ${relation} (${rules.sizes[relation!].toLocaleString('en')} rows)`);
    } else if (
      SCANS.has(node['Node Type']) &&
      big(relation) &&
      !exempt(relation) &&
      rowsRead(node) > READ_LIMIT &&
      !(rules.matchesOf && fedOnlyBy(node, rules.matchesOf))
    ) {
      problems.push(`${nodeLabel(node)} reads ${rowsRead(node).toLocaleString('en')} rows (limit ${READ_LIMIT.toLocaleString('en')})`);
    }
    if ((node['Node Type'] === 'Sort' || node['Node Type'] === 'Incremental Sort') && !rules.sortsEverything) {
      const sorted = rowsSorted(node);
      if (sorted > SORT_LIMIT && !(rules.matchesOf && fedOnlyBy(node, rules.matchesOf))) {
        problems.push(`${node['Node Type']} of ${sorted.toLocaleString('en')} rows (limit ${SORT_LIMIT.toLocaleString('en')})`);
      }
    }
  });
  return problems;
}

/** Every big read of posts at or under `node` comes through `index` (a bitmap scan of it). */
function fedOnlyBy(node: PlanNode, index: string): boolean {
  let ok = true;
  walk(node, (child) => {
    if (child['Relation Name'] !== 'posts') return;
    if (child['Node Type'] === 'Seq Scan') ok = false;
    else if (child['Node Type'] !== 'Bitmap Heap Scan' && rowsRead(child) > READ_LIMIT) ok = false;
    else if (child['Node Type'] === 'Bitmap Heap Scan') {
      const indexes: string[] = [];
      walk(child, (n) => n['Index Name'] && indexes.push(n['Index Name']));
      if (!indexes.includes(index)) ok = false;
    }
  });
  return ok;
}

/** The plan as an indented outline with row counts, for failure messages. */
export function outline(plan: PlanNode): string {
  const lines: string[] = [];
  walk(plan, (node, depth) => {
    const rows = node['Actual Rows'] === undefined ? '' : ` rows=${node['Actual Rows']}${loops(node) > 1 ? `×${loops(node)}` : ''}`;
    const removed = node['Rows Removed by Filter'] ? ` filtered=${node['Rows Removed by Filter']}` : '';
    lines.push(`${'  '.repeat(depth)}${nodeLabel(node)} (est ${node['Plan Rows']}${rows}${removed})`);
  });
  return lines.join('\n');
}

/** The distinct relation reads of a plan, for the summary ("Index Scan on posts using posts_public_feed_idx"). */
export function reads(plan: PlanNode): string[] {
  const found: string[] = [];
  walk(plan, (node) => {
    if (node['Relation Name'] || node['Node Type'] === 'Sort' || node['Node Type'] === 'Incremental Sort') found.push(nodeLabel(node));
  });
  return [...new Set(found)];
}
