/**
 * A WordPress export (WXR 1.2) of a whole site, written as a stream to a file (never the whole XML
 * in memory): authors, categories and tags, attachments on the export's own host, pages, posts in
 * block markup or classic-editor HTML (headings, lists, quotes, images with captions, [caption]
 * shortcodes), featured images, comments, and a primary and a footer menu. Deterministic for a
 * seed; only the site's address (the image server's port) differs between runs.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { slugify } from '@/lib/slug';
import { createRng, type Rng } from './prng';
import { capitalise, paragraph, sentence, title as headline } from './corpus/text';
import { ADJECTIVES, FIRST_NAMES, LAST_NAMES, NOUNS } from './corpus/vocabulary';

export type WxrOptions = {
  file: string;
  /** The old site, e.g. `http://127.0.0.1:41234`: links, guids and attachment URLs live there. */
  siteUrl: string;
  posts: number;
  seed: number;
  /** Attachments (images), served by the bench's image server as `imagePath(n)`. */
  images: number;
  authors?: number;
  pages?: number;
};

export type WxrSummary = {
  bytes: number;
  posts: number;
  pages: number;
  attachments: number;
  authors: number;
  categories: number;
  tags: number;
  /** Comments that count (spam excluded, as the importer does). */
  comments: number;
  spamComments: number;
  menuItems: number;
  blockPosts: number;
  classicPosts: number;
  words: number;
  statuses: Record<string, number>;
};

/** The path an attachment's image is served at (1-based); the image server reads n back from it. */
export function imagePath(n: number): string {
  const month = String((n % 12) + 1).padStart(2, '0');
  return `/wp-content/uploads/${2016 + (n % 9)}/${month}/photo-${n}.jpg`;
}
export const IMAGE_PATH = /^\/wp-content\/uploads\/\d{4}\/\d{2}\/photo-(\d+)\.jpg$/;

const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeHtml = escapeXml;
const pad = (n: number) => String(n).padStart(2, '0');
const wpDate = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const NO_DATE = '0000-00-00 00:00:00';
/** The old site ran at UTC+1: post_date is local, post_date_gmt UTC. */
const LOCAL_OFFSET_MS = 3_600_000;

/** Writes with back-pressure, batching small strings into ~256 KB writes. */
class Out {
  private stream;
  private buffer: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(file: string) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
  }
  async write(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 256 * 1024) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    this.bytes += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

type Author = { id: number; login: string; first: string; last: string; email: string };
type Term = { id: number; slug: string; name: string; description: string };
type Attachment = { id: number; n: number; url: string; alt: string; caption: string };
type Page = { id: number; slug: string; title: string; parent: number; link: string };

const CATEGORY_NAMES = [
  'News',
  'Opinion',
  'Science',
  'Technology',
  'Culture',
  'Books',
  'Food',
  'Travel',
  'Business',
  'Politics',
  'Climate',
  'Health',
  'Sport',
  'Long Reads',
  'Interviews',
];
const PAGE_TITLES = [
  'About',
  'Contact',
  'Masthead',
  'Privacy Policy',
  'Terms of Use',
  'Advertise',
  'Newsletter',
  'Corrections',
  'Submissions',
  'Jobs',
  'Archive',
  'Support Us',
  'Events',
  'Podcast',
  'Style Guide',
  'Ethics Policy',
  'Accessibility',
  'Press',
  'Partners',
  'Frequently Asked Questions',
];

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/** Inline markup in a sentence: emphasis, strong, a link on the old site or elsewhere. */
function inline(rng: Rng, text: string, siteUrl: string, categories: Term[]): string {
  const r = rng.next();
  const noun = rng.pick(NOUNS);
  if (r < 0.15) return `${text} See <a href="https://example.com/reports/${noun}-${rng.int(1, 99)}">the ${noun} report</a>.`;
  if (r < 0.25) return `${text} More in <a href="${siteUrl}/category/${rng.pick(categories).slug}/">our ${noun} coverage</a>.`;
  if (r < 0.35) return `${text.replace(noun, `<strong>${noun}</strong>`)} It is <em>${rng.pick(ADJECTIVES)}</em>, and that matters.`;
  return text;
}

