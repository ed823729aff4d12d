import 'server-only';
import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb } from '@/db/client';
import {
  importKeys,
  media,
  navigationItems,
  posts,
  postRevisions,
  redirects,
  slugRedirects,
  tags,
  users,
  type NavigationMenu,
  type PostStatus,
} from '@/db/schema';
import { recordAudit } from '@/lib/audit/mutations';
import { imageUrlSchema, MAX_TEXT, MAX_TITLE } from '@/lib/content/frontmatter';
import { env } from '@/lib/env';
import { MarkdownTooLargeError } from '@/lib/markdown';
import { getStorage } from '@/lib/media/storage';
import { mediaUrl } from '@/lib/media/urls';
import { isReservedPageSlug } from '@/lib/posts/reserved-slugs';
import { renderedColumns } from '@/lib/posts/render';
import { isTooLongForSearchIndex, SEARCH_INDEX_REFUSAL } from '@/lib/posts/schemas';
import { setPostTags, type Tx } from '@/lib/tags/mutations';
import { MAX_SLUG_LENGTH, slugify, SLUG_PATTERN } from '@/lib/slug';
import { uniqueUserSlug } from '@/lib/users/mutations';
import { convertBody } from './html';
import { fetchImages, isOnSite, type FetchedImage } from './media';
import { oldAddresses, onSitePath, type Placed } from './old-urls';
import { normalizeRedirectPath } from '@/lib/redirects/paths';
import { emptyReport, type EntryLine, type ImportProgress, type ImportReport, type Outcome } from './report';
import { parseGhostExport } from './ghost';
import { parseWordPressExport } from './wordpress';
import type { BodyConverter, ImportSourceKind, SourceBundle, SourceEntry, SourceNavItem } from './types';

/** One import at a time on a database: two would race for the same slugs and keys. */
const IMPORT_LOCK = 720_454;
const MAX_NAV_ITEMS = 30;
const MAX_NAV_LABEL = 80;
const MAX_TAGS = 30;
const MAX_TAG_NAME = 60;

export type ImportOptions = {
  from: ImportSourceKind;
  input: NodeJS.ReadableStream | AsyncIterable<string | Buffer>;
  /** Plan everything in a transaction, report it, and roll it back. */
  dryRun: boolean;
  /** Download the old site's own images and store them as media (`--no-media`: keep them remote). */
  media: boolean;
  /** The old site's address when the export does not say (Ghost), or to override it. */
  siteUrl?: string | null;
  /** Who imports (null from the command line). */
  actorId: string | null;
  onProgress?: (progress: ImportProgress) => void;
};

class DryRunRollback extends Error {}

/** Reads an export and converts its bodies as they stream past. */
export async function readExport(options: Pick<ImportOptions, 'from' | 'input' | 'siteUrl'>): Promise<SourceBundle> {
  const override = options.siteUrl ? options.siteUrl.replace(/\/+$/, '') : null;
  const convert: BodyConverter = (html, converterOptions) =>
    convertBody(html, { ...converterOptions, siteUrl: override ?? converterOptions.siteUrl });
  const parse = options.from === 'wordpress' ? parseWordPressExport : parseGhostExport;
  const bundle = await parse(options.input, convert);
  const siteUrl = override ?? bundle.siteUrl;
  // Ghost writes its own address as a placeholder; bodies were resolved by the converter.
  const resolve = (url: string) => url.replace(/^__GHOST_URL__/, siteUrl ?? '');
  for (const entry of bundle.entries) if (entry.featureImage) entry.featureImage.url = resolve(entry.featureImage.url);
  for (const user of bundle.users) if (user.avatarUrl) user.avatarUrl = resolve(user.avatarUrl);
  return { ...bundle, siteUrl };
}

/**
 * Imports a WordPress or Ghost export in ONE transaction: users, tags, posts and pages, the old
 * site's images, menus and a redirect from every old public address. Keyed by the source's ids
 * (import_keys), so the same export again changes nothing and a newer one updates what changed.
 * Throws ImportFormatError (nothing imported) for a file that cannot be read.
 */
