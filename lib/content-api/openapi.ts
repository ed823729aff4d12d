import { AUTHOR_FIELDS, DEFAULT_LIMIT, MAX_LIMIT, PAGE_FIELDS, POST_FIELDS, SETTINGS_FIELDS, TAG_FIELDS } from './schemas';

/**
 * The Content API described in OpenAPI 3.1 (served at /api/content/v1/openapi.json). Its schemas
 * are JSON Schema 2020-12: tests/e2e/content-api.spec.ts validates real answers with
 * them. Items list every property a resource has; `fields` may ask for fewer, so none is required
 * here, and no other property may appear.
 */

type JsonSchema = {
  type?: string | string[];
  format?: string;
  enum?: readonly (string | number)[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  description?: string;
  default?: unknown;
};
type Parameter = { name: string; in: 'query' | 'path' | 'header'; required?: boolean; description: string; schema: JsonSchema };
type Response = { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, { schema: JsonSchema }> };
type Operation = { operationId: string; summary: string; tags: string[]; parameters: Parameter[]; responses: Record<string, Response | { $ref: string }> };
export type OpenApiDocument = {
  openapi: '3.1.0';
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, { get: Operation }>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, Response>;
    parameters: Record<string, Parameter>;
    securitySchemes: Record<string, { type: 'apiKey'; in: 'query'; name: string } | { type: 'http'; scheme: 'bearer' }>;
  };
};

const string: JsonSchema = { type: 'string' };
const dateTime: JsonSchema = { type: 'string', format: 'date-time' };
const uri: JsonSchema = { type: 'string', format: 'uri' };
const nullableUri: JsonSchema = { type: ['string', 'null'], format: 'uri' };
const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

function item(properties: Record<string, JsonSchema>, names: readonly string[]): JsonSchema {
  // The properties and the `fields` whitelist are one list: a field the API may send is described.
  const missing = names.filter((name) => !(name in properties));
  if (missing.length) throw new Error(`openapi: no schema for ${missing.join(', ')}`);
  return { type: 'object', properties, additionalProperties: false };
}

const link: JsonSchema = { type: 'object', properties: { slug: string, name: string, url: uri }, required: ['slug', 'name', 'url'], additionalProperties: false };
const count: JsonSchema = { type: 'object', properties: { posts: { type: 'integer', minimum: 1 } }, required: ['posts'], additionalProperties: false };

const entry = {
  id: { type: 'string', format: 'uuid' },
  slug: string,
  title: string,
  subtitle: string,
  excerpt: { type: 'string', description: 'The text above the `<!--more-->` marker, else the description.' },
  html: { type: 'string', description: 'The body, rendered and sanitised.' },
  feature_image: nullableUri,
  feature_image_alt: string,
  published_at: dateTime,
  updated_at: dateTime,
  url: uri,
} satisfies Record<string, JsonSchema>;

const listMeta: JsonSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT },
    next: { type: ['string', 'null'], description: 'The cursor of the next page (pass it as `cursor`), or null on the last page.' },
  },
  required: ['limit', 'next'],
  additionalProperties: false,
};

const listOf = (resource: string, schema: string): JsonSchema => ({
  type: 'object',
  properties: { [resource]: { type: 'array', items: ref(schema), maxItems: MAX_LIMIT }, meta: listMeta },
  required: [resource, 'meta'],
  additionalProperties: false,
});
const oneOf = (resource: string, schema: string): JsonSchema => ({
  type: 'object',
  properties: { [resource]: { type: 'array', items: ref(schema), minItems: 1, maxItems: 1 } },
  required: [resource],
  additionalProperties: false,
});

const fieldsParameter = (names: readonly string[]): Parameter => ({
  name: 'fields',
  in: 'query',
  description: `Comma list of the fields to return: ${names.join(', ')}.`,
  schema: { type: 'string' },
});
const slugParameter: Parameter = { name: 'slug', in: 'path', required: true, description: 'The slug.', schema: string };
const common = [{ $ref: '#/components/parameters/key' }] as unknown as Parameter[];
const paging = [{ $ref: '#/components/parameters/limit' }, { $ref: '#/components/parameters/cursor' }] as unknown as Parameter[];

const errors = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '429': { $ref: '#/components/responses/TooManyRequests' },
};
const ok = (description: string, schema: string): Response => ({
  description,
  headers: { ETag: { description: 'Of these bytes: send it back as If-None-Match for a 304.', schema: string } },
  content: { 'application/json': { schema: ref(schema) } },
});
const notModified = { '304': { description: 'Not modified: the If-None-Match ETag is still current.' } };

function listPath(resource: string, tag: string, names: readonly string[], extra: Parameter[] = []): { get: Operation } {
  return {
    get: {
      operationId: `list${tag}`,
      summary: `Public ${resource}, ${resource === 'posts' || resource === 'pages' ? 'newest first' : 'by slug'}`,
      tags: [tag],
      parameters: [...common, ...paging, ...extra, fieldsParameter(names)],
      responses: { '200': ok(`A page of ${resource}`, `${tag}List`), ...notModified, ...errors },
    },
  };
}
function itemPath(resource: string, tag: string, names: readonly string[]): { get: Operation } {
  return {
    get: {
      operationId: `get${tag.replace(/s$/, '')}`,
      summary: `One public ${resource.replace(/s$/, '')} by slug`,
      tags: [tag],
      parameters: [...common, slugParameter, fieldsParameter(names)],
      responses: { '200': ok(`The ${resource.replace(/s$/, '')}`, `${tag}Item`), ...notModified, ...errors, '404': { $ref: '#/components/responses/NotFound' } },
    },
  };
}

