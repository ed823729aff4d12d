/**
 * Reads a Ghost 4/5 JSON export (`{db: [{meta, data: {posts, tags, users, …}}]}`, or the db entry
 * alone) as a stream of tokens: each row of the tables we read is assembled alone and validated,
 * a post's body is converted as soon as its row is complete, and the relations (posts_tags,
 * posts_authors, posts_meta), which may come before or after the posts, are joined at the end.
 *
 * A verifier runs beside the tokenizer on the same text, only to say where a syntax error is: the
 * tokenizer's own errors carry no position.
 */
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { jsonVerifier } from 'stream-json/core/utils/verifier.js';
import Assembler from 'stream-json/core/assembler.js';
import { z } from 'zod';
import type { PostStatus } from '@/db/schema';
import {
  ImportFormatError,
  settled,
  type BodyConversion,
  type ConvertedBody,
  type ReadPacing,
  type SourceBundle,
  type SourceEntry,
  type SourceNavItem,
  type SourceTag,
  type SourceUser,
} from './types';
import { describeIssue, detach, escapeHtml, htmlToText } from './text';
import type { ImportInput } from './wordpress';

/** Nesting deeper than this is no Ghost export (its rows are flat; bodies are strings). */
const MAX_DEPTH = 64;
/** A longer single string (a post's html) is refused rather than held. */
const MAX_STRING = 64 * 1024 * 1024;

const id = z.union([z.string(), z.number()], { error: 'expected a string' }).transform(String);
const text = z.string().nullish();
const flag = z.union([z.boolean(), z.number()]).nullish();
const GHOST_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const date = z
  .string()
  .regex(GHOST_DATE, 'expected a date (ISO 8601)')
  .refine((s) => !Number.isNaN(toDate(s)!.getTime()), 'expected a date (ISO 8601)')
  .nullish();