export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const bundle = await readExport(options);
  const report = emptyReport(bundle.source, bundle.siteUrl, options.dryRun);
  report.problems.push(...bundle.warnings);
  report.totals.comments = bundle.entries.reduce((sum, entry) => sum + entry.commentCount, 0);
  options.onProgress?.({ phase: 'reading', done: bundle.entries.length, total: bundle.entries.length });

  const fetched = await fetchSiteImages(bundle, options, report);
  const sourceName = `${bundle.source}:${bundle.siteUrl ?? 'unknown'}`;
  const stored: string[] = [];
  try {
    await getDb().transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
      const writer = new Writer(tx, sourceName, bundle, report, options);
      await writer.loadKeys();
      const mediaUrls = await writer.storeMedia(fetched, stored);
      const placed = await writer.placeUsersAndTags();
      await writer.writeEntries(mediaUrls, placed);
      await writer.writeRedirects(placed);
      await writer.writeNavigation(placed);
      await recordAudit(
        {
          actorId: options.actorId,
          action: options.dryRun ? 'import.dry-run' : 'import.run',
          targetType: 'import',
          targetId: sourceName.slice(0, 200),
          detail: { totals: report.totals, problems: report.entries.filter((e) => e.problems.length > 0).length },
        },
        tx,
      );
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) {
      // The rows never committed: do not leave their image bytes behind.
      const storage = getStorage();
      await Promise.all(stored.map((key) => storage.delete(key).catch(() => undefined)));
      throw error;
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}

/** The old site's own images, fetched and cleaned; everything else is listed as left remote. */
async function fetchSiteImages(bundle: SourceBundle, options: ImportOptions, report: ImportReport): Promise<Map<string, FetchedImage>> {
  const all = new Set<string>();
  for (const entry of bundle.entries) {
    for (const url of entry.body.images) all.add(url);
    if (entry.featureImage?.url) all.add(entry.featureImage.url);
  }
  const wanted: string[] = [];
  for (const url of all) {
    if (!/^https?:\/\//i.test(url)) {
      if (!url.startsWith('/media/')) report.remoteImages.push({ url, reason: 'a relative address, and the export names no site to fetch it from (use --site-url)' });
    } else if (!isOnSite(url, bundle.siteUrl)) {
      report.remoteImages.push({ url, reason: 'on another site' });
    } else if (!options.media) {
      report.remoteImages.push({ url, reason: 'kept remote (--no-media)' });
    } else {
      wanted.push(url);
    }
  }
  const outcomes = await fetchImages(wanted, {
    maxBytes: env().MEDIA_MAX_BYTES,
    onDone: (done, total) => options.onProgress?.({ phase: 'images', done, total }),
  });
  const fetched = new Map<string, FetchedImage>();
  for (const outcome of outcomes.values()) {
    if ('error' in outcome) {
      report.remoteImages.push({ url: outcome.url, reason: `could not be downloaded: ${outcome.error}` });
      report.totals.media.skipped += 1;
    } else {
      fetched.set(outcome.url, outcome);
    }
  }
  return fetched;
}

const isHttpUrl = (value: string | null | undefined): value is string => !!value && /^https?:\/\/[^\s"'<>\\]+$/i.test(value);

function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function clip(text: string, max: number, what: string, problems: string[]): string {
  if (text.length <= max) return text;
  problems.push(`${what} was longer than ${max} characters: shortened`);
  return text.slice(0, max);
}

/** Replaces every exact occurrence of each old URL (longest first, so no URL eats a longer one). */
function rewriteUrls(markdown: string, urls: Map<string, string>): string {
  if (urls.size === 0) return markdown;
  let out = markdown;
  for (const [from, to] of [...urls].sort((a, b) => b[0].length - a[0].length)) {
    if (!out.includes(from)) continue;
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`${escaped}(?=[\\s)"'<>\\]]|$)`, 'g'), to);
  }
  return out;
}

const stableJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** The import's writes, in order, inside its transaction. */
class Writer {
  private keys = new Map<string, string>();
  private takenSlugs = new Set<string>();

  constructor(
    private tx: Tx,
    private source: string,
    private bundle: SourceBundle,
    private report: ImportReport,
    private options: ImportOptions,
  ) {}

  async loadKeys(): Promise<void> {
    const rows = await this.tx
      .select({ entity: importKeys.entity, sourceId: importKeys.sourceId, targetId: importKeys.targetId })
      .from(importKeys)
      .where(eq(importKeys.source, this.source));
    for (const row of rows) this.keys.set(`${row.entity}:${row.sourceId}`, row.targetId);
    const slugs = await this.tx.execute<{ slug: string }>(sql`select slug from ${posts} union all select slug from ${slugRedirects}`);
    for (const row of slugs.rows) this.takenSlugs.add(row.slug);
  }

  private async remember(entity: string, sourceId: string, targetId: string): Promise<void> {
    this.keys.set(`${entity}:${sourceId}`, targetId);
    await this.tx
      .insert(importKeys)
      .values({ source: this.source, entity, sourceId, targetId })
      .onConflictDoUpdate({ target: [importKeys.source, importKeys.entity, importKeys.sourceId], set: { targetId } });
  }

  /** Each fetched image becomes (or finds) a media item; returns old URL → our URL. */
  async storeMedia(fetched: Map<string, FetchedImage>, stored: string[]): Promise<Map<string, string>> {
    const urls = new Map<string, string>();
    const storage = getStorage();
    const tally = this.report.totals.media;
    for (const [url, { image, filename }] of fetched) {
      const keyed = this.keys.get(`media:${url}`);
      const find = async (where: SQL) =>
        (
          await this.tx
            .select({ id: media.id, width: media.width, height: media.height, filename: media.filename })
            .from(media)
            .where(where)
            .orderBy(asc(media.createdAt))
            .limit(1)
        )[0];
      // The image this URL became last time, else the same bytes uploaded or imported before.
      let ref = (keyed ? await find(eq(media.id, keyed)) : undefined) ?? (await find(eq(media.sha256, image.sha256)));
      if (ref) {
        tally.unchanged += 1;
      } else {
        const id = randomUUID();
        if (!this.options.dryRun) {
          await storage.put(id, image.data, image.contentType);
          stored.push(id);
        }
        await this.tx.insert(media).values({
          id,
          storageKey: id,
          filename,
          contentType: image.contentType,
          bytes: image.data.length,
          width: image.width,
          height: image.height,
          alt: this.altFor(url),
          sha256: image.sha256,
          uploaderId: this.options.actorId,
        });
        ref = { id, width: image.width, height: image.height, filename };
        tally.created += 1;
      }
      if (keyed !== ref.id) await this.remember('media', url, ref.id);
      urls.set(url, mediaUrl(ref));
    }
    return urls;
  }

  /** The first alt text the export gives an image (the library shows it). */
  private altFor(url: string): string {
    for (const entry of this.bundle.entries) {
      if (entry.featureImage?.url === url && entry.featureImage.alt) return entry.featureImage.alt.slice(0, MAX_TEXT);
    }
    return '';
  }