const errorBody = (type: string): Response['content'] => ({ 'application/json': { schema: { ...ref('Errors'), description: type } } });
const updatedSince: Parameter = {
  name: 'updated_since',
  in: 'query',
  description: 'Only what changed at or after this ISO 8601 date and time.',
  schema: { type: 'string', format: 'date-time' },
};

export function contentApiDocument(siteUrl: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Broadsheet Content API',
      version: '1',
      description:
        'Read-only, public content: published posts and pages whose time has come, the tags and authors that have them, the site settings. A key (made by an admin at /editor/integrations) is required on every request.',
    },
    servers: [{ url: `${siteUrl}/api/content/v1` }],
    security: [{ queryKey: [] }, { bearer: [] }],
    paths: {
      '/posts': listPath('posts', 'Posts', POST_FIELDS, [
        { name: 'tag', in: 'query', description: 'Only posts with this tag (slug).', schema: string },
        { name: 'author', in: 'query', description: 'Only posts by this author (slug).', schema: string },
        updatedSince,
      ]),
      '/posts/{slug}': itemPath('posts', 'Posts', POST_FIELDS),
      '/pages': listPath('pages', 'Pages', PAGE_FIELDS, [updatedSince]),
      '/pages/{slug}': itemPath('pages', 'Pages', PAGE_FIELDS),
      '/tags': listPath('tags', 'Tags', TAG_FIELDS),
      '/tags/{slug}': itemPath('tags', 'Tags', TAG_FIELDS),
      '/authors': listPath('authors', 'Authors', AUTHOR_FIELDS),
      '/authors/{slug}': itemPath('authors', 'Authors', AUTHOR_FIELDS),
      '/settings': {
        get: {
          operationId: 'getSettings',
          summary: 'The site settings',
          tags: ['Settings'],
          parameters: [...common, fieldsParameter(SETTINGS_FIELDS)],
          responses: { '200': ok('The settings', 'SettingsAnswer'), ...notModified, ...errors },
        },
      },
    },
    components: {
      schemas: {
        Post: item(
          {
            ...entry,
            reading_time: { type: 'integer', minimum: 0 },
            author: link,
            authors: { type: 'array', items: link },
            featured: { type: 'boolean' },
            tags: { type: 'array', items: link },
          },
          POST_FIELDS,
        ),
        Page: item(entry, PAGE_FIELDS),
        Tag: item({ slug: string, name: string, description: string, url: uri, count }, TAG_FIELDS),
        Author: item({ slug: string, name: string, bio: string, profile_image: nullableUri, url: uri, count }, AUTHOR_FIELDS),
        Settings: item(
          { title: string, description: string, locale: string, timezone: string, url: uri, posts_per_page: { type: 'integer', minimum: 1 } },
          SETTINGS_FIELDS,
        ),
        PostsList: listOf('posts', 'Post'),
        PostsItem: oneOf('posts', 'Post'),
        PagesList: listOf('pages', 'Page'),
        PagesItem: oneOf('pages', 'Page'),
        TagsList: listOf('tags', 'Tag'),
        TagsItem: oneOf('tags', 'Tag'),
        AuthorsList: listOf('authors', 'Author'),
        AuthorsItem: oneOf('authors', 'Author'),
        SettingsAnswer: { type: 'object', properties: { settings: ref('Settings') }, required: ['settings'], additionalProperties: false },
        Errors: {
          type: 'object',
          properties: {
            errors: {
              type: 'array',
              minItems: 1,
              items: {
                type: 'object',
                properties: {
                  type: { type: 'string', enum: ['BadRequestError', 'UnauthorizedError', 'NotFoundError', 'TooManyRequestsError'] },
                  message: string,
                  parameter: { type: 'string', description: 'The query parameter at fault (400).' },
                },
                required: ['type', 'message'],
                additionalProperties: false,
              },
            },
          },
          required: ['errors'],
          additionalProperties: false,
        },
      },
      responses: {
        BadRequest: { description: 'A query parameter is malformed, unknown or given twice.', content: errorBody('BadRequestError') },
        Unauthorized: { description: 'No key, or an unknown or revoked one.', content: errorBody('UnauthorizedError') },
        NotFound: { description: 'Nothing public with this slug.', content: errorBody('NotFoundError') },
        TooManyRequests: {
          description: "Over the key's requests per minute.",
          headers: { 'Retry-After': { description: 'Seconds until the next minute window.', schema: { type: 'integer', minimum: 1 } } },
          content: errorBody('TooManyRequestsError'),
        },
      },
      parameters: {
        key: { name: 'key', in: 'query', description: 'The Content API key (or send it as Authorization: Bearer).', schema: string },
        limit: {
          name: 'limit',
          in: 'query',
          description: `Items per page, 1 to ${MAX_LIMIT}.`,
          schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
        },
        cursor: { name: 'cursor', in: 'query', description: 'The previous answer’s meta.next.', schema: string },
      },
      securitySchemes: { queryKey: { type: 'apiKey', in: 'query', name: 'key' }, bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
