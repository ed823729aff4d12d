/**
 * The posts themselves, generated as plain records (cheap) and written in large batches. Bodies
 * come from a small pool rendered once by the real pipeline: the heavy markdown and HTML are copied
 * inside PostgreSQL from a scratch table, so each batch sends only ids, titles and dates.
 */
import type pg from 'pg';
import type { PostStatus } from '@/db/schema';
import { slugify } from '@/lib/slug';
import type { Rng } from '../prng';
import type { CorpusImage } from './media';
import type { Author, Tag } from './people';
import { paragraph, sentence, title } from './text';

const DAY = 86_400_000;
const YEARS_OF_ARCHIVE = 6;

export type PostRecord = {
  id: string;
  slug: string;
  title: string;
  subtitle: string;
  description: string;
  authorId: string;
  status: PostStatus;
  publishAt: Date | null;
  firstPublishedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  body: number;
  heroImage: string | null;
  heroImageAlt: string;
  cta: string;
  readTimeOverride: number | null;
  tagIds: string[];
};

/** Mostly published; some drafts, reviews, trash; scheduled ones both still waiting and already due. */
function statusAndDates(rng: Rng, now: number): Pick<PostRecord, 'status' | 'publishAt' | 'firstPublishedAt' | 'createdAt' | 'updatedAt'> {
  const r = rng.next();
  const past = () => new Date(now - Math.floor(rng.next() * YEARS_OF_ARCHIVE * 365 * DAY) - 60_000);
  const touched = (from: Date) => new Date(Math.min(now - 1_000, from.getTime() + Math.floor(rng.next() * 30 * DAY)));
  if (r < 0.88 || (r >= 0.97 && r < 0.98)) {
    const publishAt = past();
    const createdAt = new Date(publishAt.getTime() - Math.floor(rng.next() * 10 * DAY));
    // A due scheduled post is public like a published one; the editor derives first_published_at for it.
    const status: PostStatus = r < 0.88 ? 'published' : 'scheduled';
    return { status, publishAt, firstPublishedAt: status === 'published' ? publishAt : null, createdAt, updatedAt: touched(publishAt) };
  }
  const createdAt = new Date(now - Math.floor(rng.next() * 365 * DAY) - 60_000);
  if (r < 0.93) return { status: 'draft', publishAt: null, firstPublishedAt: null, createdAt, updatedAt: touched(createdAt) };
  if (r < 0.95) return { status: 'review', publishAt: null, firstPublishedAt: null, createdAt, updatedAt: touched(createdAt) };
  if (r < 0.97) {
    const publishAt = new Date(now + DAY / 24 + Math.floor(rng.next() * 60 * DAY));
    return { status: 'scheduled', publishAt, firstPublishedAt: null, createdAt, updatedAt: touched(createdAt) };
  }
  return { status: 'trash', publishAt: null, firstPublishedAt: null, createdAt, updatedAt: touched(createdAt) };
}

function tagsFor(rng: Rng, tags: readonly Tag[]): string[] {
  const chosen = new Set<string>();
  const wanted = rng.int(1, 5);
  while (chosen.size < wanted) chosen.add(tags[rng.skewed(tags.length)].id);
  return [...chosen];
}

/** Plain records for `count` posts; slugs are unique (a clash gets "-2", "-3"… as the editor does). */
export function makePosts(
  rng: Rng,
  count: number,
  context: { authors: readonly Author[]; tags: readonly Tag[]; images: readonly CorpusImage[]; bodies: number; now: number },
): PostRecord[] {
  const slugs = new Set<string>();
  const records: PostRecord[] = [];
  for (let i = 0; i < count; i += 1) {
    const headline = title(rng);
    const base = slugify(headline).slice(0, 110).replace(/-$/, '');
    let slug = base;
    for (let n = 2; slugs.has(slug); n += 1) slug = `${base}-${n}`;
    slugs.add(slug);
    const hero = rng.chance(0.5) ? rng.pick(context.images) : null;
    records.push({
      id: rng.uuid(),
      slug,
      title: headline,
      subtitle: sentence(rng),
      description: paragraph(rng, 2),
      authorId: context.authors[rng.skewed(context.authors.length, 0.6)].id,
      ...statusAndDates(rng, context.now),
      version: rng.int(1, 9),
      body: rng.int(0, context.bodies - 1),
      heroImage: hero?.url ?? null,
      heroImageAlt: hero?.alt ?? '',
      cta: rng.chance(0.2) ? 'Subscribe for the next one.' : '',
      readTimeOverride: rng.chance(0.03) ? rng.int(2, 30) : null,
      tagIds: tagsFor(rng, context.tags),
    });
  }
  return records;
}

const column = <K extends keyof PostRecord>(rows: readonly PostRecord[], key: K) => rows.map((row) => row[key]);

/** One batch: the posts (bodies joined from bench_bodies inside the database) and their tags. */
export async function insertPostBatch(client: pg.ClientBase, rows: readonly PostRecord[]): Promise<void> {
  await client.query(
    `insert into posts (id, slug, title, subtitle, description, author_id, status, publish_at, first_published_at,
                        created_at, updated_at, version, hero_image, hero_image_alt, cta, read_time_override,
                        markdown, html, toc, word_count, reading_minutes, renderer_version)
     select t.id, t.slug, t.title, t.subtitle, t.description, t.author_id, t.status, t.publish_at, t.first_published_at,
            t.created_at, t.updated_at, t.version, t.hero_image, t.hero_image_alt, t.cta, t.read_time_override,
            b.markdown, b.html, b.toc, b.word_count, b.reading_minutes, b.renderer_version
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::post_status[],
                   $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::int[],
                   $13::text[], $14::text[], $15::text[], $16::int[], $17::int[])
            as t(id, slug, title, subtitle, description, author_id, status, publish_at, first_published_at,
                 created_at, updated_at, version, hero_image, hero_image_alt, cta, read_time_override, body)
       join bench_bodies b on b.idx = t.body`,
    [
      column(rows, 'id'),
      column(rows, 'slug'),
      column(rows, 'title'),
      column(rows, 'subtitle'),
      column(rows, 'description'),
      column(rows, 'authorId'),
      column(rows, 'status'),
      column(rows, 'publishAt'),
      column(rows, 'firstPublishedAt'),
      column(rows, 'createdAt'),
      column(rows, 'updatedAt'),
      column(rows, 'version'),
      column(rows, 'heroImage'),
      column(rows, 'heroImageAlt'),
      column(rows, 'cta'),
      column(rows, 'readTimeOverride'),
      column(rows, 'body'),
    ],
  );
  const postIds: string[] = [];
  const tagIds: string[] = [];
  const positions: number[] = [];
  for (const row of rows) {
    row.tagIds.forEach((tagId, position) => {
      postIds.push(row.id);
      tagIds.push(tagId);
      positions.push(position);
    });
  }
  await client.query('insert into post_tags (post_id, tag_id, position) select * from unnest($1::uuid[], $2::uuid[], $3::int[])', [postIds, tagIds, positions]);
}