function toDate(s: string | null | undefined): Date | null {
  if (!s) return null;
  // Ghost 4 writes "2024-01-25 10:00:00", in UTC without saying so.
  const iso = s.replace(' ', 'T');
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

const SEO_FIELDS = [
  'og_image',
  'og_title',
  'og_description',
  'twitter_image',
  'twitter_title',
  'twitter_description',
  'meta_title',
  'meta_description',
  'email_subject',
  'frontmatter',
] as const;
const seoShape = Object.fromEntries(SEO_FIELDS.map((k) => [k, text])) as Record<(typeof SEO_FIELDS)[number], typeof text>;

const postSchema = z.object({
  id,
  uuid: text,
  type: z.string().nullish(),
  page: flag,
  status: z.string(),
  title: z.string(),
  slug: z.string(),
  html: text,
  plaintext: text,
  custom_excerpt: text,
  feature_image: text,
  feature_image_alt: text,
  feature_image_caption: text,
  featured: flag,
  visibility: z.string().nullish(),
  custom_template: text,
  codeinjection_head: text,
  codeinjection_foot: text,
  canonical_url: text,
  author_id: id.nullish(),
  published_at: date,
  created_at: date,
  updated_at: date,
  ...seoShape,
});
const postsMetaSchema = z.object({ post_id: id, feature_image_alt: text, feature_image_caption: text, email_only: flag, ...seoShape });
const tagSchema = z.object({ id, name: z.string(), slug: z.string(), description: text, visibility: z.string().nullish() });
const userSchema = z.object({
  id,
  name: z.string(),
  slug: z.string(),
  email: text,
  bio: text,
  profile_image: text,
});
const postsTagsSchema = z.object({ post_id: id, tag_id: id, sort_order: z.number().nullish() });
const postsAuthorsSchema = z.object({ post_id: id, author_id: id, sort_order: z.number().nullish() });
const settingSchema = z.object({ key: z.string(), value: z.unknown() });
const navigationSchema = z.array(z.object({ label: z.string(), url: z.string() }));
const metaSchema = z.object({ version: z.string().nullish(), url: z.string().nullish() });

const TABLES = ['posts', 'posts_meta', 'tags', 'posts_tags', 'users', 'posts_authors', 'settings'] as const;
type Table = (typeof TABLES)[number];

type Post = z.infer<typeof postSchema>;
type ReadPost = { post: Omit<Post, 'html' | 'plaintext'>; body: ConvertedBody; path: string };
/** A post whose body is still converting (perhaps in a worker thread). */
type PendingPost = Omit<ReadPost, 'body'> & { body: Promise<ConvertedBody> };

const STATUS: Record<string, PostStatus> = { published: 'published', scheduled: 'scheduled', draft: 'draft' };

type Frame = { array: boolean; key: string | number | null };

function pathText(path: (string | number)[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${key}` : key;
  return out || '(the top level)';
}

/** A row, checked, its strings copied out of the read buffers they may be views on (see `detach`). */
function validate<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ImportFormatError(describeIssue(path, parsed.error.issues[0]));
  const row = parsed.data;
  if (row && typeof row === 'object' && !Array.isArray(row)) {
    for (const [key, v] of Object.entries(row))
      if (typeof v === 'string' && key !== 'html' && key !== 'plaintext') (row as Record<string, unknown>)[key] = detach(v);
  }
  return row;
}

export async function parseGhostExport(input: ImportInput, convert: BodyConversion, room?: ReadPacing): Promise<SourceBundle> {
  const warnings: string[] = [];
  const posts: PendingPost[] = [];
  const postsMeta = new Map<string, z.infer<typeof postsMetaSchema>>();
  const tags: SourceTag[] = [];
  const users: SourceUser[] = [];
  const postsTags: { post_id: string; tag_id: string; sort_order?: number | null }[] = [];
  const postsAuthors: { post_id: string; author_id: string; sort_order?: number | null }[] = [];
  const navigation: SourceNavItem[] = [];
  let siteUrl: string | null = null;
  let sawPosts = false;

  /** Where the db entry is: `db[0]` in a full export, the top level when the wrapper is missing. */
  const entryPrefix = (path: (string | number)[]): number => {
    if (path[0] === 'db') return path[1] === 0 ? 2 : -1;
    return 0;
  };

  const onRow = (table: Table, value: unknown, path: string) => {
    switch (table) {
      case 'posts': {
        const { html, plaintext, ...post } = validate(postSchema, value, path);
        const source = html ?? (plaintext ? plainToHtml(plaintext) : '');
        posts.push({ post, body: settled(convert(source, { format: 'html', siteUrl })), path });
        return;
      }
      case 'posts_meta': {
        const row = validate(postsMetaSchema, value, path);
        postsMeta.set(row.post_id, row);
        return;
      }
      case 'tags': {
        const row = validate(tagSchema, value, path);
        tags.push({
          sourceId: row.id,
          slug: row.slug,
          name: row.name,
          description: row.description ?? '',
          taxonomy: 'tag',
          internal: row.name.startsWith('#') || row.visibility === 'internal',
        });
        return;
      }
      case 'users': {
        const row = validate(userSchema, value, path);
        users.push({
          sourceId: row.id,
          email: row.email ? row.email.trim().toLowerCase() : null,
          name: row.name,
          slug: row.slug,
          bio: row.bio ?? '',
          avatarUrl: row.profile_image || null,
        });
        return;
      }
      case 'posts_tags':
        postsTags.push(validate(postsTagsSchema, value, path));
        return;
      case 'posts_authors':
        postsAuthors.push(validate(postsAuthorsSchema, value, path));
        return;
      case 'settings': {
        const row = validate(settingSchema, value, path);
        if (row.key !== 'navigation' && row.key !== 'secondary_navigation') return;
        const menu = row.key === 'navigation' ? 'primary' : 'footer';
        let items: unknown = row.value;
        if (typeof items === 'string') {
          try {
            items = JSON.parse(items);
          } catch {
            throw new ImportFormatError(`${path}.value: expected the JSON of a list of {label, url}`);
          }
        }
        if (items === null) return;
        validate(navigationSchema, items, `${path}.value`).forEach((item, i) => {
          navigation.push({
            sourceId: `${row.key}:${i}`,
            menu,
            label: item.label,
            target: { type: 'url', url: item.url },
            position: i,
          });
        });
      }
    }
  };

  // The token walk: containers outside the rows are followed frame by frame; a row (or the meta
  // object) is handed to an Assembler until it is complete.
  const frames: Frame[] = [];
  const path: (string | number)[] = [];
  let asm: Assembler | null = null;
  let asmTarget: { table: Table | 'meta'; path: string } | null = null;

  const valueEnded = () => {
    const top = frames.at(-1);
    if (top?.array) path[path.length - 1] = (path[path.length - 1] as number) + 1;
  };

  const onToken = (token: Token) => {
    if (asm) {
      asm.consume(token);
      if (asm.done) {
        const { table, path: where } = asmTarget!;
        const value = asm.current;
        asm = null;
        asmTarget = null;
        if (table === 'meta') {
          const meta = validate(metaSchema, value, where);
          if (meta.version && !/^[456]\./.test(meta.version)) {
            warnings.push(`Ghost ${meta.version} export: read as a Ghost 5 export`);
          }
          if (meta.url) siteUrl = meta.url.replace(/\/+$/, '');
        } else onRow(table, value, where);
        valueEnded();
      }
      return;
    }
    const name = token.name;
    if (name === 'keyValue') {
      path[path.length - 1] = token.value;
      return;
    }
    if (name === 'endObject' || name === 'endArray') {
      frames.pop();
      path.pop();
      valueEnded();
      return;
    }
    if (
      name !== 'startObject' &&
      name !== 'startArray' &&
      name !== 'stringValue' &&
      name !== 'numberValue' &&
      name !== 'nullValue' &&
      name !== 'trueValue' &&
      name !== 'falseValue'
    ) {
      return;
    }

    // A value starts at `path`: is it one we read?
    const depth = path.length;
    if (depth === 0 && name !== 'startObject') throw new ImportFormatError('not a Ghost export: the top level is not an object');
    if (depth === 1 && path[0] === 'db' && name !== 'startArray') throw new ImportFormatError('db: expected an array');
    if (depth === 2 && path[0] === 'db' && path[1] === 1) {
      warnings.push('the export has more than one db entry: only db[0] is read');
    }
    const at = entryPrefix(path);
    if (at >= 0) {
      const rest = path.slice(at);
      if (rest.length === 0 && at > 0 && name !== 'startObject') throw new ImportFormatError(`${pathText(path)}: expected an object`);
      if (rest.length === 1 && rest[0] === 'meta') {
        startAssembly('meta', token);
        return;
      }
      if (rest.length === 1 && rest[0] === 'data' && name !== 'startObject') {
        throw new ImportFormatError(`${pathText(path)}: expected an object`);
      }
      if (rest.length === 2 && rest[0] === 'data' && (TABLES as readonly string[]).includes(rest[1] as string)) {
        if (name !== 'startArray') throw new ImportFormatError(`${pathText(path)}: expected an array`);
        if (rest[1] === 'posts') sawPosts = true;
      }
      if (rest.length === 3 && rest[0] === 'data' && (TABLES as readonly string[]).includes(rest[1] as string)) {
        startAssembly(rest[1] as Table, token);
        return;
      }
    }
    if (name === 'startObject' || name === 'startArray') {
      frames.push({ array: name === 'startArray', key: null });
      path.push(name === 'startArray' ? 0 : '');
    } else valueEnded();
  };

  const startAssembly = (table: Table | 'meta', token: Token) => {
    asm = new Assembler();
    asmTarget = { table, path: pathText(path) };
    // re-enter onToken: a primitive row is complete at once
    onToken(token);
  };

  const tokenizer = jsonParser({ packValues: true, streamValues: false, maxDepth: MAX_DEPTH, maxPackedLength: MAX_STRING });
  const verifier = jsonVerifier({ maxDepth: MAX_DEPTH });
  const feed = (chunk: string | symbol) => {
    try {
      verifier(chunk as string);
    } catch (error) {
      const e = error as Error & { line?: number; pos?: number };
      const what = e.message.replace(/^ERROR at \d+ \(\d+, \d+\): /, '').replace(/^Verifier cannot parse input: /, '');
      throw new ImportFormatError(`line ${e.line}, column ${e.pos}: ${what}`);
    }
    let result: unknown;
    try {
      result = tokenizer(chunk as string);
    } catch (error) {
      throw new ImportFormatError(`not a readable JSON file: ${(error as Error).message}`);
    }
    const tokens = (result as { values?: Token[] } | null)?.values;
    if (Array.isArray(tokens)) for (const token of tokens) onToken(token);
  };

  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
    let str = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && str.length > 0) {
      if (str.charCodeAt(0) === 0xfeff) str = str.slice(1);
      first = false;
    }
    if (str) feed(str);
    await room?.();
  }
  const tail = decoder.decode();
  if (tail) feed(tail);
  feed(Symbol.for('object-stream.none'));

  if (!sawPosts) throw new ImportFormatError('not a Ghost export: no db[0].data.posts');
  const read: ReadPost[] = [];
  for (const pending of posts) read.push({ ...pending, body: await pending.body });

  return {
    source: 'ghost',
    siteUrl,
    users,
    tags,
    entries: joinPosts(read, postsMeta, postsTags, postsAuthors, tags, users, warnings),
    navigation,
    warnings,
  };
}

function plainToHtml(plaintext: string): string {
  return plaintext
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
}

function ordered<T extends { post_id: string; sort_order?: number | null }>(rows: T[]): Map<string, T[]> {
  const byPost = new Map<string, T[]>();
  for (const row of rows) {
    const list = byPost.get(row.post_id) ?? [];
    list.push(row);
    byPost.set(row.post_id, list);
  }
  for (const list of byPost.values()) list.sort((a, b) => (a.sort_order ?? 0) - (b.sort_order ?? 0));
  return byPost;
}

function joinPosts(
  posts: ReadPost[],
  postsMeta: Map<string, z.infer<typeof postsMetaSchema>>,
  postsTags: { post_id: string; tag_id: string; sort_order?: number | null }[],
  postsAuthors: { post_id: string; author_id: string; sort_order?: number | null }[],
  tags: SourceTag[],
  users: SourceUser[],
  warnings: string[],
): SourceEntry[] {
  const tagIds = new Set(tags.map((t) => t.sourceId));
  const userIds = new Set(users.map((u) => u.sourceId));
  const tagsByPost = ordered(postsTags);
  const authorsByPost = ordered(postsAuthors);

  return posts.map(({ post, body }) => {
    const meta = postsMeta.get(post.id);
    const kind = post.type === 'page' || post.page === true || post.page === 1 ? 'page' : 'post';
    const label = `${kind} ${post.id} (${post.slug})`;
    const statusNotes: string[] = [];
    let status: PostStatus = STATUS[post.status] ?? 'draft';
    if (post.status === 'sent') {
      statusNotes.push('sent as an email only on Ghost, never on the site: imported as a draft');
    } else if (!(post.status in STATUS)) {
      statusNotes.push(`status "${post.status}" on Ghost: imported as a draft`);
    }
    const visibility = post.visibility ?? 'public';
    if (visibility !== 'public') {
      status = 'draft';
      statusNotes.push(`${visibility}-only on Ghost: imported as a draft, never public`);
    }

    const dropped: string[] = [];
    for (const key of ['codeinjection_head', 'codeinjection_foot'] as const) {
      if (post[key]?.trim()) {
        dropped.push(`code injection (${key})`);
        warnings.push(`${label}: its ${key} was dropped (code injection is never imported)`);
      }
    }

    const ghost: Record<string, unknown> = { id: post.id, status: post.status, visibility };
    for (const key of ['uuid', 'custom_template', 'canonical_url'] as const) if (post[key]) ghost[key] = post[key];
    if (post.featured) ghost.featured = true;
    for (const key of SEO_FIELDS) {
      const value = meta?.[key] ?? post[key];
      if (value) ghost[key] = value;
    }
    if (meta?.email_only) ghost.email_only = true;

    const tagList: string[] = [];
    for (const row of tagsByPost.get(post.id) ?? []) {
      if (!tagIds.has(row.tag_id)) warnings.push(`${label}: tag ${row.tag_id} is not in the export`);
      else if (!tagList.includes(row.tag_id)) tagList.push(row.tag_id);
    }
    const authorRows = authorsByPost.get(post.id);
    const authorCandidates = authorRows ? authorRows.map((r) => r.author_id) : post.author_id ? [post.author_id] : [];
    const authorIds: string[] = [];
    for (const a of authorCandidates) {
      if (!userIds.has(a)) warnings.push(`${label}: author ${a} is not in the export`);
      else if (!authorIds.includes(a)) authorIds.push(a);
    }

    const alt = meta?.feature_image_alt ?? post.feature_image_alt ?? '';
    const caption = meta?.feature_image_caption ?? post.feature_image_caption ?? '';
    const publishAt = status === 'published' || status === 'scheduled' ? toDate(post.published_at) : null;
    if ((status === 'published' || status === 'scheduled') && !publishAt) warnings.push(`${label}: ${status} without a published_at`);

    return {
      sourceId: post.id,
      kind,
      title: post.title,
      slug: post.slug,
      status,
      statusNotes,
      publishAt,
      createdAt: toDate(post.created_at),
      updatedAt: toDate(post.updated_at),
      body: dropped.length ? { ...body, dropped: [...body.dropped, ...dropped] } : body,
      excerpt: post.custom_excerpt ?? '',
      authorIds,
      featured: post.featured === true,
      tagIds: tagList,
      featureImage: post.feature_image ? { url: post.feature_image, alt, caption: htmlToText(caption) } : null,
      link: post.status === 'published' ? `/${post.slug}/` : null,
      extra: { visibility, ghost },
      commentCount: 0,
    } satisfies SourceEntry;
  });
}
