import { createReadStream } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseWordPressExport } from '@/lib/import/wordpress';
import type { BodyConverter, BodyConverterOptions, SourceBundle } from '@/lib/import/types';
import { entry, formatError } from '../support/import-parsers';

const dir = 'tests/fixtures/import/wordpress';
const SITE = 'http://127.0.0.1:4599';
const UP = `${SITE}/wp-content/uploads/2024/01/`;

type Call = { html: string; options: BodyConverterOptions };

/** Returns the html as the markdown; lists `<img src>`, and a `[gallery]`'s images through the resolver. */
function converter(calls: Call[] = []): BodyConverter {
  return (html, options) => {
    calls.push({ html, options });
    const images = [...html.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    for (const m of html.matchAll(/\[gallery ids="([\d,]+)"/g)) {
      for (const id of m[1].split(',')) {
        const a = options.attachments?.get(id);
        if (a) images.push(a.url);
      }
    }
    return { markdown: html, images: [...new Set(images)], dropped: [], shortcodes: [] };
  };
}

/** Small chunks, so that elements, CDATA sections and UTF-8 sequences straddle chunk boundaries. */
const file = (name: string, highWaterMark = 333) => createReadStream(`${dir}/${name}`, { highWaterMark });

async function* text(xml: string) {
  yield xml;
}

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><wp:wxr_version>1.2</wp:wxr_version>`;
const wxr = (items: string) => `${HEAD}\n${items}\n</channel></rss>`;

describe('parseWordPressExport: site.xml (WXR 1.2)', async () => {
  const calls: Call[] = [];
  const bundle = await parseWordPressExport(file('site.xml'), converter(calls));

  it('reads the channel: site URL, authors, categories and tags', () => {
    expect(bundle.source).toBe('wordpress');
    expect(bundle.siteUrl).toBe(SITE);
    expect(bundle.users).toEqual([
      { sourceId: '1', email: 'editor@old-orchard.test', name: 'Olive Orchard', slug: 'orchard-editor', bio: '', avatarUrl: null },
      // no display name: first and last; the email lower-cased; the slug is the login's nicename
      { sourceId: '2', email: 'ghostwriter@old-orchard.test', name: 'Gus Writer', slug: 'ghost-writer', bio: '', avatarUrl: null },
    ]);
    expect(bundle.tags).toEqual([
      { sourceId: 'category:2', slug: 'orchard-news', name: 'News', description: '', taxonomy: 'category', internal: false },
      { sourceId: 'category:3', slug: 'orchard-essays', name: 'Essays', description: 'Longer pieces from the orchard', taxonomy: 'category', internal: false },
      { sourceId: 'tag:4', slug: 'orchard-gardening', name: 'gardening', description: '', taxonomy: 'tag', internal: false },
      { sourceId: 'tag:5', slug: 'orchard-apples', name: 'apples', description: 'All about apples', taxonomy: 'tag', internal: false },
      // used on an item, never declared in the channel
      { sourceId: 'tag:slug:orchard-undeclared', slug: 'orchard-undeclared', name: 'Orchard Undeclared', description: '', taxonomy: 'tag', internal: false },
    ]);
  });

  it('keeps posts and pages in file order; skips attachments, menu items, auto-drafts and other types', () => {
    expect(bundle.entries.map((e) => [e.sourceId, e.kind, e.slug, e.status])).toEqual([
      ['101', 'post', 'orchard-first-post', 'published'],
      ['102', 'post', 'orchard-block-post', 'published'],
      ['103', 'post', 'orchard-future-post', 'scheduled'],
      ['104', 'post', '', 'draft'],
      ['105', 'post', 'orchard-pending-post', 'review'],
      ['106', 'post', 'orchard-private-post', 'draft'],
      ['107', 'post', 'orchard-password-post', 'draft'],
      ['108', 'post', 'orchard-trashed-post', 'trash'],
      ['109', 'post', 'orchard-embed-post', 'published'],
      ['110', 'post', 'orchard-gallery-post', 'published'],
      ['111', 'post', 'orchard-featured-post', 'published'],
      ['112', 'post', 'café-orchard', 'published'],
      ['150', 'page', 'orchard-about', 'published'],
      ['151', 'page', 'orchard-contact', 'published'],
    ]);
    expect(bundle.warnings).toEqual(['skipped 1 item(s) of post type "wp_block"']);
  });

  it('maps a published classic post: dates in UTC, excerpt, author, tags in order, link, comments, meta', () => {
    const post = entry(bundle, '101');
    expect(post).toMatchObject({
      title: 'Orchard First Post',
      statusNotes: [],
      publishAt: new Date('2024-01-25T10:00:00Z'),
      createdAt: new Date('2024-01-25T10:00:00Z'),
      updatedAt: new Date('2024-01-26T08:30:00Z'),
      excerpt: 'The first post of the orchard season.',
      authorIds: ['1'],
      tagIds: ['category:2', 'tag:4', 'tag:5'],
      featureImage: null,
      link: `${SITE}/2024/01/25/orchard-first-post/`,
      // two approved comments; the spam one is not counted
      commentCount: 2,
    });
    expect(post.extra).toEqual({
      wordpress: {
        postId: '101',
        guid: `${SITE}/?p=101`,
        link: `${SITE}/2024/01/25/orchard-first-post/`,
        menuOrder: 0,
        status: 'publish',
        oldSlugs: ['orchard-first-post-old'],
      },
      // _edit_*, _wp_old_*, _pingme, _encloseme are dropped
      meta: { orchard_custom_field: 'kept value' },
    });
    expect(post.body.markdown).toContain('[caption id="attachment_201"');
    expect(post.body.markdown).toContain('\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n');
    expect(post.body.markdown).toContain('[contact-form-7 id="1"');
    expect(post.body.images).toEqual([`${UP}apple.jpg`]);
    // the comments' text is never kept
    expect(JSON.stringify(bundle)).not.toContain('Lovely apples');
  });

  it('calls the converter once per body, as WordPress, with the site URL and the attachments', () => {
    expect(calls).toHaveLength(bundle.entries.length);
    for (const call of calls) {
      expect(call.options.format).toBe('wordpress');
      expect(call.options.siteUrl).toBe(SITE);
      // Only the attachments the body's galleries name, as a Map (a body may go to a worker thread).
      const named = [...call.html.matchAll(/\[gallery ids="([\d,]+)"/g)].flatMap((m) => m[1].split(','));
      expect([...(call.options.attachments ?? new Map()).keys()].every((id) => named.includes(id))).toBe(true);
    }
    expect(calls.filter((call) => (call.options.attachments?.size ?? 0) > 0)).toHaveLength(1);
  });

  it('appends WordPress footnotes (the footnotes meta) where the footnotes block stands', () => {
    const post = entry(bundle, '102');
    expect(post.authorIds).toEqual(['2']);
    expect(post.tagIds).toEqual(['category:3', 'tag:slug:orchard-undeclared']);
    expect(post.body.markdown).not.toContain('<!-- wp:footnotes /-->');
    expect(post.body.markdown).toContain(
      '<ol class="wp-block-footnotes"><li id="fn-orchard-1">Most apple varieties are <em>self-sterile</em>. <a href="#fn-orchard-1-link">↩︎</a></li></ol>',
    );
    expect(post.body.markdown).toContain('<code lang="python" class="language-python">');
    expect(post.extra.meta).toBeUndefined();
  });

  it('maps every status, with a note where the status is not the obvious one', () => {
    expect(entry(bundle, '103')).toMatchObject({ status: 'scheduled', publishAt: new Date('2030-06-01T09:00:00Z') });
    // a draft: no slug, no GMT date (0000-00-00), no public address
    expect(entry(bundle, '104')).toMatchObject({ slug: '', publishAt: null, createdAt: new Date('2024-02-02T10:00:00Z'), link: null });
    expect(entry(bundle, '105')).toMatchObject({ status: 'review', publishAt: null, link: null });
    expect(entry(bundle, '106')).toMatchObject({
      status: 'draft',
      statusNotes: ['private on the old site: imported as a draft'],
      link: `${SITE}/archives/106`,
    });
    const locked = entry(bundle, '107');
    expect(locked).toMatchObject({ status: 'draft', statusNotes: ['password-protected: imported as a draft, never public'], publishAt: null });
    expect(locked.extra.wordpress).toMatchObject({ status: 'publish', passwordProtected: true });
    // the password itself is never kept
    expect(JSON.stringify(bundle)).not.toContain('pick-an-apple');
    const trashed = entry(bundle, '108');
    expect(trashed).toMatchObject({ status: 'trash', slug: 'orchard-trashed-post', link: null });
    expect(trashed.extra.meta).toMatchObject({ _wp_trash_meta_status: 'publish' });
  });

  it('hands script and iframe bodies to the converter untouched (it decides what to drop)', () => {
    const body = entry(bundle, '109').body.markdown;
    expect(body).toContain('<script>alert("orchard")</script>');
    expect(body).toContain('<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ"');
  });

  it('converts a [gallery] whose attachments come later in the file once they are known', () => {
    expect(entry(bundle, '110').body.images).toEqual([`${UP}gallery-one.jpg`, `${UP}gallery-two.png`]);
    const call = calls.find((c) => c.html.includes('[gallery'))!;
    expect(call.options.attachments!.get('203')).toEqual({ url: `${UP}gallery-one.jpg`, alt: 'First harvest basket', caption: 'The first basket' });
  });

  it('resolves a featured image (_thumbnail_id) to an attachment that comes later, with alt and caption as text', () => {
    expect(entry(bundle, '111').featureImage).toEqual({ url: `${UP}dawn.jpg`, alt: 'Orchard at dawn', caption: 'Dawn over the orchard' });
    expect(entry(bundle, '111').body.images).toEqual([`${UP}missing.jpg`]);
    expect(entry(bundle, '112').body.images).toEqual(['http://127.0.0.2:4599/wp-content/uploads/2024/01/remote.jpg']);
  });

  it('decodes a percent-encoded slug and keeps the link as the old site wrote it', () => {
    expect(entry(bundle, '112')).toMatchObject({ slug: 'café-orchard', title: 'Orchard Café', link: `${SITE}/caf%C3%A9-orchard/` });
  });

  it('keeps the page hierarchy and order in extra', () => {
    expect(entry(bundle, '150').extra.wordpress).toMatchObject({ menuOrder: 1, parentId: null });
    expect(entry(bundle, '151').extra.wordpress).toMatchObject({ menuOrder: 2, parentId: '150' });
    expect(entry(bundle, '151').link).toBe(`${SITE}/orchard-about/orchard-contact/`);
  });

  it('reads the menus: main → primary, footer → footer; empty labels from their target', () => {
    expect(bundle.navigation).toEqual([
      { sourceId: '301', menu: 'primary', label: 'About the Orchard', target: { type: 'entry', sourceId: '150' }, position: 1 },
      { sourceId: '302', menu: 'primary', label: 'News', target: { type: 'tag', sourceId: 'category:2' }, position: 2 },
      { sourceId: '303', menu: 'primary', label: 'Orchard Friends', target: { type: 'url', url: 'https://example.org/orchard-friends' }, position: 3 },
      { sourceId: '304', menu: 'footer', label: 'Get in touch', target: { type: 'entry', sourceId: '151' }, position: 1 },
      { sourceId: '305', menu: 'footer', label: 'Orchard Feed', target: { type: 'url', url: `${SITE}/feed/` }, position: 2 },
    ]);
  });

  it('reads the same bundle whatever the chunk size', async () => {
    const whole = await parseWordPressExport(file('site.xml', 1 << 20), converter());
    const bytewise = await parseWordPressExport(file('site.xml', 7), converter());
    expect(bytewise).toEqual(whole);
    expect(whole).toEqual(bundle);
  });
});

describe('parseWordPressExport: other exports', () => {
  it('reads WXR 1.1: base_blog_url as the site; a published post without a GMT date falls back with a warning', async () => {
    const bundle = await parseWordPressExport(file('site-v1.1.xml'), converter());
    expect(bundle.siteUrl).toBe('http://127.0.0.1:4599/blog');
    expect(bundle.users).toEqual([{ sourceId: '7', email: 'archivist@old-orchard.test', name: 'The Archivist', slug: 'archivist', bio: '', avatarUrl: null }]);
    expect(bundle.tags.map((t) => t.sourceId)).toEqual(['category:1']);
    expect(bundle.entries.map((e) => [e.sourceId, e.slug, e.status, e.publishAt?.toISOString()])).toEqual([
      ['11', 'orchard-archive-post', 'published', '2012-05-01T08:00:00.000Z'],
      ['12', 'orchard-archive-no-gmt', 'published', '2012-05-02T10:00:00.000Z'],
    ]);
    expect(bundle.entries[0].tagIds).toEqual(['category:1']);
    expect(bundle.warnings).toEqual(['post 12: no wp:post_date_gmt, its local wp:post_date read as UTC']);
  });

  it('reads a newer export of the same site: what changed and what was added', async () => {
    const before = await parseWordPressExport(file('site.xml'), converter());
    const after = await parseWordPressExport(file('site-updated.xml'), converter());
    expect(after.entries.map((e) => e.sourceId)).toEqual(
      [...before.entries.map((e) => e.sourceId).slice(0, 12), '150', '151', '113'].filter((v, i, a) => a.indexOf(v) === i),
    );
    expect(entry(after, '101').title).toBe('Orchard First Post (revised)');
    expect(entry(after, '101').body.markdown).toContain('a week late');
    expect(entry(after, '101').updatedAt).toEqual(new Date('2024-03-02T09:00:00Z'));
    expect(entry(after, '113')).toMatchObject({ slug: 'orchard-newer-post', status: 'published', tagIds: ['category:2'] });
    const unchanged = (b: SourceBundle) => b.entries.filter((e) => e.sourceId !== '101' && e.sourceId !== '113');
    expect(unchanged(after)).toEqual(unchanged(before));
  });

  it('creates an author named by a post but not declared, and warns', async () => {
    const bundle = await parseWordPressExport(
      text(
        wxr(
          `<item><title>T</title><dc:creator>Someone Else</dc:creator><wp:post_id>5</wp:post_id><wp:post_type>post</wp:post_type><wp:status>draft</wp:status></item>`,
        ),
      ),
      converter(),
    );
    expect(bundle.users).toEqual([{ sourceId: 'login:Someone Else', email: null, name: 'Someone Else', slug: 'someone-else', bio: '', avatarUrl: null }]);
    expect(bundle.entries[0].authorIds).toEqual(['login:Someone Else']);
    expect(bundle.warnings[0]).toContain('"Someone Else"');
  });

  it('warns about a featured image that is missing or not an image, and a gallery of unknown attachments', async () => {
    const item = (id: number, meta: string, body = '') =>
      `<item><title>P${id}</title><wp:post_id>${id}</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><wp:post_date_gmt>2024-01-01 00:00:00</wp:post_date_gmt><content:encoded><![CDATA[${body}]]></content:encoded>${meta}</item>`;
    const thumb = (id: number) => `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${id}</wp:meta_value></wp:postmeta>`;
    const bundle = await parseWordPressExport(
      text(
        wxr(
          item(1, thumb(50)) +
            item(2, thumb(51)) +
            item(3, '', '[gallery ids="52,53"]') +
            `<item><wp:post_id>51</wp:post_id><wp:post_type>attachment</wp:post_type><wp:attachment_url>${UP}menu.pdf</wp:attachment_url></item>` +
            `<item><wp:post_id>52</wp:post_id><wp:post_type>attachment</wp:post_type><wp:attachment_url>${UP}a.jpg</wp:attachment_url></item>`,
        ),
      ),
      converter(),
    );
    expect(bundle.entries.map((e) => e.featureImage)).toEqual([null, null, null]);
    expect(bundle.entries[2].body.images).toEqual([`${UP}a.jpg`]);
    expect(bundle.warnings).toEqual([
      'post 1: its featured image (attachment 50) is not in the export',
      `post 2: its featured image (attachment 51, ${UP}menu.pdf) is not an image`,
      'post 3: its gallery names attachments not in the export (53)',
    ]);
  });

  it('keeps a third menu out, with a warning', async () => {
    const navItem = (id: number, menu: string) =>
      `<item><title>L${id}</title><wp:post_id>${id}</wp:post_id><wp:post_type>nav_menu_item</wp:post_type><wp:status>publish</wp:status><wp:menu_order>${id}</wp:menu_order><category domain="nav_menu" nicename="${menu}"><![CDATA[${menu}]]></category>` +
      `<wp:postmeta><wp:meta_key>_menu_item_type</wp:meta_key><wp:meta_value>custom</wp:meta_value></wp:postmeta>` +
      `<wp:postmeta><wp:meta_key>_menu_item_url</wp:meta_key><wp:meta_value>https://example.org/${id}</wp:meta_value></wp:postmeta></item>`;
    const bundle = await parseWordPressExport(text(wxr(navItem(1, 'top') + navItem(2, 'social') + navItem(3, 'site-footer'))), converter());
    expect(bundle.navigation.map((n) => [n.sourceId, n.menu])).toEqual([
      ['1', 'primary'],
      ['3', 'footer'],
    ]);
    expect(bundle.warnings).toEqual(['menu "social" skipped: only one primary menu is imported']);
  });
});

