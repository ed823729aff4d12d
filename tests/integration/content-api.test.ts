/**
 * The Content API's layer against a real PostgreSQL: only what readers may see (drafts, review,
 * scheduled and future posts never), keyset pages that cover every row once, filters, fields, bad
 * query strings refused with the parameter named; keys made and revoked by admins only, a revoked
 * key 401, a key's limit 429 with Retry-After.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { contentApiDocument } from '@/lib/content-api/openapi';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { contentApiKeys } from '@/db/schema';
import { ForbiddenError } from '@/lib/auth/errors';
import { checkContentApiKey } from '@/lib/content-api/access';
import { createContentApiKey, listContentApiKeys, revokeContentApiKey } from '@/lib/content-api/keys';
import { getApiPage, getApiPost, listApiAuthors, listApiPages, listApiPosts, listApiTags } from '@/lib/content-api/queries';
import { pageListQuerySchema, parseQuery, postListQuerySchema, QueryError, tagListQuerySchema } from '@/lib/content-api/schemas';
import { insertCast, insertPost, refused, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));

const q = (search: string) => parseQuery(postListQuerySchema, new URLSearchParams(search));

let cast: Cast;
beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
});

describe('visibility', () => {
  it('shows published posts whose time has come, never drafts, review, scheduled-in-future, trash or pages in the post list', async () => {
    const live = await insertPost({ author: cast.A, status: 'published', tags: ['Shown'] });
    const pastScheduled = await insertPost({ author: cast.A, status: 'scheduled', publishAt: new Date(Date.now() - 60_000) });
    const hidden = [
      await insertPost({ author: cast.A, status: 'draft', tags: ['Secret'] }),
      await insertPost({ author: cast.A, status: 'review' }),
      await insertPost({ author: cast.A, status: 'scheduled' }),
      await insertPost({ author: cast.A, status: 'published', publishAt: new Date(Date.now() + 3_600_000) }),
      await insertPost({ author: cast.A, status: 'trash' }),
    ];
    const page = await insertPost({ author: cast.E, kind: 'page', status: 'published', tags: [] });
    const { items } = await listApiPosts(q('limit=100'));
    expect(items.map((item) => item.slug).sort()).toEqual([live.slug, pastScheduled.slug].sort());
    for (const post of hidden) expect(await getApiPost(post.slug)).toBeNull();
    expect(await getApiPost(page.slug)).toBeNull();
    expect((await getApiPage(page.slug))?.slug).toBe(page.slug);
    expect((await listApiPages(parseQuery(pageListQuerySchema, new URLSearchParams()))).items.map((item) => item.slug)).toEqual([page.slug]);
    // Tags and authors only with public posts: the draft's tag and the page-only editor are not listed.
    const tagSlugs = (await listApiTags(parseQuery(tagListQuerySchema, new URLSearchParams()))).items.map((tag) => tag.slug);
    expect(tagSlugs).toContain('shown');
    expect(tagSlugs).not.toContain('secret');
    expect((await listApiTags({ limit: 100 })).items.find((tag) => tag.slug === 'shown')?.count).toEqual({ posts: 1 });
    const authors = (await listApiAuthors({ limit: 100 })).items;
    expect(authors).toEqual([expect.objectContaining({ slug: cast.A.slug, count: { posts: 2 } })]);
    expect(JSON.stringify(authors)).not.toContain('@');
  });
});

describe('pagination, filters, fields', () => {
  it('walks every public post exactly once, newest first, in pages of `limit`', async () => {
    const made = [];
    for (let i = 0; i < 23; i++) made.push(await insertPost({ author: cast.A, status: 'published', publishAt: new Date(Date.UTC(2025, 0, 1 + (i % 5))), tags: [] }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await listApiPosts(q(`limit=5${cursor ? `&cursor=${cursor}` : ''}`));
      expect(answer.items.length).toBeLessThanOrEqual(5);
      seen.push(...answer.items.map((item) => item.id as string));
      cursor = answer.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(new Set(seen)).toEqual(new Set(made.map((post) => post.id)));
  });

  it('filters by tag, author and updated_since, and returns only the fields asked for', async () => {
    const tagged = await insertPost({ author: cast.A, status: 'published', tags: ['Gardening'] });
    const byOther = await insertPost({ author: cast.A2, status: 'published', tags: [] });
    await getDb().execute(`update posts set updated_at = '2020-01-01' where id <> '${byOther.id}'`);
    expect((await listApiPosts(q('tag=gardening'))).items.map((item) => item.slug)).toEqual([tagged.slug]);
    expect((await listApiPosts(q(`author=${cast.A2.slug}`))).items.map((item) => item.slug)).toEqual([byOther.slug]);
    expect((await listApiPosts(q('updated_since=2024-01-01T00:00:00Z'))).items.map((item) => item.slug)).toEqual([byOther.slug]);
    expect((await listApiPosts(q('tag=nothing-like-this'))).items).toEqual([]);
    const { items } = await listApiPosts(q('fields=slug,title&tag=gardening'));
    expect(items).toEqual([{ slug: tagged.slug, title: tagged.title }]);
    const full = await getApiPost(tagged.slug);
    expect(full).toMatchObject({ author: { slug: cast.A.slug }, tags: [{ slug: 'gardening' }] });
    expect(String(full?.html)).toContain('<p>');
  });

  it("gives the author's excerpt (above `<!--more-->`), else the description, as `excerpt`", async () => {
    const marked = await insertPost({ author: cast.A, status: 'published', tags: [], markdown: 'The lead, for cards.\n\n<!--more-->\n\nThe rest of the story.\n' });
    const plain = await insertPost({ author: cast.A, status: 'published', tags: [] });
    await getDb().execute(`update posts set description = 'A description for search engines.' where id in ('${marked.id}', '${plain.id}')`);
    expect(await getApiPost(marked.slug)).toMatchObject({ excerpt: 'The lead, for cards.' });
    expect(await getApiPost(plain.slug)).toMatchObject({ excerpt: 'A description for search engines.' });
  });

  it('refuses a bad query string, naming the parameter', () => {
    const problem = (search: string) => {
      try {
        q(search);
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(QueryError);
        return (error as QueryError).parameter;
      }
    };
    expect(problem('limit=0')).toBe('limit');
    expect(problem('limit=101')).toBe('limit');
    expect(problem('limit=ten')).toBe('limit');
    expect(problem('cursor=not-ours')).toBe('cursor');
    expect(problem('updated_since=yesterday')).toBe('updated_since');
    expect(problem('fields=slug,password_hash')).toBe('fields');
    expect(problem('tags=x')).toBe('tags');
    expect(problem('limit=1&limit=2')).toBe('limit');
    expect(problem('limit=100&fields=slug&key=abc')).toBeNull();
  });
});

describe('keys', () => {
  it('only admins make and revoke keys; the token is shown once and stored as a hash; a revoked key is 401', async () => {
    signInAs(cast.E);
    expect(await refused(() => createContentApiKey({ name: 'Editor app' }))).toBeInstanceOf(ForbiddenError);
    expect(await refused(() => listContentApiKeys())).toBeInstanceOf(ForbiddenError);
    signInAs(cast.Z);
    const { id, token } = await createContentApiKey({ name: 'Mobile app' });
    expect(token).toMatch(/^bsk_[A-Za-z0-9_-]{43}$/);
    const [row] = await getDb().select().from(contentApiKeys).where(eq(contentApiKeys.id, id));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(await checkContentApiKey(token)).toEqual({ ok: true, keyId: id });
    expect((await listContentApiKeys())[0].lastUsedAt).not.toBeNull();
    expect(await checkContentApiKey(null)).toMatchObject({ ok: false, status: 401 });
    expect(await checkContentApiKey(`bsk_${'A'.repeat(43)}`)).toMatchObject({ ok: false, status: 401 });
    signInAs(cast.E);
    expect(await refused(() => revokeContentApiKey({ id }))).toBeInstanceOf(ForbiddenError);
    expect(await checkContentApiKey(token)).toMatchObject({ ok: true });
    signInAs(cast.Z);
    await revokeContentApiKey({ id });
    expect(await checkContentApiKey(token)).toMatchObject({ ok: false, status: 401 });
  });

  it("counts each key's requests per minute: past its limit, 429 with the seconds to wait", async () => {
    signInAs(cast.Z);
    const { token } = await createContentApiKey({ name: 'Small', rateLimit: 3 });
    const other = await createContentApiKey({ name: 'Other', rateLimit: 3 });
    for (let i = 0; i < 3; i++) expect(await checkContentApiKey(token)).toMatchObject({ ok: true });
    const over = await checkContentApiKey(token);
    expect(over).toMatchObject({ ok: false, status: 429, limit: 3 });
    expect((over as { retryAfter: number }).retryAfter).toBeGreaterThanOrEqual(1);
    expect((over as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(60);
    expect(await checkContentApiKey(other.token)).toMatchObject({ ok: true });
  });
});

describe('the OpenAPI document', () => {
  it('describes what the layer answers (JSON Schema 2020-12, every property of a full item required)', async () => {
    const post = await insertPost({ author: cast.A, status: 'published', tags: ['Described'] });
    const document = contentApiDocument('http://localhost:3100');
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'api', components: document.components }, 'api');
    const full = (name: string) => {
      const schema = document.components.schemas[name];
      return ajv.compile({ $ref: `api#/components/schemas/${name}`, required: Object.keys(schema.properties ?? {}) });
    };
    const list = await listApiPosts(q(''));
    const validateList = ajv.compile({ $ref: 'api#/components/schemas/PostsList' });
    expect(validateList({ posts: list.items, meta: { limit: 15, next: list.next } }), JSON.stringify(validateList.errors)).toBe(true);
    const validatePost = full('Post');
    expect(validatePost(list.items[0]), JSON.stringify(validatePost.errors)).toBe(true);
    expect(validatePost({ ...list.items[0], email: 'x@example.test' })).toBe(false);
    const author = (await listApiAuthors({ limit: 1 })).items[0];
    const validateAuthor = full('Author');
    expect(validateAuthor(author), JSON.stringify(validateAuthor.errors)).toBe(true);
    expect(post.slug).toBe(list.items[0].slug);
  });
});