  async placeUsersAndTags(): Promise<Placed> {
    const placed: Placed = { entries: new Map(), tags: new Map(), users: new Map() };
    const tally = this.report.totals.users;
    for (const user of this.bundle.users) {
      const keyed = this.keys.get(`user:${user.sourceId}`);
      let [row] = keyed ? await this.tx.select({ id: users.id, slug: users.slug }).from(users).where(eq(users.id, keyed)) : [];
      if (row) {
        tally.unchanged += 1;
      } else {
        // Matched to an account by email: their posts become that person's.
        [row] = user.email ? await this.tx.select({ id: users.id, slug: users.slug }).from(users).where(eq(users.email, user.email)) : [];
        if (row) {
          tally.unchanged += 1;
        } else {
          // Cannot sign in: no email and no password until someone invites them.
          const name = (user.name.trim() || user.slug || 'Imported author').slice(0, 200);
          const slug = await uniqueUserSlug(this.tx, slugify(user.slug || name, 'author'));
          [row] = await this.tx
            .insert(users)
            .values({ name, slug, role: 'author', bio: user.bio.slice(0, MAX_TEXT), avatarUrl: isHttpUrl(user.avatarUrl) ? user.avatarUrl : null })
            .returning({ id: users.id, slug: users.slug });
          tally.created += 1;
        }
        await this.remember('user', user.sourceId, row.id);
      }
      placed.users.set(user.sourceId, row.slug);
    }
    const tagTally = this.report.totals.tags;
    for (const tag of this.bundle.tags) {
      if (tag.internal) continue;
      const name = tag.name.trim().slice(0, MAX_TAG_NAME) || tag.slug;
      const keyed = this.keys.get(`tag:${tag.sourceId}`);
      let [row] = keyed ? await this.tx.select({ id: tags.id, slug: tags.slug }).from(tags).where(eq(tags.id, keyed)) : [];
      if (!row) {
        const slug = slugify(name, 'tag');
        [row] = await this.tx.select({ id: tags.id, slug: tags.slug }).from(tags).where(eq(tags.slug, slug));
        if (row) {
          tagTally.unchanged += 1;
        } else {
          [row] = await this.tx
            .insert(tags)
            .values({ name, slug, description: plainText(tag.description).slice(0, MAX_TEXT) })
            .returning({ id: tags.id, slug: tags.slug });
          tagTally.created += 1;
        }
        await this.remember('tag', tag.sourceId, row.id);
      } else {
        tagTally.unchanged += 1;
      }
      placed.tags.set(tag.sourceId, row.slug);
    }
    return placed;
  }

  private async fallbackAuthor(): Promise<string> {
    const keyed = this.keys.get('user:(none)');
    if (keyed) return keyed;
    const slug = await uniqueUserSlug(this.tx, 'imported-author');
    const [row] = await this.tx.insert(users).values({ name: 'Imported author', slug, role: 'author' }).returning({ id: users.id });
    this.report.totals.users.created += 1;
    await this.remember('user', '(none)', row.id);
    return row.id;
  }

  /** A slug nobody has (posts, pages, old slugs, and for pages the site's own routes). */
  private claimSlug(entry: SourceEntry, problems: string[]): string {
    let wanted = entry.slug;
    try {
      wanted = decodeURIComponent(wanted);
    } catch {
      // keep it as it was
    }
    const base = SLUG_PATTERN.test(wanted) && wanted.length <= MAX_SLUG_LENGTH ? wanted : slugify(wanted || entry.title, entry.kind);
    const free = (slug: string) => !this.takenSlugs.has(slug) && !(entry.kind === 'page' && isReservedPageSlug(slug));
    let slug = base;
    for (let n = 2; !free(slug); n += 1) slug = `${base.slice(0, MAX_SLUG_LENGTH - 1 - String(n).length)}-${n}`;
    if (slug !== base) {
      const why = entry.kind === 'page' && isReservedPageSlug(base) ? 'is used by the site itself' : 'was taken';
      problems.push(`slug "${base}" ${why}: imported as "${slug}"`);
    }
    this.takenSlugs.add(slug);
    return slug;
  }