describe('parseWordPressExport: malformed and hostile files', () => {
  it('names the line of a syntax error, and the element left open', async () => {
    const error = await formatError(parseWordPressExport(file('malformed.xml'), converter()));
    expect(error.message).toMatch(/^line 13, column \d+: unexpected close tag: <title> opened on line 12 is not closed$/);
  });

  it('refuses a DOCTYPE declaring entities (billion laughs) without expanding anything, quickly', async () => {
    const started = performance.now();
    const error = await formatError(parseWordPressExport(file('billion-laughs.xml'), converter()));
    expect(error.message).toBe('line 2, column 1: DOCTYPE with entity declarations is not accepted');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses external entities (file:// and http://) without reading or fetching them', async () => {
    const error = await formatError(parseWordPressExport(file('external-entity.xml'), converter()));
    expect(error.message).toBe('line 2, column 1: DOCTYPE with entity declarations is not accepted');
    expect(error.message).not.toContain('root:');
  });

  it('refuses a DOCTYPE naming an external DTD', async () => {
    const error = await formatError(
      parseWordPressExport(text(`<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">\n<rss><channel/></rss>`), converter()),
    );
    expect(error.message).toBe('line 2, column 1: DOCTYPE with an external identifier is not accepted');
  });

  it('never expands an entity that XML does not predefine', async () => {
    const error = await formatError(parseWordPressExport(text(wxr(`<item><title>&xxe;</title><wp:post_id>1</wp:post_id></item>`)), converter()));
    expect(error.message).toMatch(/^line 4, column \d+: undefined entity$/);
  });

  it('refuses well-formed XML that is not a WordPress export', async () => {
    const notWxr = await formatError(parseWordPressExport(file('not-wxr.xml'), converter()));
    expect(notWxr.message).toBe('line 7, column 8: not a WordPress export: <item> before any <wp:wxr_version>');
    const atom = await formatError(parseWordPressExport(text('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"></feed>'), converter()));
    expect(atom.message).toMatch(/^line 2, column \d+: not a WordPress export: the root element is <feed>, expected <rss>$/);
    const noChannel = await formatError(parseWordPressExport(text('<rss version="2.0"></rss>'), converter()));
    expect(noChannel.message).toBe('not a WordPress export: no <rss><channel>');
    const noVersion = await formatError(parseWordPressExport(text('<rss version="2.0"><channel><title>x</title></channel></rss>'), converter()));
    expect(noVersion.message).toBe('not a WordPress export: no <wp:wxr_version> in <channel>');
    const empty = await formatError(parseWordPressExport(text(''), converter()));
    expect(empty.message).toMatch(/no <rss><channel>|document must contain a root element/);
  });

  it('validates each item: a bad date or a missing post id names the item and its line', async () => {
    const badDate = await formatError(
      parseWordPressExport(
        text(wxr(`<item>\n<wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type><wp:post_date_gmt>yesterday</wp:post_date_gmt></item>`)),
        converter(),
      ),
    );
    expect(badDate.message).toMatch(/^line 4, column \d+: item 9: <wp:post_date_gmt>: expected a date 'YYYY-MM-DD HH:MM:SS', got "yesterday"$/);
    const noId = await formatError(parseWordPressExport(text(wxr(`<item><title>x</title></item>`)), converter()));
    expect(noId.message).toMatch(/^line 4, column \d+: item: <wp:post_id> is missing$/);
  });

  it('refuses an unbound namespace prefix', async () => {
    const error = await formatError(parseWordPressExport(text('<rss><channel><wp:wxr_version>1.2</wp:wxr_version></channel></rss>'), converter()));
    expect(error.message).toMatch(/^line 1, column \d+: unbound namespace prefix/);
  });
});

describe('parseWordPressExport: memory', () => {
  it('streams a 50 MB export: the live heap grows by far less than the file', { timeout: 120_000 }, async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;

    const ITEMS = 2_500;
    const paragraph = `<p>${'The orchard keeps its secrets under the old trees. '.repeat(8)}</p>\n`;
    const bodyOf = (i: number) => `<!-- wp:paragraph -->\n${paragraph.repeat(40)}<p>Item ${i} ends here.</p>`;
    const comment = `<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_content><![CDATA[${'Nice. '.repeat(200)}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment>`;

    let bytes = 0;
    let peak = 0;
    let nextSample = 0;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    };
    async function* generate() {
      const emit = (s: string) => {
        bytes += Buffer.byteLength(s);
        return Buffer.from(s);
      };
      yield emit(`${HEAD}<wp:base_blog_url>${SITE}</wp:base_blog_url>\n`);
      for (let i = 1; i <= ITEMS; i++) {
        // the thumbnails are declared after every post, as WordPress often does
        yield emit(
          `<item><title>Orchard generated ${i}</title><link>${SITE}/orchard-generated-${i}/</link><dc:creator>gen</dc:creator>` +
            `<content:encoded><![CDATA[${bodyOf(i)}]]></content:encoded><wp:post_id>${i}</wp:post_id>` +
            `<wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt><wp:post_name>orchard-generated-${i}</wp:post_name>` +
            `<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>` +
            `<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>${ITEMS + i}</wp:meta_value></wp:postmeta>` +
            `${comment}${comment}</item>\n`,
        );
        if (bytes >= nextSample) {
          sample();
          nextSample += 5_000_000;
        }
      }
      for (let i = 1; i <= ITEMS; i++) {
        yield emit(
          `<item><wp:post_id>${ITEMS + i}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:attachment_url>${UP}gen-${i}.jpg</wp:attachment_url></item>\n`,
        );
      }
      yield emit('</channel></rss>\n');
      sample();
    }

    // The real converter's markdown is about as long as the html; this one returns a short summary,
    // so that what is measured is what the parser holds, not what the bundle is made of.
    const summary: BodyConverter = (html) => ({ markdown: `${html.length} characters`, images: [], dropped: [], shortcodes: [] });
    const bundle = await parseWordPressExport(generate(), summary);
    sample();
    const retained = process.memoryUsage().heapUsed - baseline;

    expect(bytes).toBeGreaterThan(50_000_000);
    expect(bundle.entries).toHaveLength(ITEMS);
    expect(bundle.entries[ITEMS - 1].featureImage?.url).toBe(`${UP}gen-${ITEMS}.jpg`);
    expect(bundle.entries[0].commentCount).toBe(2);
    console.info(
      `WXR of ${(bytes / 1e6).toFixed(1)} MB: live heap peak +${(peak / 1e6).toFixed(1)} MB ` +
        `(${((100 * peak) / bytes).toFixed(1)}% of the file), +${(retained / 1e6).toFixed(1)} MB with the bundle`,
    );
    expect(peak).toBeLessThan(0.6 * bytes);
    expect(bundle.entries.length).toBeGreaterThan(0); // the bundle stays alive until the last sample
  });
});