type BodyContext = { siteUrl: string; categories: Term[]; attachments: Attachment[] };

/** Gutenberg block markup: what WordPress 5+ stores. */
function blockBody(rng: Rng, target: number, ctx: BodyContext): { html: string; words: number } {
  const blocks: string[] = [];
  let count = 0;
  const para = (text: string) => {
    count += words(text);
    blocks.push(`<!-- wp:paragraph -->\n<p>${inline(rng, escapeHtml(text), ctx.siteUrl, ctx.categories)}</p>\n<!-- /wp:paragraph -->`);
  };
  para(paragraph(rng));
  para(paragraph(rng));
  let section = 0;
  while (count < target) {
    section += 1;
    const heading = capitalise(sentence(rng).replace(/[.?]$/, '').split(' ').slice(0, rng.int(3, 7)).join(' '));
    const level = section % 3 === 0 ? 3 : 2;
    blocks.push(
      `<!-- wp:heading${level === 3 ? ' {"level":3}' : ''} -->\n<h${level} class="wp-block-heading">${escapeHtml(heading)}</h${level}>\n<!-- /wp:heading -->`,
    );
    para(paragraph(rng));
    const extra = rng.next();
    if (extra < 0.3) {
      const ordered = rng.chance(0.4);
      const tag = ordered ? 'ol' : 'ul';
      const items = Array.from({ length: rng.int(3, 6) }, () => {
        const s = sentence(rng);
        count += words(s);
        return `<!-- wp:list-item -->\n<li>${escapeHtml(s)}</li>\n<!-- /wp:list-item -->`;
      });
      blocks.push(`<!-- wp:list${ordered ? ' {"ordered":true}' : ''} -->\n<${tag}>${items.join('\n')}</${tag}>\n<!-- /wp:list -->`);
    } else if (extra < 0.45) {
      const s = paragraph(rng, rng.int(1, 3));
      count += words(s);
      blocks.push(
        `<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n<p>${escapeHtml(s)}</p>\n<!-- /wp:paragraph --><cite>${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}</cite></blockquote>\n<!-- /wp:quote -->`,
      );
    }
    if (rng.chance(0.2)) {
      const image = rng.pick(ctx.attachments);
      const caption = rng.chance(0.7) ? `<figcaption class="wp-element-caption">${escapeHtml(image.caption)}</figcaption>` : '';
      blocks.push(
        `<!-- wp:image {"id":${image.id},"sizeSlug":"large","linkDestination":"none"} -->\n<figure class="wp-block-image size-large"><img src="${image.url}" alt="${escapeHtml(image.alt)}" class="wp-image-${image.id}"/>${caption}</figure>\n<!-- /wp:image -->`,
      );
    } else if (rng.chance(0.03)) {
      // An image hot-linked from elsewhere: the import leaves it where it is.
      blocks.push(
        `<!-- wp:image {"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large"><img src="https://images.example.org/${rng.pick(NOUNS)}-${rng.int(1, 500)}.jpg" alt=""/></figure>\n<!-- /wp:image -->`,
      );
    }
    para(paragraph(rng));
  }
  return { html: blocks.join('\n\n'), words: count };
}

/** Classic-editor HTML: paragraphs by blank lines (wpautop), inline tags, [caption] shortcodes. */
function classicBody(rng: Rng, target: number, ctx: BodyContext): { html: string; words: number } {
  const parts: string[] = [];
  let count = 0;
  const para = (text: string) => {
    count += words(text);
    parts.push(inline(rng, escapeHtml(text), ctx.siteUrl, ctx.categories));
  };
  para(paragraph(rng));
  while (count < target) {
    if (rng.chance(0.5)) {
      const heading = capitalise(sentence(rng).replace(/[.?]$/, '').split(' ').slice(0, rng.int(3, 6)).join(' '));
      parts.push(`<h2>${escapeHtml(heading)}</h2>`);
    }
    para(paragraph(rng));
    if (rng.chance(0.2)) {
      const items = Array.from({ length: rng.int(3, 5) }, () => {
        const s = sentence(rng);
        count += words(s);
        return `<li>${escapeHtml(s)}</li>`;
      });
      parts.push(`<ul>\n${items.join('\n')}\n</ul>`);
    }
    if (rng.chance(0.25)) {
      const image = rng.pick(ctx.attachments);
      parts.push(
        `[caption id="attachment_${image.id}" align="aligncenter" width="640"]<img class="size-full wp-image-${image.id}" src="${image.url}" alt="${escapeHtml(image.alt)}" width="640" height="480" /> ${escapeHtml(image.caption)}[/caption]`,
      );
    }
    para(paragraph(rng));
  }
  return { html: parts.join('\n\n'), words: count };
}

