import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, customType, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
// Millisecond precision, like a JavaScript Date: values round-trip exactly through cursors and exports.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

export const roles = ['contributor', 'author', 'editor', 'admin'] as const;
export const roleEnum = pgEnum('role', roles);

/**
 * A post's life: draft → review (a contributor asks) → scheduled or published → trash.
 * "Scheduled" and "published" are both public once publish_at has passed; that rule lives in
 * lib/posts/visibility.ts and nowhere else.
 */
export const postStatuses = ['draft', 'review', 'scheduled', 'published', 'trash'] as const;
export const postStatusEnum = pgEnum('post_status', postStatuses);

/**
 * A post is dated and listed (home, tags, authors, feeds, search); a page (About, Contact) is not:
 * it lives at /<slug>, in the sitemap, with the same statuses, revisions, previews and scheduling.
 * Both share one table and one slug namespace, as in Ghost.
 */
export const postKinds = ['post', 'page'] as const;
export const postKindEnum = pgEnum('post_kind', postKinds);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Lower-cased. Authors created by an import have no email and cannot sign in. */
    email: text('email'),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    bio: text('bio').notNull().default(''),
    avatarUrl: text('avatar_url'),
    role: roleEnum('role').notNull().default('contributor'),
    passwordHash: text('password_hash'),
    disabledAt: timestamptz('disabled_at'),
    /**
     * Bumped by a password change, a role change, disabling or a password reset: every session
     * signed with an older version is over at its next request (lib/auth/sessions.ts).
     */
    sessionVersion: integer('session_version').notNull().default(1),
    /**
     * Two-factor sign-in (lib/auth/two-factor.ts): the TOTP secret, AES-256-GCM encrypted with a key
     * derived from AUTH_SECRET (a dump alone gives no codes). Pending while totp_enabled_at is null;
     * totp_last_step is the last accepted time step: a code is never accepted twice.
     */
    totpSecretEnc: text('totp_secret_enc'),
    totpEnabledAt: timestamptz('totp_enabled_at'),
    totpLastStep: integer('totp_last_step'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_key').on(t.email), uniqueIndex('users_slug_key').on(t.slug)],
);