  async writeEntries(mediaUrls: Map<string, string>, placed: Placed): Promise<void> {
    const userIds = new Map<string, string>();
    for (const user of this.bundle.users) {
      const id = this.keys.get(`user:${user.sourceId}`);
      if (id) userIds.set(user.sourceId, id);
    }
    const tagNames = new Map<string, string>();
    const internalTags = new Map<string, string>();
    for (const tag of this.bundle.tags) {
      if (tag.internal) internalTags.set(tag.sourceId, tag.name);
      else tagNames.set(tag.sourceId, tag.name.trim().slice(0, MAX_TAG_NAME) || tag.slug);
    }
    const remoteReasons = new Map(this.report.remoteImages.map((image) => [image.url, image.reason]));
    const total = this.bundle.entries.length;
    for (const [index, entry] of this.bundle.entries.entries()) {
      const line = await this.writeEntry(entry, { mediaUrls, userIds, tagNames, internalTags, remoteReasons });
      this.report.entries.push(line);
      this.report.totals[entry.kind === 'page' ? 'pages' : 'posts'][line.outcome] += 1;
      if (line.path && line.outcome !== 'skipped') {
        placed.entries.set(entry.sourceId, { path: line.path, public: line.status === 'published' || line.status === 'scheduled' });
      }
      if (index % 50 === 49 || index === total - 1) this.options.onProgress?.({ phase: 'writing', done: index + 1, total });
    }
  }