export async function writeWxr(options: WxrOptions): Promise<WxrSummary> {
  const rng = createRng(options.seed);
  const site = options.siteUrl.replace(/\/+$/, '');
  const out = new Out(options.file);
  const summary: WxrSummary = {
    bytes: 0,
    posts: 0,
    pages: 0,
    attachments: 0,
    authors: 0,
    categories: 0,
    tags: 0,
    comments: 0,
    spamComments: 0,
    menuItems: 0,
    blockPosts: 0,
    classicPosts: 0,
    words: 0,
    statuses: {},
  };
  let nextId = 1;
  const id = () => nextId++;

  // Authors: distinct names, logins like "ada.okafor" (nicename ada-okafor).
  const authors: Author[] = [];
  const authorRng = rng.fork('authors');
  while (authors.length < (options.authors ?? 8)) {
    const first = authorRng.pick(FIRST_NAMES);
    const last = authorRng.pick(LAST_NAMES);
    const login = `${first}.${last}`.toLowerCase();
    if (authors.some((a) => a.login === login || a.first === first)) continue;
    authors.push({ id: authors.length + 1, login, first, last, email: `${login}@old-site.example` });
  }

  // ~40 terms: 15 categories, 25 tags.
  const termRng = rng.fork('terms');
  let termId = 1;
  const categories: Term[] = CATEGORY_NAMES.map((name) => ({
    id: termId++,
    slug: slugify(name, 'category'),
    name,
    description: `Everything we publish about ${name.toLowerCase()}.`,
  }));
  const tags: Term[] = [];
  for (let i = 0; tags.length < 25; i += 1) {
    const name = i < 15 ? capitalise(NOUNS[i * 7]) : `${capitalise(termRng.pick(ADJECTIVES))} ${capitalise(termRng.pick(NOUNS))}`;
    const slug = slugify(name, 'tag');
    if (tags.some((t) => t.slug === slug) || categories.some((c) => c.slug === slug)) continue;
    tags.push({ id: termId++, slug, name, description: '' });
  }
  const menus = { primary: { id: termId++, slug: 'primary', name: 'Primary' }, footer: { id: termId++, slug: 'footer-menu', name: 'Footer Menu' } };

  await out.write(`<?xml version="1.0" encoding="UTF-8" ?>
<!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your site. -->
<!-- generator="WordPress/6.5.2" created="2025-06-01 12:00" -->
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>

<channel>
	<title>The Old Gazette</title>
	<link>${site}</link>
	<description>A benchmark site, generated</description>
	<pubDate>Sun, 01 Jun 2025 12:00:00 +0000</pubDate>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>${site}</wp:base_site_url>
	<wp:base_blog_url>${site}</wp:base_blog_url>
`);
  for (const a of authors) {
    await out.write(
      `\t<wp:author><wp:author_id>${a.id}</wp:author_id><wp:author_login>${cdata(a.login)}</wp:author_login><wp:author_email>${cdata(a.email)}</wp:author_email><wp:author_display_name>${cdata(`${a.first} ${a.last}`)}</wp:author_display_name><wp:author_first_name>${cdata(a.first)}</wp:author_first_name><wp:author_last_name>${cdata(a.last)}</wp:author_last_name></wp:author>\n`,
    );
  }
  for (const c of categories) {
    await out.write(
      `\t<wp:category>\n\t\t<wp:term_id>${c.id}</wp:term_id>\n\t\t<wp:category_nicename>${cdata(c.slug)}</wp:category_nicename>\n\t\t<wp:category_parent>${cdata('')}</wp:category_parent>\n\t\t<wp:cat_name>${cdata(c.name)}</wp:cat_name>\n\t\t<wp:category_description>${cdata(c.description)}</wp:category_description>\n\t</wp:category>\n`,
    );
  }
  for (const t of tags) {
    await out.write(
      `\t<wp:tag>\n\t\t<wp:term_id>${t.id}</wp:term_id>\n\t\t<wp:tag_slug>${cdata(t.slug)}</wp:tag_slug>\n\t\t<wp:tag_name>${cdata(t.name)}</wp:tag_name>\n\t</wp:tag>\n`,
    );
  }
  for (const m of Object.values(menus)) {
    await out.write(
      `\t<wp:term>\n\t\t<wp:term_id>${m.id}</wp:term_id>\n\t\t<wp:term_taxonomy>${cdata('nav_menu')}</wp:term_taxonomy>\n\t\t<wp:term_slug>${cdata(m.slug)}</wp:term_slug>\n\t\t<wp:term_name>${cdata(m.name)}</wp:term_name>\n\t</wp:term>\n`,
    );
  }
  await out.write('\n\t<generator>https://wordpress.org/?v=6.5.2</generator>\n\n');
  summary.authors = authors.length;
  summary.categories = categories.length;
  summary.tags = tags.length;

  type ItemFields = {
    id: number;
    title: string;
    link: string;
    author: string;
    guid: string;
    content: string;
    excerpt: string;
    date: Date | null;
    modified: Date | null;
    slug: string;
    status: string;
    parent?: number;
    menuOrder?: number;
    type: string;
    password?: string;
    categories?: { domain: string; slug: string; name: string }[];
    meta?: [string, string][];
    extra?: string;
    comments?: string;
  };
  const item = (f: ItemFields) => {
    const gmt = f.date ? wpDate(f.date) : NO_DATE;
    const local = f.date ? wpDate(new Date(f.date.getTime() + LOCAL_OFFSET_MS)) : wpDate(new Date(Date.UTC(2025, 4, 30, 9)));
    const modified = f.modified ?? f.date;
    const pubDate = f.date ? f.date.toUTCString().replace('GMT', '+0000') : 'Mon, 30 Nov -0001 00:00:00 +0000';
    const cats = (f.categories ?? []).map((c) => `\t\t<category domain="${c.domain}" nicename="${escapeXml(c.slug)}">${cdata(c.name)}</category>\n`).join('');
    const meta = (f.meta ?? [])
      .map(
        ([key, value]) =>
          `\t\t<wp:postmeta>\n\t\t\t<wp:meta_key>${cdata(key)}</wp:meta_key>\n\t\t\t<wp:meta_value>${cdata(value)}</wp:meta_value>\n\t\t</wp:postmeta>\n`,
      )
      .join('');
    return `\t<item>
		<title>${cdata(f.title)}</title>
		<link>${escapeXml(f.link)}</link>
		<pubDate>${pubDate}</pubDate>
		<dc:creator>${cdata(f.author)}</dc:creator>
		<guid isPermaLink="false">${escapeXml(f.guid)}</guid>
		<description></description>
		<content:encoded>${cdata(f.content)}</content:encoded>
		<excerpt:encoded>${cdata(f.excerpt)}</excerpt:encoded>
		<wp:post_id>${f.id}</wp:post_id>
		<wp:post_date>${cdata(local)}</wp:post_date>
		<wp:post_date_gmt>${cdata(gmt)}</wp:post_date_gmt>
		<wp:post_modified>${cdata(modified ? wpDate(new Date(modified.getTime() + LOCAL_OFFSET_MS)) : local)}</wp:post_modified>
		<wp:post_modified_gmt>${cdata(modified ? wpDate(modified) : NO_DATE)}</wp:post_modified_gmt>
		<wp:comment_status>${cdata(f.type === 'post' ? 'open' : 'closed')}</wp:comment_status>
		<wp:ping_status>${cdata('closed')}</wp:ping_status>
		<wp:post_name>${cdata(f.slug)}</wp:post_name>
		<wp:status>${cdata(f.status)}</wp:status>
		<wp:post_parent>${f.parent ?? 0}</wp:post_parent>
		<wp:menu_order>${f.menuOrder ?? 0}</wp:menu_order>
		<wp:post_type>${cdata(f.type)}</wp:post_type>
		<wp:post_password>${cdata(f.password ?? '')}</wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
${f.extra ?? ''}${cats}${meta}${f.comments ?? ''}	</item>
`;
  };

  // Attachments: the old site's uploads, on its own host.
  const attachmentRng = rng.fork('attachments');
  const attachments: Attachment[] = [];
  for (let n = 1; n <= options.images; n += 1) {
    const noun = attachmentRng.pick(NOUNS);
    const a: Attachment = {
      id: id(),
      n,
      url: `${site}${imagePath(n)}`,
      alt: `A ${attachmentRng.pick(ADJECTIVES)} ${noun}`,
      caption: capitalise(`${attachmentRng.pick(ADJECTIVES)} ${noun}, photographed by ${attachmentRng.pick(FIRST_NAMES)} ${attachmentRng.pick(LAST_NAMES)}.`),
    };
    attachments.push(a);
    const date = new Date(Date.UTC(2016 + (n % 9), n % 12, 1 + (n % 28), 10));
    const file = imagePath(n).replace('/wp-content/uploads/', '');
    await out.write(
      item({
        id: a.id,
        title: `photo-${n}`,
        link: `${site}/photo-${n}/`,
        author: attachmentRng.pick(authors).login,
        guid: a.url,
        content: '',
        excerpt: a.caption,
        date,
        modified: date,
        slug: `photo-${n}`,
        status: 'inherit',
        type: 'attachment',
        extra: `\t\t<wp:attachment_url>${cdata(a.url)}</wp:attachment_url>\n`,
        meta: [
          ['_wp_attached_file', file],
          ['_wp_attachment_image_alt', a.alt],
          ['_wp_attachment_metadata', `a:3:{s:5:"width";i:64;s:6:"height";i:48;s:4:"file";s:${file.length}:"${file}";}`],
        ],
      }),
    );
  }
  summary.attachments = attachments.length;
  const ctx: BodyContext = { siteUrl: site, categories, attachments };

  // Pages: the site's fixed pages, a few of them children of "About".
  const pageRng = rng.fork('pages');
  const pages: Page[] = [];
  for (const [i, pageTitle] of PAGE_TITLES.slice(0, options.pages ?? 20).entries()) {
    const pageId = id();
    const parent = i > 0 && i % 6 === 0 ? pages[0] : null;
    const slug = slugify(pageTitle, 'page');
    const link = parent ? `${site}/${parent.slug}/${slug}/` : `${site}/${slug}/`;
    pages.push({ id: pageId, slug, title: pageTitle, parent: parent?.id ?? 0, link });
    const body = blockBody(pageRng, pageRng.int(150, 500), ctx);
    summary.words += body.words;
    const status = i === PAGE_TITLES.length - 1 ? 'draft' : 'publish';
    const date = new Date(Date.UTC(2015, 0, 5 + i, 9));
    summary.pages += 1;
    summary.statuses[`page:${status}`] = (summary.statuses[`page:${status}`] ?? 0) + 1;
    await out.write(
      item({
        id: pageId,
        title: pageTitle,
        link: status === 'draft' ? `${site}/?page_id=${pageId}` : link,
        author: authors[0].login,
        guid: `${site}/?page_id=${pageId}`,
        content: body.html,
        excerpt: '',
        date: status === 'draft' ? null : date,
        modified: new Date(date.getTime() + 86_400_000 * pageRng.int(1, 400)),
        slug: status === 'draft' ? '' : slug,
        status,
        parent: parent?.id ?? 0,
        menuOrder: i,
        type: 'page',
        meta: [
          ['_wp_page_template', 'default'],
          ['_edit_last', '1'],
        ],
      }),
    );
  }

  // Posts, oldest first, over ten years; statuses mostly publish.
  const postRng = rng.fork('posts');
  const usedSlugs = new Set<string>(pages.map((p) => p.slug));
  const start = Date.UTC(2015, 0, 1);
  const span = Date.UTC(2025, 4, 1) - start;
  let commentId = 1;
  const samplePosts: { id: number; title: string }[] = [];
  for (let i = 0; i < options.posts; i += 1) {
    const postId = id();
    const r = postRng.next();
    const status = r < 0.86 ? 'publish' : r < 0.91 ? 'draft' : r < 0.94 ? 'future' : r < 0.97 ? 'pending' : 'private';
    const password = status === 'publish' && postRng.chance(0.005) ? 'letmein' : '';
    const date =
      status === 'future'
        ? new Date(Date.UTC(2030, 0, 1) + postRng.int(0, 365 * 86_400) * 1000)
        : new Date(start + Math.floor((span * (i + postRng.next())) / options.posts));
    const title = headline(postRng);
    let slug = slugify(title, 'post');
    for (let n = 2; usedSlugs.has(slug); n += 1) slug = `${slugify(title, 'post')}-${n}`;
    const hasSlug = status !== 'draft' && status !== 'pending';
    if (hasSlug) usedSlugs.add(slug);
    const classic = postRng.chance(0.25);
    // 300–1,500 words, most near the middle.
    const target = Math.round(300 + 1200 * ((postRng.next() + postRng.next()) / 2));
    const body = classic ? classicBody(postRng, target, ctx) : blockBody(postRng, target, ctx);
    summary.words += body.words;
    if (classic) summary.classicPosts += 1;
    else summary.blockPosts += 1;
    const author = authors[postRng.skewed(authors.length, 0.6)];
    const cats = [categories[postRng.skewed(categories.length, 0.5)]];
    if (postRng.chance(0.25)) cats.push(postRng.pick(categories));
    const postTags = Array.from({ length: postRng.int(0, 5) }, () => tags[postRng.skewed(tags.length, 0.5)]);
    const terms = [
      ...[...new Set(cats)].map((c) => ({ domain: 'category', slug: c.slug, name: c.name })),
      ...[...new Set(postTags)].map((t) => ({ domain: 'post_tag', slug: t.slug, name: t.name })),
    ];
    const meta: [string, string][] = [['_edit_last', String(author.id)]];
    if (postRng.chance(0.7)) meta.push(['_thumbnail_id', String(postRng.pick(attachments).id)]);
    if (postRng.chance(0.1)) meta.push(['_wp_old_slug', `${slug}-draft`]);
    if (postRng.chance(0.3)) meta.push(['_yoast_wpseo_metadesc', sentence(postRng)]);

    let comments = '';
    if (status === 'publish' && postRng.chance(0.35)) {
      const n = postRng.int(1, 8);
      for (let c = 0; c < n; c += 1) {
        const spam = postRng.chance(0.1);
        if (spam) summary.spamComments += 1;
        else summary.comments += 1;
        const when = new Date(date.getTime() + postRng.int(1, 30 * 86_400) * 1000);
        const who = `${postRng.pick(FIRST_NAMES)} ${postRng.pick(LAST_NAMES)}`;
        comments += `\t\t<wp:comment>
			<wp:comment_id>${commentId++}</wp:comment_id>
			<wp:comment_author>${cdata(who)}</wp:comment_author>
			<wp:comment_author_email>${cdata(`${slugify(who, 'x')}@mail.example`)}</wp:comment_author_email>
			<wp:comment_author_url>${cdata('')}</wp:comment_author_url>
			<wp:comment_author_IP>${cdata(`192.0.2.${postRng.int(1, 254)}`)}</wp:comment_author_IP>
			<wp:comment_date>${cdata(wpDate(new Date(when.getTime() + LOCAL_OFFSET_MS)))}</wp:comment_date>
			<wp:comment_date_gmt>${cdata(wpDate(when))}</wp:comment_date_gmt>
			<wp:comment_content>${cdata(paragraph(postRng, postRng.int(1, 3)))}</wp:comment_content>
			<wp:comment_approved>${cdata(spam ? 'spam' : '1')}</wp:comment_approved>
			<wp:comment_type>${cdata('comment')}</wp:comment_type>
			<wp:comment_parent>0</wp:comment_parent>
			<wp:comment_user_id>0</wp:comment_user_id>
		</wp:comment>
`;
      }
    }
    const d = new Date(date.getTime() + LOCAL_OFFSET_MS);
    const link = hasSlug ? `${site}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${slug}/` : `${site}/?p=${postId}`;
    summary.posts += 1;
    summary.statuses[status] = (summary.statuses[status] ?? 0) + 1;
    if (status === 'publish' && !password && samplePosts.length < 3 && i % 97 === 0) samplePosts.push({ id: postId, title });
    await out.write(
      item({
        id: postId,
        title,
        link,
        author: author.login,
        guid: `${site}/?p=${postId}`,
        content: body.html,
        excerpt: postRng.chance(0.3) ? sentence(postRng) : '',
        date: status === 'draft' || status === 'pending' ? null : date,
        modified: status === 'draft' || status === 'pending' ? null : new Date(date.getTime() + postRng.int(0, 90 * 86_400) * 1000),
        slug: hasSlug ? slug : '',
        status,
        type: 'post',
        password,
        categories: terms,
        meta,
        comments,
      }),
    );
  }

  // Menus: pages, categories, a post, the home page and an outside link.
  type NavTarget =
    | { type: 'post_type'; object: 'page' | 'post'; objectId: number; link: string }
    | { type: 'taxonomy'; object: 'category'; term: Term }
    | { type: 'custom'; url: string; label: string };
  const byTitle = (t: string) => pages.find((p) => p.title === t) ?? pages[0];
  const pageTarget = (t: string): NavTarget => ({ type: 'post_type', object: 'page', objectId: byTitle(t).id, link: byTitle(t).link });
  const menuItems: { menu: { slug: string; name: string }; target: NavTarget }[] = [
    { menu: menus.primary, target: { type: 'custom', url: `${site}/`, label: 'Home' } },
    ...categories.slice(0, 5).map((term) => ({ menu: menus.primary, target: { type: 'taxonomy', object: 'category', term } as NavTarget })),
    ...samplePosts
      .slice(0, 1)
      .map((p) => ({ menu: menus.primary, target: { type: 'post_type', object: 'post', objectId: p.id, link: `${site}/?p=${p.id}` } as NavTarget })),
    { menu: menus.primary, target: pageTarget('About') },
    { menu: menus.footer, target: pageTarget('Contact') },
    { menu: menus.footer, target: pageTarget('Privacy Policy') },
    { menu: menus.footer, target: pageTarget('Terms of Use') },
    { menu: menus.footer, target: pageTarget('Masthead') },
    { menu: menus.footer, target: { type: 'custom', url: 'https://social.example/@oldgazette', label: 'Follow us' } },
    { menu: menus.footer, target: { type: 'custom', url: `${site}/feed/`, label: 'RSS' } },
  ];
  const positions = new Map<string, number>();
  for (const { menu, target } of menuItems) {
    const navId = id();
    const position = (positions.get(menu.slug) ?? 0) + 1;
    positions.set(menu.slug, position);
    const meta: [string, string][] = [
      ['_menu_item_type', target.type],
      ['_menu_item_menu_item_parent', '0'],
      ['_menu_item_object_id', target.type === 'custom' ? String(navId) : target.type === 'taxonomy' ? String(target.term.id) : String(target.objectId)],
      ['_menu_item_object', target.type === 'custom' ? 'custom' : target.object],
      ['_menu_item_target', ''],
      ['_menu_item_classes', 'a:1:{i:0;s:0:"";}'],
      ['_menu_item_xfn', ''],
      ['_menu_item_url', target.type === 'custom' ? target.url : ''],
    ];
    const date = new Date(Date.UTC(2024, 0, 1, 12));
    summary.menuItems += 1;
    await out.write(
      item({
        id: navId,
        title: target.type === 'custom' ? target.label : '',
        link: `${site}/?p=${navId}`,
        author: authors[0].login,
        guid: `${site}/?p=${navId}`,
        content: '',
        excerpt: '',
        date,
        modified: date,
        slug: String(navId),
        status: 'publish',
        menuOrder: position,
        type: 'nav_menu_item',
        categories: [{ domain: 'nav_menu', slug: menu.slug, name: menu.name }],
        meta,
      }),
    );
  }

  await out.write('</channel>\n</rss>\n');
  await out.close();
  summary.bytes = out.bytes;
  return summary;
}
