import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { getReadDb } from '@/db/client';
import { posts, users } from '@/db/schema';
import { isPublicPost } from './visibility';

export const SEARCH_PAGE_SIZE = 10;
/** The last page of results: every ranked match (SEARCH_CANDIDATES) can be reached. */
export const MAX_SEARCH_PAGE = 50;

/** `/search?q=…&page=…`: hostile until parsed. A query that is too long or a silly page is clamped. */
export const searchParamsSchema = z.object({
  q: z
    .preprocess(
      (v) => (Array.isArray(v) ? v[0] : v),
      // Control characters mean nothing in a search and PostgreSQL refuses NUL: drop them.
      z
        .string()
        .max(200)
        .transform((s) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())
        .catch(''),
    )
    .default(''),
  page: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.coerce.number().int().min(1).max(MAX_SEARCH_PAGE).catch(1)).default(1),
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
  /** Everyone in the byline, in order. */
  authors: { name: string; slug: string }[];
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
  for (const [index, text] of tidy(headline)
    .split(new RegExp(`[${START}${STOP}]`))
    .entries()) {
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

/**
 * How many matches are ranked: the newest this many. A word that half the archive contains would
 * otherwise rank every one of those posts (reading each one's search vector) to show ten; past this
 * many, a newer match is the better guess. MAX_SEARCH_PAGE × SEARCH_PAGE_SIZE pages through all of them.
 */
export const SEARCH_CANDIDATES = 500;
/** The snippet is cut from this many characters of the body, around the first likely match. */
const SNIPPET_WINDOW = 4000;

/**
 * A piece of the query to find in the body with strpos, so the snippet's window starts near a
 * match: the longest word the query requires, shortened so that its stem still matches
 * ("networks" → "networ", which also finds "networking"). Empty when there is none: the window
 * then starts at the top.
 */
export function snippetLocator(query: string): string {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word && !word.startsWith('-') && word !== 'or')
    .map((word) => word.replace(/[^\p{L}\p{N}]+/gu, ''))
    .filter((word) => word.length >= 3);
  const longest = words.reduce((best, word) => (word.length > best.length ? word : best), '');
  return longest.slice(0, Math.max(3, longest.length - 2));
}

/** Full-text search over public posts: weighted tsvector, websearch syntax, ranked, with highlighted snippets. */
export async function searchPublicPosts(raw: string, page: number, { candidates = SEARCH_CANDIDATES } = {}): Promise<SearchResult> {
  // The layer does not trust its callers either: PostgreSQL refuses NUL, and control characters mean nothing here.
  const query = raw
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, 200);
  if (!query) return { hits: [], page, hasNext: false };
  const offset = (page - 1) * SEARCH_PAGE_SIZE;
  const locator = snippetLocator(query);
  // Matches through the GIN index (or, for a very common word, newest first through the public
  // list's index), the newest `candidates` of them ranked, a page of those; headlines only for
  // the rows shown, over a window of the body near the first match.
  const result = await getReadDb().execute<{
    slug: string;
    title: string;
    subtitle: string;
    publish_at: Date | string;
    reading_minutes: number;
    author_name: string;
    author_slug: string;
    authors: { name: string; slug: string }[] | null;
    headline: string;
  }>(sql`
    with q as (select websearch_to_tsquery('english', ${query}) as query),
    matches as (
      -- The query is written out here, not taken from q: the planner can then estimate how many
      -- posts match (from the column's statistics) and walk the newest first for a common word
      -- instead of sorting every match (89,000 of 100,000 posts: 0.7 s).
      select ${posts.id} as id, ${posts.search} as search, ${posts.publishAt} as publish_at
        from ${posts}
       where ${posts.search} @@ websearch_to_tsquery('english', ${query}) and ${isPublicPost()}
       order by ${posts.publishAt} desc nulls last, ${posts.id} desc nulls last
       limit ${candidates}
    ),
    ranked as (
      select m.id, m.publish_at, ts_rank_cd(m.search, q.query, 32) as rank
        from matches m, q
       order by rank desc, m.publish_at desc, m.id desc
       limit ${SEARCH_PAGE_SIZE + 1} offset ${offset}
    )
    select p.slug, p.title, p.subtitle, p.publish_at,
           coalesce(p.read_time_override, p.reading_minutes) as reading_minutes,
           u.name as author_name, u.slug as author_slug,
           (select json_agg(json_build_object('name', b.name, 'slug', b.slug) order by pa.position)
              from post_authors pa join ${users} b on b.id = pa.user_id where pa.post_id = p.id) as authors,
           ts_headline('english', p.description || ' … ' || ${proseOf(
             sql`substr(p.markdown, greatest(1, strpos(lower(left(p.markdown, 100000)), ${locator}) - ${SNIPPET_WINDOW / 4}), ${SNIPPET_WINDOW})`,
           )}, q.query,
             ${`StartSel=${START}, StopSel=${STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`}) as headline
      from ranked r
      join ${posts} p on p.id = r.id
      join ${users} u on u.id = p.author_id, q
     order by r.rank desc, r.publish_at desc, p.id desc`);
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
      authors: row.authors ?? [{ name: row.author_name, slug: row.author_slug }],
      snippet: splitSnippet(row.headline),
    })),
  };
}