  private async writeEntry(
    entry: SourceEntry,
    context: {
      mediaUrls: Map<string, string>;
      userIds: Map<string, string>;
      tagNames: Map<string, string>;
      internalTags: Map<string, string>;
      remoteReasons: Map<string, string>;
    },
  ): Promise<EntryLine> {
    const problems = [...entry.statusNotes];
    for (const dropped of entry.body.dropped) problems.push(`removed, as the sanitiser would: ${dropped}`);
    for (const shortcode of entry.body.shortcodes) problems.push(`shortcode kept as text: ${shortcode}`);
    for (const url of entry.body.images) {
      const reason = context.remoteReasons.get(url);
      if (reason && reason !== 'on another site') problems.push(`image ${url} ${reason}`);
    }
    const title = clip(entry.title.trim() || '(untitled)', MAX_TITLE, 'the title', problems);
    const line: EntryLine = { sourceId: entry.sourceId, kind: entry.kind, title, path: '', status: entry.status, outcome: 'skipped', problems };

    const markdown = rewriteUrls(entry.body.markdown, context.mediaUrls);
    let heroImage: string | null = null;
    if (entry.featureImage?.url) {
      const url = context.mediaUrls.get(entry.featureImage.url) ?? entry.featureImage.url;
      if (imageUrlSchema.safeParse(url).success && url) heroImage = url;
      else problems.push(`the feature image ${entry.featureImage.url.slice(0, 200)} is not an http(s) address: left out`);
    }
    let status: PostStatus = entry.status;
    let publishAt = entry.publishAt;
    if ((status === 'published' || status === 'scheduled') && !publishAt) {
      publishAt = entry.createdAt ?? new Date();
      problems.push('published without a date: dated from its creation');
    }
    const names = entry.tagIds.map((id) => context.tagNames.get(id)).filter((name): name is string => !!name);
    const uniqueNames = [...new Map(names.map((name) => [slugify(name, 'tag'), name])).values()];
    if (uniqueNames.length > MAX_TAGS) problems.push(`${uniqueNames.length} tags: only the first ${MAX_TAGS} kept`);
    const tagList = entry.kind === 'page' ? [] : uniqueNames.slice(0, MAX_TAGS);
    const authorIds = entry.authorIds.map((id) => context.userIds.get(id)).filter((id): id is string => !!id);
    const authorId = authorIds[0] ?? (await this.fallbackAuthor());
    if (authorIds.length === 0) problems.push('no known author: credited to "Imported author"');

    const extra: Record<string, unknown> = { ...entry.extra };
    if (entry.featureImage?.caption) extra.featureImageCaption = entry.featureImage.caption;
    const internal = entry.tagIds.map((id) => context.internalTags.get(id)).filter(Boolean);
    if (internal.length > 0) extra.internalTags = internal;
    if (entry.kind === 'page' && uniqueNames.length > 0) extra.tags = uniqueNames;
    if (authorIds.length > 1) extra.coAuthors = entry.authorIds.slice(1);

    const values = {
      kind: entry.kind,
      title,
      description: clip(plainText(entry.excerpt), MAX_TEXT, 'the excerpt', problems),
      authorId,
      status,
      publishAt,
      firstPublishedAt: status === 'published' || status === 'scheduled' ? publishAt : null,
      markdown,
      heroImage,
      heroImageAlt: clip(entry.featureImage?.alt ?? '', MAX_TEXT, 'the feature image alt text', problems),
    };
    const fingerprint = createHash('sha256')
      .update(stableJson({ ...values, tags: tagList, extra, createdAt: entry.createdAt }))
      .digest('base64url');
    extra.import = { source: this.source, id: entry.sourceId };

    let columns: Awaited<ReturnType<typeof renderedColumns>>;
    const keyed = this.keys.get(`post:${entry.sourceId}`);
    const [existing] = keyed
      ? await this.tx.select({ id: posts.id, slug: posts.slug, kind: posts.kind, extra: posts.extra }).from(posts).where(eq(posts.id, keyed))
      : [];
    if (existing && (existing.extra as { import?: { fingerprint?: string } }).import?.fingerprint === fingerprint) {
      line.path = existing.kind === 'page' ? `/${existing.slug}` : `/posts/${existing.slug}`;
      line.outcome = 'unchanged';
      return line;
    }
    try {
      columns = await renderedColumns(markdown);
    } catch (error) {
      if (!(error instanceof MarkdownTooLargeError)) throw error;
      problems.push(`not imported: the body ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`);
      return line;
    }
    extra.import = { source: this.source, id: entry.sourceId, fingerprint };
    try {
      // A savepoint per entry: a body PostgreSQL refuses to index skips that entry, not the import.
      await this.tx.transaction(async (sp) => {
        let postId: string;
        if (existing) {
          if (existing.kind !== entry.kind) problems.push(`was imported as a ${existing.kind}: kept as one`);
          await sp
            .update(posts)
            .set({ ...values, kind: existing.kind, extra, ...columns, ...(entry.createdAt ? { createdAt: entry.createdAt } : {}), updatedAt: sql`now()`, version: sql`${posts.version} + 1` })
            .where(eq(posts.id, existing.id));
          postId = existing.id;
          line.path = existing.kind === 'page' ? `/${existing.slug}` : `/posts/${existing.slug}`;
          line.outcome = 'updated';
        } else {
          const slug = this.claimSlug(entry, problems);
          const [row] = await sp
            .insert(posts)
            .values({ ...values, slug, extra, ...columns, ...(entry.createdAt ? { createdAt: entry.createdAt } : {}), ...(entry.updatedAt ? { updatedAt: entry.updatedAt } : {}) })
            .returning({ id: posts.id });
          postId = row.id;
          await sp
            .insert(importKeys)
            .values({ source: this.source, entity: 'post', sourceId: entry.sourceId, targetId: postId })
            .onConflictDoUpdate({ target: [importKeys.source, importKeys.entity, importKeys.sourceId], set: { targetId: postId } });
          line.path = entry.kind === 'page' ? `/${slug}` : `/posts/${slug}`;
          line.outcome = 'created';
        }
        await setPostTags(sp, postId, tagList);
        const [post] = await sp.select({ version: posts.version }).from(posts).where(eq(posts.id, postId));
        await sp.insert(postRevisions).values({
          postId,
          version: post.version,
          kind: 'import',
          actorId: this.options.actorId,
          title,
          markdown,
          fields: { description: values.description, tags: tagList, status, source: this.source },
        });
      });
    } catch (error) {
      if (!isTooLongForSearchIndex(error)) throw error;
      problems.push(`not imported: ${SEARCH_INDEX_REFUSAL}`);
      line.outcome = 'skipped';
      line.path = '';
    }
    line.status = status;
    return line;
  }

