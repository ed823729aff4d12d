/**
 * Reads a WordPress export (WXR 1.0–1.2: RSS 2.0 with the wp:, content:, excerpt: and dc:
 * namespaces) as a stream and returns the normalised bundle. One <item> is held at a time; its body
 * is converted as soon as it closes, except a body whose [gallery] names attachments that come
 * later in the file (converted at the end, when every attachment is known).
 *
 * The XML is hostile: a DOCTYPE declaring entities is refused, and saxes never expands or fetches
 * an entity that XML does not predefine (it fails "undefined entity").
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
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
  type SourceImage,
  type SourceTag,
  type SourceUser,
} from './types';
import { decodeSlug, detach, htmlToText, escapeHtml } from './text';
import { buildNavigation, type RawNavItem } from './wordpress-menus';

export type ImportInput = NodeJS.ReadableStream | AsyncIterable<string | Buffer>;

const WP_NS = /^https?:\/\/wordpress\.org\/export\/1\.[0-2]\/$/;
const EXCERPT_NS = /^https?:\/\/wordpress\.org\/export\/1\.[0-2]\/excerpt\/$/;
const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** An element's name with a fixed prefix whatever the file calls it: `wp:post_id`, `content:encoded`. */
function nameOf(node: SaxesTagNS): string {
  const uri = node.uri;
  if (uri === '') return node.local;
  if (WP_NS.test(uri)) return `wp:${node.local}`;
  if (EXCERPT_NS.test(uri)) return `excerpt:${node.local}`;
  if (uri === CONTENT_NS) return `content:${node.local}`;
  if (uri === DC_NS) return `dc:${node.local}`;
  return `{${uri}}${node.local}`;
}

/** A channel child being read: <item>, <wp:author>, <wp:category>, <wp:tag>, <wp:term>. */
type RawRecord = {
  name: string;
  line: number;
  column: number;
  fields: Map<string, string>;
  categories: { domain: string; nicename: string; name: string }[];
  meta: { key: string; value: string }[];
  commentCount: number;
};

type Attachment = SourceImage & { id: string };

type PendingEntry = {
  entry: SourceEntry;
  /** Set when the body waits for attachments named later in the file. */
  deferredHtml: string | null;
  /** The body being converted (perhaps in a worker thread); null while it is deferred. */
  body: Promise<ConvertedBody> | null;
  thumbnailId: string | null;
};

const DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const NO_DATE = '0000-00-00 00:00:00';
const dateField = z.string().regex(DATE, "expected a date 'YYYY-MM-DD HH:MM:SS'").optional();

/** The fields of an <item> we read; every one is optional in the file and validated here. */
const itemSchema = z.object({
  'wp:post_id': z.string().regex(/^\d+$/, 'expected a numeric post id'),
  'wp:post_type': z.string().default('post'),
  'wp:status': z.string().default('draft'),
  'wp:post_date': dateField,
  'wp:post_date_gmt': dateField,
  'wp:post_modified_gmt': dateField,
  'wp:post_name': z.string().default(''),
  'wp:post_parent': z.string().regex(/^\d+$/, 'expected a numeric post id').optional(),
  'wp:menu_order': z
    .string()
    .regex(/^-?\d+$/, 'expected an integer')
    .optional(),
  'wp:post_password': z.string().default(''),
  'wp:attachment_url': z.string().optional(),
  title: z.string().default(''),
  link: z.string().default(''),
  guid: z.string().default(''),
  'dc:creator': z.string().default(''),
  'content:encoded': z.string().default(''),
  'excerpt:encoded': z.string().default(''),
});
type Item = z.infer<typeof itemSchema>;

const footnotesSchema = z.array(z.object({ id: z.string(), content: z.string() }));

