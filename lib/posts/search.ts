import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { getReadDb } from '@/db/client';
import { posts, users } from '@/db/schema';
import { isPublic } from './visibility';

export const SEARCH_PAGE_SIZE = 10;
export const MAX_SEARCH_PAGE = 50;

/** `/search?q=…&page=…`: hostile until parsed. A query that is too long or a silly page is clamped. */
export const searchParamsSchema = z.object({
  q: z
    .preprocess(
      (v) => (Array.isArray(v) ? v[0] : v),
      // Control characters mean nothing in a search and PostgreSQL refuses NUL: drop them.
      z.string().max(200).transform((s) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()).catch(''),
    )
    .default(''),
  page: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v),
    z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE).catch(1),
  ).default(1),
});

/** A snippet as runs of text, some of them matches: rendered by React, so nothing in it is HTML. */
export type SnippetPart = { text: string; hit: boolean };

export type SearchHit = {
  slug: string;
  title: string;
  subtitle: string;
  publishAt: Date;
  readingMinutes: number;
  author: { name: string; slug: string };
  snippet: SnippetPart[];
};

export type SearchResult = { hits: SearchHit[]; page: number; hasNext: boolean };

const START = '\u0002';
const STOP = '\u0003';

/** Strips markdown punctuation from a headline so readers see prose, not syntax. */
function tidy(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/https?:\/\/\S+/g, '')
    .replace(/(^|\s)>+(?=\s)/g, '$1')
    .replace(/[#*_`|~]+/g, '')
    .replace(/\s+/g, ' ');
}

export function splitSnippet(headline: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  // Tidy first, so a match inside a link's text does not leave the link's syntax behind.
  for (const [index, text] of tidy(headline).split(new RegExp(`[${START}${STOP}]`)).entries()) {
    if (text) parts.push({ text, hit: index % 2 === 1 });
  }
  return parts;
}

/** Markdown as prose for a headline: links and images become their text, syntax characters go. */
const MARKDOWN_LINK = String.raw`!?\[([^]]*)\]\([^)]*\)`;
const MARKDOWN_SYNTAX = '[#*_`>|~]+';
function proseOf(markdown: SQL): SQL {
  return sql`regexp_replace(regexp_replace(${markdown}, ${MARKDOWN_LINK}, ${String.raw`\1`}, 'g'), ${MARKDOWN_SYNTAX}, ' ', 'g')`;
}

/** Full-text search over public posts: weighted tsvector, websearch syntax, ranked, with highlighted snippets. */
export async function searchPublicPosts(raw: string, page: number): Promise<SearchResult> {
  // The layer does not trust its callers either: PostgreSQL refuses NUL, and control characters mean nothing here.
  const query = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
  if (!query) return { hits: [], page, hasNext: false };
  const offset = (page - 1) * SEARCH_PAGE_SIZE;
  // Rank and page first on the index; build headlines only for the rows shown.
  const result = await getReadDb().execute<{
    slug: string;
    title: string;
    subtitle: string;
    publish_at: Date | string;
    reading_minutes: number;
    author_name: string;
    author_slug: string;
    headline: string;
  }>(sql`
    with q as (select websearch_to_tsquery('english', ${query}) as query),
    ranked as (
      select ${posts.id} as id, ts_rank_cd(${posts.search}, q.query, 32) as rank
        from ${posts}, q
       where ${posts.search} @@ q.query and ${isPublic()}
       order by rank desc, ${posts.publishAt} desc, ${posts.id} desc
       limit ${SEARCH_PAGE_SIZE + 1} offset ${offset}
    )
    select p.slug, p.title, p.subtitle, p.publish_at,
           coalesce(p.read_time_override, p.reading_minutes) as reading_minutes,
           u.name as author_name, u.slug as author_slug,
           ts_headline('english', p.description || ' … ' || ${proseOf(sql`left(p.markdown, 20000)`)}, q.query,
             ${`StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}) as headline
      from ranked r
      join ${posts} p on p.id = r.id
      join ${users} u on u.id = p.author_id, q
     order by r.rank desc, p.publish_at desc, p.id desc`);
  const rows = result.rows;
  return {
    page,
    hasNext: rows.length > SEARCH_PAGE_SIZE,
    hits: rows.slice(0, SEARCH_PAGE_SIZE).map((row) => ({
      slug: row.slug,
      title: row.title,
      subtitle: row.subtitle,
      publishAt: new Date(row.publish_at),
      readingMinutes: Number(row.reading_minutes),
      author: { name: row.author_name, slug: row.author_slug },
      snippet: splitSnippet(row.headline),
    })),
  };
}