  async writeRedirects(placed: Placed): Promise<void> {
    const tally = this.report.totals.redirects;
    const wanted = oldAddresses(this.bundle, placed);
    for (let start = 0; start < wanted.length; start += 1000) {
      const chunk = wanted.slice(start, start + 1000);
      const existing = new Map(
        (
          await this.tx
            .select({ from: redirects.fromPath, to: redirects.toPath, source: redirects.source, status: redirects.statusCode })
            .from(redirects)
            .where(inArray(redirects.fromPath, chunk.map((pair) => pair.from)))
        ).map((row) => [row.from, row]),
      );
      const fresh = [];
      for (const pair of chunk) {
        const row = existing.get(pair.from);
        if (!row) {
          fresh.push({ fromPath: pair.from, toPath: pair.to, statusCode: 301, source: this.source });
          tally.created += 1;
        } else if (row.source === 'manual') {
          tally.skipped += 1;
          if (row.to !== pair.to) this.report.problems.push(`${pair.from} already redirects to ${row.to} (set by hand): kept, instead of ${pair.to}`);
        } else if (row.to === pair.to && row.status === 301) {
          tally.unchanged += 1;
        } else {
          await this.tx
            .update(redirects)
            .set({ toPath: pair.to, statusCode: 301, source: this.source, updatedAt: sql`now()` })
            .where(eq(redirects.fromPath, pair.from));
          tally.updated += 1;
        }
      }
      if (fresh.length > 0) await this.tx.insert(redirects).values(fresh);
    }
  }

  async writeNavigation(placed: Placed): Promise<void> {
    if (this.bundle.navigation.length === 0) return;
    const tally = this.report.totals.navigation;
    const moved = new Map(oldAddresses(this.bundle, placed).map((pair) => [pair.from, pair.to]));
    const tagPaths = new Map([...placed.tags].map(([id, slug]) => [id, `/tags/${slug}`]));
    for (const menu of ['primary', 'footer'] as NavigationMenu[]) {
      const items = this.bundle.navigation.filter((item) => item.menu === menu).sort((a, b) => a.position - b.position);
      if (items.length === 0) continue;
      const resolved: { label: string; url: string }[] = [];
      for (const item of items) {
        const url = this.navUrl(item, placed, tagPaths, moved);
        if (!url) {
          tally.skipped += 1;
          this.report.problems.push(`menu item "${item.label}" (${menu}) points at nothing that was imported: left out`);
          continue;
        }
        resolved.push({ label: (item.label.trim() || url).slice(0, MAX_NAV_LABEL), url });
      }
      if (resolved.length > MAX_NAV_ITEMS) {
        this.report.problems.push(`the ${menu} menu has ${resolved.length} items: only the first ${MAX_NAV_ITEMS} kept`);
        tally.skipped += resolved.length - MAX_NAV_ITEMS;
        resolved.length = MAX_NAV_ITEMS;
      }
      const current = await this.tx
        .select({ label: navigationItems.label, url: navigationItems.url })
        .from(navigationItems)
        .where(eq(navigationItems.menu, menu))
        .orderBy(asc(navigationItems.position));
      if (stableJson(current) === stableJson(resolved)) {
        tally.unchanged += resolved.length;
        continue;
      }
      await this.tx.delete(navigationItems).where(eq(navigationItems.menu, menu));
      if (resolved.length > 0) {
        await this.tx.insert(navigationItems).values(resolved.map((item, position) => ({ menu, position, ...item })));
      }
      tally[current.length === 0 ? 'created' : 'updated'] += resolved.length;
    }
  }

  private navUrl(item: SourceNavItem, placed: Placed, tagPaths: Map<string, string>, moved: Map<string, string>): string | null {
    const { target } = item;
    if (target.type === 'entry') return placed.entries.get(target.sourceId)?.path ?? null;
    if (target.type === 'tag') return tagPaths.get(target.sourceId) ?? null;
    const path = onSitePath(target.url, this.bundle.siteUrl);
    if (path !== null) {
      const normal = normalizeRedirectPath(path) ?? path;
      return moved.get(normal) ?? normal;
    }
    return isHttpUrl(target.url) ? target.url : null;
  }
}

export type { ImportProgress, Outcome };
