/**
 * The benchmark corpus: 20 authors, 200 tags, a few local images, and N posts with bodies of 800 to
 * 3,000 words, a spread of publish dates, drafts, reviews, trash and scheduled posts. Deterministic
 * for a seed. Fast: a pool of distinct bodies is rendered by the real pipeline (lib/markdown via
 * lib/posts/render) and reused, and posts go in as multi-row INSERTs, two batches at a time.
 */
import pg from 'pg';
import { renderedColumns } from '@/lib/posts/render';
import { createRng, type Rng } from '../prng';
import { generateBody } from './body';
import { insertImages } from './media';
import { insertAuthors, insertTags } from './people';
import { insertPostBatch, makePosts, type PostRecord } from './posts';

export type CorpusOptions = { posts: number; bodies: number; seed: number; authors?: number; tags?: number };

export type CorpusSummary = {
  posts: number;
  byStatus: Record<string, number>;
  publicPosts: number;
  authors: number;
  tags: number;
  images: number;
  bodies: number;
  averageWords: number;
  renderMs: number;
  insertMs: number;
  totalMs: number;
};

const BATCH = 500;
const PARALLEL_BATCHES = 2;

async function renderBodyPool(client: pg.ClientBase, markdowns: string[]): Promise<number> {
  await client.query(`create unlogged table bench_bodies (idx int primary key, markdown text not null, html text not null,
    toc jsonb not null, word_count int not null, reading_minutes int not null, renderer_version int not null)`);
  let words = 0;
  for (const [idx, markdown] of markdowns.entries()) {
    const rendered = await renderedColumns(markdown);
    words += rendered.wordCount;
    await client.query('insert into bench_bodies values ($1, $2, $3, $4, $5, $6, $7)', [
      idx,
      markdown,
      rendered.html,
      JSON.stringify(rendered.toc),
      rendered.wordCount,
      rendered.readingMinutes,
      rendered.rendererVersion,
    ]);
  }
  return Math.round(words / markdowns.length);
}

async function insertInBatches(pool: pg.Pool, records: PostRecord[], onProgress: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < records.length) {
      const batch = records.slice(next, next + BATCH);
      next += BATCH;
      const client = await pool.connect();
      try {
        await insertPostBatch(client, batch);
      } finally {
        client.release();
      }
      done += batch.length;
      onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
}

/** Authors, tags, images, site settings and the rendered body pool: everything posts refer to. */
async function insertBasics(client: pg.ClientBase, rng: Rng, options: CorpusOptions, log: (line: string) => void) {
  const authors = await insertAuthors(client, rng.fork('authors'), options.authors ?? 20);
  const tags = await insertTags(client, rng.fork('tags'), options.tags ?? 200);
  const images = await insertImages(client, rng.fork('images'));
  await client.query(`insert into site_settings (id, title, description, posts_per_page) values (1, 'The Bench Gazette', 'A generated corpus for benchmarks.', 10)`);
  const renderStart = performance.now();
  const bodyRng = rng.fork('bodies');
  const tagSlugs = tags.map((t) => t.slug);
  const markdowns = Array.from({ length: options.bodies }, () => generateBody(bodyRng, images, tagSlugs));
  const averageWords = await renderBodyPool(client, markdowns);
  const renderMs = performance.now() - renderStart;
  log(`[corpus] rendered ${options.bodies} distinct bodies (${averageWords} words on average) in ${(renderMs / 1000).toFixed(1)} s`);
  return { authors, tags, images, averageWords, renderMs };
}

/**
 * Secondary indexes of posts (not the primary key, not the unique ones that keep slugs and preview
 * tokens unique) are dropped during the load and rebuilt from their own definitions afterwards:
 * building a GIN index once is much cheaper than updating it row by row. Taking the definitions
 * from pg_indexes keeps this right whatever later migrations add.
 */
async function dropSecondaryIndexes(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i where i.indrelid = 'posts'::regclass and not i.indisprimary and not i.indisunique`,
  );
  for (const row of rows) await pool.query(`drop index ${row.name}`);
  return rows.map((row) => row.definition);
}

async function recreateIndexes(pool: pg.Pool, definitions: string[]): Promise<void> {
  await Promise.all(
    definitions.map(async (definition) => {
      const client = await pool.connect();
      try {
        await client.query(`set maintenance_work_mem = '256MB'`);
        await client.query(definition);
      } finally {
        client.release();
      }
    }),
  );
}

export async function generateCorpus(url: string, options: CorpusOptions, log: (line: string) => void = console.log): Promise<CorpusSummary> {
  const started = performance.now();
  const rng = createRng(options.seed);
  const pool = new pg.Pool({ connectionString: url, max: PARALLEL_BATCHES + 1 });
  try {
    const client = await pool.connect();
    let basics: Awaited<ReturnType<typeof insertBasics>>;
    try {
      basics = await insertBasics(client, rng, options, log);
    } finally {
      client.release();
    }
    const { authors, tags, images, averageWords, renderMs } = basics;

    const records = makePosts(rng.fork('posts'), options.posts, { authors, tags, images, bodies: options.bodies, now: Date.now() });
    const insertStart = performance.now();
    const deferred = await dropSecondaryIndexes(pool);
    let reported = 0;
    await insertInBatches(pool, records, (done) => {
      if (done - reported >= 10_000 || done === records.length) {
        reported = done;
        log(`[corpus] ${done.toLocaleString('en')} / ${records.length.toLocaleString('en')} posts`);
      }
    });
    await pool.query('drop table bench_bodies');
    const indexStart = performance.now();
    await recreateIndexes(pool, deferred);
    log(`[corpus] rebuilt ${deferred.length} secondary indexes of posts in ${((performance.now() - indexStart) / 1000).toFixed(1)} s`);
    // Fresh statistics and a visibility map, as on a database that has been running for a while.
    await pool.query('vacuum (analyze) posts, post_tags, tags, users');
    const insertMs = performance.now() - insertStart;

    const byStatus: Record<string, number> = {};
    for (const record of records) byStatus[record.status] = (byStatus[record.status] ?? 0) + 1;
    const now = Date.now();
    const publicPosts = records.filter((r) => (r.status === 'published' || r.status === 'scheduled') && r.publishAt && r.publishAt.getTime() <= now).length;
    return {
      posts: records.length,
      byStatus,
      publicPosts,
      authors: authors.length,
      tags: tags.length,
      images: images.length,
      bodies: options.bodies,
      averageWords,
      renderMs: Math.round(renderMs),
      insertMs: Math.round(insertMs),
      totalMs: Math.round(performance.now() - started),
    };
  } finally {
    await pool.end();
  }
}