export const posts = pgTable(
  'posts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    kind: postKindEnum('kind').notNull().default('post'),
    title: text('title').notNull(),
    subtitle: text('subtitle').notNull().default(''),
    description: text('description').notNull().default(''),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    status: postStatusEnum('status').notNull().default('draft'),
    /** When the post becomes (or became) public. Null until it is published or scheduled. */
    publishAt: timestamptz('publish_at'),
    /** Set once, the first time the post goes public: the slug stops following the title then. */
    firstPublishedAt: timestamptz('first_published_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    /** Optimistic locking: every save names the version it started from. */
    version: integer('version').notNull().default(1),
    markdown: text('markdown').notNull().default(''),
    html: text('html').notNull().default(''),
    toc: jsonb('toc').$type<{ depth: number; id: string; text: string }[]>().notNull().default([]),
    wordCount: integer('word_count').notNull().default(0),
    readingMinutes: integer('reading_minutes').notNull().default(1),
    /** The author's own "8 mins", which wins over the computed value when set. */
    readTimeOverride: integer('read_time_override'),
    rendererVersion: integer('renderer_version').notNull().default(0),
    /** The plain text above the body's `<!--more-->` ('' without one): cards and feed summaries show it. */
    excerpt: text('excerpt').notNull().default(''),
    heroImage: text('hero_image'),
    heroImageAlt: text('hero_image_alt').notNull().default(''),
    cta: text('cta').notNull().default(''),
    /** Frontmatter keys Broadsheet does not know, kept so an export loses nothing. */
    extra: jsonb('extra').$type<Record<string, unknown>>().notNull().default({}),
    previewToken: text('preview_token'),
    /** "Also send by email": members get the post once, when it first becomes public (lib/newsletters). */
    sendEmail: boolean('send_email').notNull().default(false),
    /** Marked by an editor or admin: the home page leads with featured posts (lib/posts/publication.ts). */
    featured: boolean('featured').notNull().default(false),
    /** The one named series the post belongs to, if any (shown as a numbered list on each of its articles). */
    seriesId: uuid('series_id').references(() => series.id, { onDelete: 'set null' }),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(subtitle, '') || ' ' || coalesce(description, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(markdown, '')), 'C')`,
      ),
  },
  (t) => [
    uniqueIndex('posts_slug_key').on(t.slug),
    uniqueIndex('posts_preview_token_key').on(t.previewToken),
    // The public lists: newest first, keyset-paginated on (publish_at, id).
    index('posts_public_feed_idx')
      .on(t.publishAt.desc(), t.id.desc())
      .where(sql`status in ('published', 'scheduled')`),
    index('posts_public_author_idx')
      .on(t.authorId, t.publishAt.desc(), t.id.desc())
      .where(sql`status in ('published', 'scheduled')`),
    index('posts_search_idx').using('gin', t.search),
    // The editor's lists: by last change, per status, per author.
    index('posts_updated_idx').on(t.updatedAt.desc(), t.id.desc()),
    index('posts_status_updated_idx').on(t.status, t.updatedAt.desc(), t.id.desc()),
    index('posts_author_updated_idx').on(t.authorId, t.updatedAt.desc(), t.id.desc()),
    // Scheduled posts whose time has come count as published in the editor's tallies.
    index('posts_scheduled_due_idx')
      .on(t.publishAt)
      .where(sql`status = 'scheduled'`),
    // The media library's "used by" and the delete guard: the image ids a post's body and hero point
    // at (media_ids_in is defined in the migration that adds this index).
    index('posts_media_ids_idx').using('gin', sql`media_ids_in(${t.markdown}, ${t.heroImage})`),
    // The home page's featured posts, newest first; a series' articles in order.
    index('posts_featured_idx')
      .on(t.publishAt.desc(), t.id.desc())
      .where(sql`featured and status in ('published', 'scheduled')`),
    index('posts_series_idx')
      .on(t.seriesId, t.publishAt, t.id)
      .where(sql`series_id is not null`),
  ],
);

/** A named series of posts ("Part 1, Part 2…"): each post belongs to at most one (posts.series_id). */
export const series = pgTable(
  'series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('series_slug_key').on(t.slug)],
);

/**
 * Every author of a post, in byline order: position 0 is the primary author, always the same person
 * as posts.author_id (who owns the post for permissions). Triggers written in the migration keep
 * position 0 in step with posts.author_id on every insert and update of posts, whoever writes them
 * (the editor, imports, the CLI); lib/posts/publication.ts writes the co-authors after it.
 */
export const postAuthors = pgTable(
  'post_authors',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.userId] }),
    uniqueIndex('post_authors_position_key').on(t.postId, t.position),
    index('post_authors_user_idx').on(t.userId, t.postId),
  ],
);

export const tags = pgTable(
  'tags',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('tags_slug_key').on(t.slug)],
);

/**
 * How many posts each author has in each status, kept by triggers on `posts` (written by hand in
 * the migration that adds this table: drizzle-kit does not manage triggers). The editor's tabs read
 * their tallies here: counting 100,000 posts per page view read the whole status index (9-15 ms of
 * the database's time, growing with the archive). Every insert, update, delete and truncate of
 * posts updates it in the same transaction, so it is never behind what the posts say.
 */
export const postCounts = pgTable(
  'post_counts',
  {
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: postKindEnum('kind').notNull().default('post'),
    status: postStatusEnum('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.authorId, t.kind, t.status] })],
);

export const postTags = pgTable(
  'post_tags',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    tagId: uuid('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
    /** Order of the tags as the author listed them. */
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.postId, t.tagId] }), index('post_tags_tag_idx').on(t.tagId, t.postId)],
);

export const revisionKinds = ['save', 'autosave', 'publish', 'restore', 'import'] as const;
export const revisionKindEnum = pgEnum('revision_kind', revisionKinds);

/** A snapshot of a post's writable fields, kept on explicit saves, publishes and (sparsely) autosaves. */
export const postRevisions = pgTable(
  'post_revisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    kind: revisionKindEnum('kind').notNull(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    markdown: text('markdown').notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('post_revisions_post_idx').on(t.postId, t.createdAt.desc())],
);

/** Old slugs of renamed posts: /posts/old answers 301 to the current slug. */
export const slugRedirects = pgTable('slug_redirects', {
  slug: text('slug').primaryKey(),
  postId: uuid('post_id')
    .notNull()
    .references(() => posts.id, { onDelete: 'cascade' }),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/** One row of site-wide settings an admin edits; the environment gives the defaults. */
export const siteSettings = pgTable('site_settings', {
  id: integer('id').primaryKey().default(1),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  defaultCta: text('default_cta').notNull().default(''),
  timeZone: text('time_zone').notNull().default('UTC'),
  postsPerPage: integer('posts_per_page').notNull().default(10),
  /** Admins and editors without two-factor sign-in can do nothing but set it up (lib/auth/viewer.ts). */
  requireTwoFactor: boolean('require_two_factor').notNull().default(false),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamptz('at').notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
  },
  (t) => [index('audit_log_at_idx').on(t.at.desc()), index('audit_log_action_idx').on(t.action, t.at.desc())],
);

/** Failed sign-ins per account and per IP, kept in PostgreSQL so limits hold across restarts and instances. */
export const loginThrottle = pgTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamptz('last_failure_at').notNull().defaultNow(),
  lockedUntil: timestamptz('locked_until'),
});

/** One-time links to set a password (invites, and password resets valid an hour), stored hashed. */
export const passwordTokens = pgTable(
  'password_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `invite` or `reset`. */
    purpose: text('purpose').notNull().default('invite'),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [index('password_tokens_user_idx').on(t.userId)],
);

/** Ten one-time recovery codes per user with two-factor sign-in, stored as SHA-256 hashes; each works once. */
export const userRecoveryCodes = pgTable(
  'user_recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('user_recovery_codes_user_hash_key').on(t.userId, t.codeHash)],
);

/**
 * A signed-in device: the session cookie carries its id and the user's session version, checked on
 * every request. Revoked by "sign out" (this one), "sign out everywhere" (all of the user's), or
 * made stale by a bump of users.session_version.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    lastSeenAt: timestamptz('last_seen_at').notNull().defaultNow(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent').notNull().default(''),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId, t.lastSeenAt.desc())],
);

/**
 * Uploaded images. The bytes live in a storage driver (PostgreSQL by default: media_blobs), under
 * `storage_key` for the cleaned original and `storage_key/<variant>` for generated sizes.
 */
export const media = pgTable(
  'media',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storageKey: text('storage_key').notNull(),
    /** The uploader's file name, cleaned: shown in the library and used in the URL. */
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    alt: text('alt').notNull().default(''),
    /** SHA-256 of the cleaned original: the same image uploaded twice is stored once. */
    sha256: text('sha256').notNull(),
    uploaderId: uuid('uploader_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('media_storage_key_key').on(t.storageKey),
    index('media_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('media_sha256_idx').on(t.sha256),
    // The library's search (a substring of the file name or alt text): trigram indexes, so a search
    // reads the matching images, not all of them (pg_trgm is created by the migration that adds these).
    index('media_filename_search_idx').using('gin', t.filename.op('gin_trgm_ops')),
    index('media_alt_search_idx').using('gin', t.alt.op('gin_trgm_ops')),
  ],
);

/**
 * oEmbed answers for the link cards of embeds (lib/embeds), one row per URL as authors write it, so a
 * re-save or a re-render never asks the provider again. `thumbnail_media_id` is our copy of the
 * provider's thumbnail (a media row, stored like an upload). A failed resolution is kept with its
 * reason and `checked_at`: the next explicit save tries again (autosaves after a minute).
 */
export const embeds = pgTable('embeds', {
  url: text('url').primaryKey(),
  provider: text('provider').notNull(),
  status: text('status', { enum: ['resolved', 'failed'] }).notNull(),
  title: text('title').notNull().default(''),
  thumbnailMediaId: uuid('thumbnail_media_id').references(() => media.id, { onDelete: 'set null' }),
  error: text('error'),
  checkedAt: timestamptz('checked_at').notNull().defaultNow(),
});

/** The PostgreSQL storage driver's bytes: a database backup is a backup of the site's images. */
export const mediaBlobs = pgTable('media_blobs', {
  key: text('key').primaryKey(),
  contentType: text('content_type').notNull(),
  data: customType<{ data: Buffer }>({ dataType: () => 'bytea' })('data').notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * Addresses that answer a redirect: a WordPress or Ghost site's old URLs after an import, and any an
 * admin adds by hand. `from_path` is normalised (lib/redirects/paths.ts): no trailing slash, and the
 * query kept only for WordPress's `/?p=ID`-style addresses.
 */
export const redirects = pgTable(
  'redirects',
  {
    fromPath: text('from_path').primaryKey(),
    toPath: text('to_path').notNull(),
    statusCode: integer('status_code').notNull().default(301),
    /** 'manual' (an admin) or the import source that made it ('wordpress:…', 'ghost:…'). */
    source: text('source').notNull().default('manual'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [check('redirects_status_code_check', sql`${t.statusCode} in (301, 302)`)],
);

export const navigationMenus = ['primary', 'footer'] as const;
export const navigationMenuEnum = pgEnum('navigation_menu', navigationMenus);

/** The reader site's menus: the primary one in the header, the footer one below every page. */
export const navigationItems = pgTable(
  'navigation_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    menu: navigationMenuEnum('menu').notNull(),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    url: text('url').notNull(),
  },
  (t) => [index('navigation_items_menu_idx').on(t.menu, t.position)],
);

/**
 * What an import made from which record of its source: re-running the same export finds its posts,
 * users, tags and images again instead of making new ones. `source` names the site
 * ('wordpress:https://old.example', 'ghost:https://old.example'); `entity` the kind of record.
 */
export const importKeys = pgTable(
  'import_keys',
  {
    source: text('source').notNull(),
    entity: text('entity').notNull(),
    sourceId: text('source_id').notNull(),
    targetId: uuid('target_id').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.source, t.entity, t.sourceId] })],
);

/**
 * Readers who subscribe by email. Double opt-in: `pending` until the signed link in the one
 * confirmation mail is followed; only `subscribed` members are ever sent posts. `email` is
 * lower-cased and unique: deleting a member erases the address everywhere (deliveries cascade).
 */
export const memberStatuses = ['pending', 'subscribed', 'unsubscribed', 'bounced'] as const;
export const memberStatusEnum = pgEnum('member_status', memberStatuses);

export const members = pgTable(
  'members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    status: memberStatusEnum('status').notNull().default('pending'),
    /** Where the member came from: `form`, `import`, `admin`. */
    source: text('source').notNull().default('form'),
    /** When the member said yes (the confirmation, or the consent date of an imported file). */
    consentAt: timestamptz('consent_at'),
    unsubscribedAt: timestamptz('unsubscribed_at'),
    /** The last confirmation mail: at most one per address per hour. */
    confirmationSentAt: timestamptz('confirmation_sent_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('members_email_key').on(t.email),
    index('members_status_created_idx').on(t.status, t.createdAt.desc(), t.id.desc()),
    index('members_created_idx').on(t.createdAt.desc(), t.id.desc()),
  ],
);

/** Sign-ups per client address (and other counters that must hold across instances): a fixed window. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  hits: integer('hits').notNull().default(0),
  windowStartedAt: timestamptz('window_started_at').notNull().defaultNow(),
});

/**
 * A post sent by email: one row per post, made once, when the post first becomes public with
 * `send_email` on; never again for that post (editing or unpublishing sends nothing).
 */
export const newsletterStatuses = ['sending', 'sent', 'failed'] as const;
export const newsletterStatusEnum = pgEnum('newsletter_status', newsletterStatuses);

export const newsletters = pgTable('newsletters', {
  postId: uuid('post_id')
    .primaryKey()
    .references(() => posts.id, { onDelete: 'cascade' }),
  status: newsletterStatusEnum('status').notNull().default('sending'),
  subject: text('subject').notNull(),
  recipients: integer('recipients').notNull().default(0),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  finishedAt: timestamptz('finished_at'),
});

/**
 * One row per member and newsletter: the database's guarantee that a member gets a post at most
 * once, however many workers run. `sending` with a lease: a worker that dies mid-send leaves rows
 * another worker takes over once `lease_until` has passed.
 */
export const deliveryStatuses = ['pending', 'sending', 'sent', 'failed'] as const;
export const deliveryStatusEnum = pgEnum('delivery_status', deliveryStatuses);

export const newsletterDeliveries = pgTable(
  'newsletter_deliveries',
  {
    postId: uuid('post_id')
      .notNull()
      .references(() => newsletters.postId, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    status: deliveryStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamptz('lease_until'),
    sentAt: timestamptz('sent_at'),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.postId, t.memberId] }),
    index('newsletter_deliveries_open_idx')
      .on(t.postId, t.status)
      .where(sql`status in ('pending', 'sending')`),
    index('newsletter_deliveries_member_idx').on(t.memberId),
  ],
);

/** Where admins want to hear about changes: an http(s) URL, the events it wants, and its signing secret. */
export const webhooks = pgTable('webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  url: text('url').notNull(),
  /** `post.published`, `page.*`, `member.subscribed`… (lib/webhooks/events.ts). */
  events: text('events').array().notNull(),
  secret: text('secret').notNull(),
  description: text('description').notNull().default(''),
  disabledAt: timestamptz('disabled_at'),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});

/**
 * One event for one endpoint, retried by the job queue. `event_key` names the occurrence
 * (`post.published:<post id>:<publish time>`): unique per endpoint, so a job that runs twice fires once.
 */
export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export const webhookDeliveryStatusEnum = pgEnum('webhook_delivery_status', webhookDeliveryStatuses);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    eventKey: text('event_key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: webhookDeliveryStatusEnum('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** The last attempt: HTTP status (null when no answer), when, how long, and the first bytes of the answer or the error. */
    responseStatus: integer('response_status'),
    responseSnippet: text('response_snippet'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    durationMs: integer('duration_ms'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_key').on(t.webhookId, t.eventKey),
    index('webhook_deliveries_webhook_created_idx').on(t.webhookId, t.createdAt.desc()),
  ],
);

/**
 * Keys for the read-only Content API (`/api/content/v1`, lib/content-api). Only the SHA-256 of the
 * token is kept: the token itself is shown once, when the key is made. `prefix` (the token's first
 * characters) lets an admin tell keys apart. Revoked keys stay, for the record, and answer 401.
 */
export const contentApiKeys = pgTable(
  'content_api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    /** Requests per minute this key may make (a fixed window in rate_limits, `content-api:<id>`). */
    rateLimit: integer('rate_limit').notNull().default(600),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    /** Moved at most once a minute by the key check. */
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [uniqueIndex('content_api_keys_token_hash').on(t.tokenHash), check('content_api_keys_rate_limit', sql`${t.rateLimit} between 1 and 100000`)],
);

/**
 * What readers see that changed, and when: the history of every announced change (lib/cache/notify.ts
 * writes a row in the statement that notifies the servers). A starting server reads the last day of it
 * (lib/cache/history.ts) to judge the pages it kept on disk before it stopped. Rows older than two
 * days are removed as new ones come.
 */
export const pageChanges = pgTable(
  'page_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamptz('at')
      .notNull()
      .default(sql`clock_timestamp()`),
    /** `{ posts?: string[], lists?: boolean, all?: boolean }`, as announced. */
    change: jsonb('change').$type<{ posts?: string[]; lists?: boolean; all?: boolean }>().notNull(),
  },
  (t) => [index('page_changes_at_idx').on(t.at)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Post = typeof posts.$inferSelect;
export type NewPost = typeof posts.$inferInsert;
export type Tag = typeof tags.$inferSelect;
export type Series = typeof series.$inferSelect;
export type Role = (typeof roles)[number];
export type Media = typeof media.$inferSelect;
export type PostStatus = (typeof postStatuses)[number];
export type PostKind = (typeof postKinds)[number];
export type NavigationMenu = (typeof navigationMenus)[number];
export type Redirect = typeof redirects.$inferSelect;
export type Member = typeof members.$inferSelect;
export type MemberStatus = (typeof memberStatuses)[number];
export type Webhook = typeof webhooks.$inferSelect;
export type UserSession = typeof userSessions.$inferSelect;
export type ContentApiKey = typeof contentApiKeys.$inferSelect;
