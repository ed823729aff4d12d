import 'server-only';
import { contentApiEndpoint } from './http';
import {
  getApiAuthor,
  getApiPage,
  getApiPost,
  getApiSettings,
  getApiTag,
  listApiAuthors,
  listApiPages,
  listApiPosts,
  listApiTags,
  type Item,
  type ListAnswer,
} from './queries';
import {
  authorItemQuerySchema,
  authorListQuerySchema,
  pageItemQuerySchema,
  pageListQuerySchema,
  postItemQuerySchema,
  postListQuerySchema,
  settingsQuerySchema,
  slugSchema,
  tagItemQuerySchema,
  tagListQuerySchema,
} from './schemas';

/** The Content API's endpoints (app/api/content/v1/*: each route file exports one). Ghost's shapes, loosely. */

const list = (resource: string, { items, next }: ListAnswer, limit: number) => ({ status: 200 as const, body: { [resource]: items, meta: { limit, next } } });

function one(resource: string, item: Item | null) {
  return item
    ? { status: 200 as const, body: { [resource]: [item] } }
    : { status: 404 as const, message: `No public ${resource.replace(/s$/, '')} with this slug.` };
}

/** A slug from the path, decoded by Next.js; one that cannot be ours is simply not found. */
const slugOf = (params: Record<string, string>) => (slugSchema.safeParse(params.slug).success ? params.slug : '');

export const postsEndpoint = contentApiEndpoint('posts', postListQuerySchema, async (query) => list('posts', await listApiPosts(query), query.limit));
export const postEndpoint = contentApiEndpoint('post', postItemQuerySchema, async (query, params) => one('posts', await getApiPost(slugOf(params), query.fields)));
export const pagesEndpoint = contentApiEndpoint('pages', pageListQuerySchema, async (query) => list('pages', await listApiPages(query), query.limit));
export const pageEndpoint = contentApiEndpoint('page', pageItemQuerySchema, async (query, params) => one('pages', await getApiPage(slugOf(params), query.fields)));
export const tagsEndpoint = contentApiEndpoint('tags', tagListQuerySchema, async (query) => list('tags', await listApiTags(query), query.limit));
export const tagEndpoint = contentApiEndpoint('tag', tagItemQuerySchema, async (query, params) => one('tags', await getApiTag(slugOf(params), query.fields)));
export const authorsEndpoint = contentApiEndpoint('authors', authorListQuerySchema, async (query) => list('authors', await listApiAuthors(query), query.limit));
export const authorEndpoint = contentApiEndpoint('author', authorItemQuerySchema, async (query, params) =>
  one('authors', await getApiAuthor(slugOf(params), query.fields)),
);
export const settingsEndpoint = contentApiEndpoint('settings', settingsQuerySchema, async (query) => ({
  status: 200 as const,
  body: { settings: await getApiSettings(query.fields) },
}));