const STATUS: Record<string, PostStatus> = {
  publish: 'published',
  future: 'scheduled',
  draft: 'draft',
  pending: 'review',
  private: 'draft',
  trash: 'trash',
};
const IMAGE_EXT = /\.(jpe?g|png|gif|webp|avif|svg|bmp|tiff?|heic)$/i;
const GALLERY_IDS = /\[gallery\b[^\]]*?\bids\s*=\s*["']?([\d,\s]+)/gi;
const DROPPED_META = /^(_edit_|_wp_old_|_encloseme$|_pingme$)/;

function wpDate(value: string | undefined): Date | null {
  if (value === undefined || value === '' || value === NO_DATE) return null;
  const m = DATE.exec(value)!;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2024-02-31 over into March: a date that does not survive the trip is not one.
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1 ? date : null;
}

/** WordPress's nicename of a login: what its author archive's URL says. */
export function nicename(login: string): string {
  return login.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export async function parseWordPressExport(input: ImportInput, convert: BodyConversion, room?: ReadPacing): Promise<SourceBundle> {
  const warnings: string[] = [];
  const users: SourceUser[] = [];
  const userByLogin = new Map<string, SourceUser>();
  const tags: SourceTag[] = [];
  const tagBySlug = new Map<string, SourceTag>(); // `${taxonomy}:${slug}`
  const tagById = new Set<string>();
  const menus: { slug: string; name: string }[] = [];
  const attachments = new Map<string, Attachment>();
  const pending: PendingEntry[] = [];
  const navItems: RawNavItem[] = [];
  const skippedTypes = new Map<string, number>();

  let siteUrl: string | null = null;
  let baseSiteUrl = '';
  let baseBlogUrl = '';
  let channelLink = '';
  let wxrVersion: string | null = null;
  let sawChannel = false;

  /** The attachments the body's galleries name, those known by now. */
  const converterOptions = (html: string) => {
    const named = new Map<string, SourceImage>();
    for (const id of galleryIds(html)) {
      const a = attachments.get(id);
      if (a) named.set(id, { url: a.url, alt: a.alt, caption: a.caption });
    }
    return { format: 'wordpress' as const, siteUrl, attachments: named };
  };
  const start = (html: string) => settled(convert(html, converterOptions(html)));

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: string[] = [];
  /** The line each open element started on, to say which one a stray close tag left open. */
  const openLines: number[] = [];
  /** The element closed last: on a stray close tag saxes closes the open one first, then fails. */
  let lastClosed = { name: '', line: 0 };
  let record: RawRecord | null = null;
  /** Text of the element being captured, with the depth it was opened at. */
  let capture: string[] | null = null;
  let captureDepth = -1;
  let metaKey = '';
  let metaValue = '';
  let commentApproved = '';

  const fail = (message: string, line = parser.line, column = parser.column + 1): never => {
    throw new ImportFormatError(`line ${line}, column ${column}: ${message}`);
  };

  const menuFor = (slug: string, name: string) => {
    if (!menus.some((m) => m.slug === slug)) menus.push({ slug, name });
  };

  const addTag = (taxonomy: 'category' | 'tag', sourceId: string, slug: string, name: string, description: string) => {
    const key = `${taxonomy}:${slug}`;
    const existing = tagBySlug.get(key);
    if (existing) return existing;
    const tag: SourceTag = { sourceId, slug, name, description, taxonomy, internal: false };
    tags.push(tag);
    tagBySlug.set(key, tag);
    tagById.add(sourceId);
    return tag;
  };

  const userFor = (login: string): SourceUser => {
    let user = userByLogin.get(login);
    if (!user) {
      user = { sourceId: `login:${login}`, email: null, name: login, slug: nicename(login), bio: '', avatarUrl: null };
      users.push(user);
      userByLogin.set(login, user);
      warnings.push(`author "${login}" is named by a post but not declared in the export: imported without an email`);
    }
    return user;
  };

  parser.on('doctype', (doctype) => {
    // saxes only records a DOCTYPE, but one declaring entities is what an expansion or a fetch
    // attack looks like: a WordPress export never has one.
    const startLine = parser.line - (doctype.match(/\n/g)?.length ?? 0);
    if (/<!ENTITY/i.test(doctype)) fail('DOCTYPE with entity declarations is not accepted', startLine, 1);
    if (/\b(SYSTEM|PUBLIC)\b/.test(doctype)) fail('DOCTYPE with an external identifier is not accepted', startLine, 1);
  });

  parser.on('opentag', (node) => {
    const depth = stack.length;
    const name = nameOf(node as SaxesTagNS);
    stack.push(name);
    openLines.push(parser.line);
    if (depth === 0) {
      if (name !== 'rss') fail(`not a WordPress export: the root element is <${node.name}>, expected <rss>`);
      return;
    }
    if (depth === 1) {
      if (name === 'channel') sawChannel = true;
      return;
    }
    if (stack[1] !== 'channel' || capture) return;
    if (depth === 2) {
      if (name === 'item' || name === 'wp:author' || name === 'wp:category' || name === 'wp:tag' || name === 'wp:term') {
        if (name === 'item' && wxrVersion === null) fail('not a WordPress export: <item> before any <wp:wxr_version>');
        record = {
          name,
          line: parser.line,
          column: parser.column + 1,
          fields: new Map(),
          categories: [],
          meta: [],
          commentCount: 0,
        };
      } else if (['title', 'link', 'wp:base_site_url', 'wp:base_blog_url', 'wp:wxr_version'].includes(name)) {
        capture = [];
        captureDepth = depth;
      }
      return;
    }
    if (!record) return;
    if (depth === 3) {
      if (name === 'wp:postmeta') {
        metaKey = metaValue = '';
      } else if (name === 'wp:comment') {
        commentApproved = '';
      } else {
        capture = [];
        captureDepth = depth;
      }
      return;
    }
    if (depth === 4) {
      const parent = stack[3];
      if ((parent === 'wp:postmeta' && (name === 'wp:meta_key' || name === 'wp:meta_value')) || (parent === 'wp:comment' && name === 'wp:comment_approved')) {
        capture = [];
        captureDepth = depth;
      }
    }
  });

  const onText = (text: string) => {
    if (capture) capture.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', (node) => {
    const name = stack.pop()!;
    lastClosed = { name: (node as SaxesTagNS).name, line: openLines.pop()! };
    const depth = stack.length;
    if (capture && depth === captureDepth) {
      const text = capture.join('');
      capture = null;
      captureDepth = -1;
      if (depth === 2) {
        const value = detach(text.trim());
        if (name === 'title') {
          // the site's title: not part of the bundle
        } else if (name === 'link') channelLink = value;
        else if (name === 'wp:base_site_url') baseSiteUrl = value;
        else if (name === 'wp:base_blog_url') baseBlogUrl = value;
        else if (name === 'wp:wxr_version') {
          wxrVersion = value;
          if (!/^1\.[0-2]$/.test(value)) warnings.push(`WXR version ${value} is not one we know (1.0–1.2): read as 1.2`);
        }
        siteUrl = (baseBlogUrl || channelLink || baseSiteUrl).replace(/\/+$/, '') || null;
      } else if (record && depth === 3) {
        if (name === 'category') {
          const attr = (key: string) => (node as SaxesTagNS).attributes[key]?.value ?? '';
          record.categories.push({ domain: attr('domain'), nicename: detach(attr('nicename')), name: detach(text.trim()) });
        } else if (!record.fields.has(name)) {
          // bodies keep their whitespace; a content:encoded is dropped as soon as it is converted
          record.fields.set(name, name === 'content:encoded' ? text : detach(text.trim()));
        }
      } else if (depth === 4) {
        if (name === 'wp:meta_key') metaKey = detach(text.trim());
        else if (name === 'wp:meta_value') metaValue = detach(text);
        else if (name === 'wp:comment_approved') commentApproved = text.trim();
      }
      return;
    }
    if (!record) return;
    if (depth === 3 && name === 'wp:postmeta') {
      if (metaKey) record.meta.push({ key: metaKey, value: metaValue });
    } else if (depth === 3 && name === 'wp:comment') {
      if (commentApproved !== 'spam' && commentApproved !== 'trash') record.commentCount += 1;
    } else if (depth === 2) {
      const done = record;
      record = null;
      finishRecord(done);
    }
  });

  function finishRecord(rec: RawRecord) {
    const f = (key: string) => rec.fields.get(key) ?? '';
    switch (rec.name) {
      case 'wp:author': {
        const login = f('wp:author_login');
        if (!login) fail('<wp:author> without a <wp:author_login>', rec.line, rec.column);
        const id = f('wp:author_id');
        if (id && !/^\d+$/.test(id)) fail(`<wp:author> "${login}": wp:author_id: expected a number`, rec.line, rec.column);
        const fullName = `${f('wp:author_first_name')} ${f('wp:author_last_name')}`.trim();
        const email = f('wp:author_email').toLowerCase();
        const user: SourceUser = {
          sourceId: id || `login:${login}`,
          email: email || null,
          name: f('wp:author_display_name') || fullName || login,
          slug: nicename(login),
          bio: '',
          avatarUrl: null,
        };
        if (userByLogin.has(login)) return;
        users.push(user);
        userByLogin.set(login, user);
        return;
      }
      case 'wp:category':
      case 'wp:tag': {
        const isCategory = rec.name === 'wp:category';
        const id = f('wp:term_id');
        const slug = decodeSlug(f(isCategory ? 'wp:category_nicename' : 'wp:tag_slug'));
        if (!slug) fail(`<${rec.name}> without a slug`, rec.line, rec.column);
        const taxonomy = isCategory ? 'category' : 'tag';
        const name = f(isCategory ? 'wp:cat_name' : 'wp:tag_name') || slug;
        const description = f(isCategory ? 'wp:category_description' : 'wp:tag_description');
        addTag(taxonomy, id ? `${taxonomy}:${id}` : `${taxonomy}:slug:${slug}`, slug, name, description);
        return;
      }
      case 'wp:term': {
        const taxonomy = f('wp:term_taxonomy');
        const id = f('wp:term_id');
        const slug = decodeSlug(f('wp:term_slug'));
        const name = f('wp:term_name') || slug;
        if (taxonomy === 'nav_menu') menuFor(slug, name);
        else if (taxonomy === 'category' || taxonomy === 'post_tag') {
          const t = taxonomy === 'category' ? 'category' : 'tag';
          addTag(t, id ? `${t}:${id}` : `${t}:slug:${slug}`, slug, name, f('wp:term_description'));
        }
        return;
      }
      case 'item':
        finishItem(rec);
    }
  }

  function readItem(rec: RawRecord): Item {
    const parsed = itemSchema.safeParse(Object.fromEntries(rec.fields));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue.path.join('.');
      const id = rec.fields.get('wp:post_id');
      const what = issue.code === 'invalid_type' ? `<${field}> is missing` : `<${field}>: ${issue.message}, got "${String(rec.fields.get(field)).slice(0, 40)}"`;
      fail(`item${id ? ` ${id}` : ''}: ${what}`, rec.line, rec.column);
    }
    return parsed.data!;
  }

  function finishItem(rec: RawRecord) {
    const item = readItem(rec);
    const id = item['wp:post_id'];
    const meta = rec.meta;
    const metaValue = (key: string) => meta.find((m) => m.key === key)?.value;

    if (item['wp:post_type'] === 'attachment') {
      attachments.set(id, {
        id,
        url: item['wp:attachment_url'] ?? item.guid,
        alt: detach((metaValue('_wp_attachment_image_alt') ?? '').trim()),
        caption: detach(htmlToText(item['excerpt:encoded'])),
      });
      return;
    }
    if (item['wp:post_type'] === 'nav_menu_item') {
      if (item['wp:status'] !== 'publish') return;
      const menu = rec.categories.find((c) => c.domain === 'nav_menu');
      if (menu) menuFor(decodeSlug(menu.nicename) || menu.name, menu.name);
      navItems.push({
        sourceId: id,
        line: rec.line,
        title: item.title,
        menuOrder: Number(item['wp:menu_order'] ?? 0),
        menu: menu ? decodeSlug(menu.nicename) || menu.name : null,
        meta: new Map(meta.map((m) => [m.key, m.value.trim()])),
      });
      return;
    }
    const kind = item['wp:post_type'];
    if (kind !== 'post' && kind !== 'page') {
      skippedTypes.set(kind, (skippedTypes.get(kind) ?? 0) + 1);
      return;
    }
    const wpStatus = item['wp:status'];
    if (wpStatus === 'auto-draft' || wpStatus === 'inherit') return;

    const statusNotes: string[] = [];
    let status: PostStatus = STATUS[wpStatus] ?? 'draft';
    if (!(wpStatus in STATUS)) statusNotes.push(`status "${wpStatus}" on the old site: imported as a draft`);
    if (wpStatus === 'private') statusNotes.push('private on the old site: imported as a draft');
    const passwordProtected = item['wp:post_password'] !== '';
    if (passwordProtected && status !== 'trash') {
      status = 'draft';
      statusNotes.push('password-protected: imported as a draft, never public');
    }

    const gmt = wpDate(item['wp:post_date_gmt']);
    const local = wpDate(item['wp:post_date']);
    let publishAt: Date | null = null;
    if (status === 'published' || status === 'scheduled' || status === 'trash') {
      publishAt = gmt;
      if (!publishAt && status !== 'trash') {
        publishAt = local;
        warnings.push(local ? `${kind} ${id}: no wp:post_date_gmt, its local wp:post_date read as UTC` : `${kind} ${id}: ${status} without a date`);
      }
    }

    const extraMeta: Record<string, string | string[]> = {};
    const oldSlugs: string[] = [];
    let thumbnailId: string | null = null;
    let footnotes = '';
    for (const { key, value } of meta) {
      if (key === '_thumbnail_id') thumbnailId = value.trim() || null;
      else if (key === '_wp_old_slug') oldSlugs.push(value.trim());
      else if (key === 'footnotes') {
        footnotes = footnotesHtml(value);
        if (footnotes === '' && value.trim() !== '' && value.trim() !== '[]') {
          warnings.push(`${kind} ${id}: its footnotes meta is not the JSON WordPress writes: kept as meta`);
          extraMeta[key] = value;
        }
      } else if (!DROPPED_META.test(key)) {
        const prev = extraMeta[key];
        extraMeta[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      }
    }

    let html = item['content:encoded'];
    if (footnotes) {
      html = html.includes('<!-- wp:footnotes /-->') ? html.replace('<!-- wp:footnotes /-->', () => footnotes) : `${html}\n${footnotes}`;
    }
    const deferred = galleryIds(html).some((gid) => !attachments.has(gid));

    const tagIds: string[] = [];
    for (const c of rec.categories) {
      const taxonomy = c.domain === 'category' ? 'category' : c.domain === 'post_tag' || c.domain === 'tag' ? 'tag' : null;
      if (!taxonomy) continue;
      const slug = decodeSlug(c.nicename) || nicename(c.name);
      if (!slug) continue;
      const tag = tagBySlug.get(`${taxonomy}:${slug}`) ?? addTag(taxonomy, `${taxonomy}:slug:${slug}`, slug, c.name || slug, '');
      if (!tagIds.includes(tag.sourceId)) tagIds.push(tag.sourceId);
    }

    const creator = item['dc:creator'];
    const authorIds = creator ? [userFor(creator).sourceId] : [];
    const parentId = item['wp:post_parent'] && item['wp:post_parent'] !== '0' ? item['wp:post_parent'] : null;
    const hadPublicAddress = wpStatus !== 'draft' && wpStatus !== 'pending' && !/[?&](p|page_id)=\d/.test(item.link);

    const wordpress: Record<string, unknown> = {
      postId: id,
      guid: item.guid,
      link: item.link,
      menuOrder: Number(item['wp:menu_order'] ?? 0),
      status: wpStatus,
    };
    if (kind === 'page') wordpress.parentId = parentId;
    if (passwordProtected) wordpress.passwordProtected = true;
    if (oldSlugs.length) wordpress.oldSlugs = oldSlugs;
    const extra: Record<string, unknown> = { wordpress };
    if (Object.keys(extraMeta).length) extra.meta = extraMeta;

    pending.push({
      entry: {
        sourceId: id,
        kind,
        title: item.title,
        // WordPress renames a trashed post `slug__trashed` to free its slug
        slug: status === 'trash' ? decodeSlug(item['wp:post_name']).replace(/__trashed(-\d+)?$/, '') : decodeSlug(item['wp:post_name']),
        status,
        statusNotes,
        publishAt,
        createdAt: gmt ?? local,
        updatedAt: wpDate(item['wp:post_modified_gmt']),
        body: { markdown: '', images: [], dropped: [], shortcodes: [] },
        excerpt: detach(htmlToText(item['excerpt:encoded'])),
        authorIds,
        tagIds,
        featureImage: null,
        link: hadPublicAddress && item.link ? item.link : null,
        extra,
        commentCount: rec.commentCount,
      },
      deferredHtml: deferred ? html : null,
      body: deferred ? null : start(html),
      thumbnailId,
    });
  }

  try {
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      if (text) parser.write(text);
      await room?.();
    }
    const tail = decoder.decode();
    if (tail) parser.write(tail);
    parser.close();
  } catch (error) {
    if (error instanceof ImportFormatError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const located = /^(\d+):(\d+): ([\s\S]*)$/.exec(message);
    if (located) {
      let what = located[3].replace(/\.$/, '');
      if (what === 'unexpected close tag') what += `: <${lastClosed.name}> opened on line ${lastClosed.line} is not closed`;
      throw new ImportFormatError(`line ${located[1]}, column ${Number(located[2]) + 1}: ${what}`);
    }
    throw error;
  }

  if (!sawChannel) throw new ImportFormatError('not a WordPress export: no <rss><channel>');
  if (wxrVersion === null) throw new ImportFormatError('not a WordPress export: no <wp:wxr_version> in <channel>');

  // Everything is known now: late bodies, featured images, menu labels.
  const entries: SourceEntry[] = [];
  for (const p of pending) {
    const { entry } = p;
    if (p.deferredHtml !== null) {
      const missing = galleryIds(p.deferredHtml).filter((gid) => !attachments.has(gid));
      if (missing.length) warnings.push(`${entry.kind} ${entry.sourceId}: its gallery names attachments not in the export (${missing.join(', ')})`);
      p.body = start(p.deferredHtml);
      p.deferredHtml = null;
    }
    if (p.thumbnailId) {
      const a = attachments.get(p.thumbnailId);
      if (!a) warnings.push(`${entry.kind} ${entry.sourceId}: its featured image (attachment ${p.thumbnailId}) is not in the export`);
      else if (!IMAGE_EXT.test(new URL(a.url, 'http://x').pathname) && /\.[a-z0-9]{2,5}$/i.test(a.url)) {
        warnings.push(`${entry.kind} ${entry.sourceId}: its featured image (attachment ${a.id}, ${a.url}) is not an image`);
      } else entry.featureImage = { url: a.url, alt: a.alt, caption: a.caption };
    }
    entries.push(entry);
  }
  for (const p of pending) p.entry.body = await p.body!;
  for (const [type, count] of skippedTypes) warnings.push(`skipped ${count} item(s) of post type "${type}"`);

  return {
    source: 'wordpress',
    siteUrl,
    users,
    tags,
    entries,
    navigation: buildNavigation(navItems, menus, entries, tags, tagById, warnings),
    warnings,
  };
}

function galleryIds(html: string): string[] {
  if (!html.includes('[gallery')) return [];
  const ids: string[] = [];
  for (const m of html.matchAll(GALLERY_IDS)) {
    for (const id of m[1].split(',')) if (id.trim()) ids.push(id.trim());
  }
  return ids;
}

/** WordPress 6.3+ keeps footnotes in a meta, as JSON; its footnotes block renders them like this. */
function footnotesHtml(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return '';
  }
  const parsed = footnotesSchema.safeParse(value);
  if (!parsed.success || parsed.data.length === 0) return '';
  const items = parsed.data.map((n) => {
    const id = escapeHtml(n.id);
    return `<li id="${id}">${n.content} <a href="#${id}-link">↩︎</a></li>`;
  });
  return `<ol class="wp-block-footnotes">${items.join('')}</ol>`;
}
