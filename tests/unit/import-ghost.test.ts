import { createReadStream, readFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseGhostExport } from '@/lib/import/ghost';
import type { BodyConverter, BodyConverterOptions } from '@/lib/import/types';
import { entry, formatError } from '../support/import-parsers';

const dir = 'tests/fixtures/import/ghost';
const G = '__GHOST_URL__/content/images/2024/01/';
const pid = (n: number) => `65a1f0c0e4b0a1b2c3d4e${String(n).padStart(3, '0')}`;
const U1 = '65a1f0c0e4b0a1b2c3d4f001';
const U2 = '65a1f0c0e4b0a1b2c3d4f002';
const T1 = '65a1f0c0e4b0a1b2c3d4a001';
const T2 = '65a1f0c0e4b0a1b2c3d4a002';
const T3 = '65a1f0c0e4b0a1b2c3d4a003';

type Call = { html: string; options: BodyConverterOptions };

function converter(calls: Call[] = []): BodyConverter {
  return (html, options) => {
    calls.push({ html, options });
    const images = [...html.matchAll(/<img[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]);
    return { markdown: html, images: [...new Set(images)], dropped: [], shortcodes: [] };
  };
}

/** Tiny byte chunks: keys, strings and multi-byte characters (↩︎) straddle chunk boundaries. */
const file = (name: string, highWaterMark = 97) => createReadStream(`${dir}/${name}`, { highWaterMark });

async function* text(json: string, size = 64) {
  const bytes = Buffer.from(json);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const site = () => JSON.parse(readFileSync(`${dir}/site.json`, 'utf8')) as { db: [{ meta: unknown; data: Record<string, Record<string, unknown>[]> }] };

describe('parseGhostExport: site.json (Ghost 5)', async () => {
  const calls: Call[] = [];
  const bundle = await parseGhostExport(file('site.json'), converter(calls));

  it('reads users (email lower-cased), tags (#internal) and no site URL', () => {
    expect(bundle.source).toBe('ghost');
    expect(bundle.siteUrl).toBeNull();
    expect(bundle.users).toEqual([
      { sourceId: U1, email: 'keeper@old-orchard.test', name: 'Pear Keeper', slug: 'pear-keeper', bio: 'Keeps the pears.', avatarUrl: `${G}keeper.jpg` },
      { sourceId: U2, email: 'scribe@old-orchard.test', name: 'Second Scribe', slug: 'second-scribe', bio: '', avatarUrl: null },
    ]);
    expect(bundle.tags).toEqual([
      { sourceId: T1, slug: 'orchard-pears', name: 'Pears', description: '', taxonomy: 'tag', internal: false },
      { sourceId: T2, slug: 'orchard-recipes', name: 'Recipes', description: 'Cooking with fruit', taxonomy: 'tag', internal: false },
      { sourceId: T3, slug: 'hash-hidden-tag', name: '#hidden-tag', description: '', taxonomy: 'tag', internal: true },
    ]);
    // the password hash is not part of the bundle
    expect(JSON.stringify(bundle)).not.toContain('notarealhash');
  });

  it('keeps posts and pages in file order, with their statuses', () => {
    expect(bundle.entries.map((e) => [e.sourceId, e.kind, e.slug, e.status, e.statusNotes])).toEqual([
      [pid(1), 'post', 'orchard-ghost-published', 'published', []],
      [pid(2), 'post', 'orchard-ghost-draft', 'draft', []],
      [pid(3), 'post', 'orchard-ghost-scheduled', 'scheduled', []],
      [pid(4), 'post', 'orchard-ghost-members', 'draft', ['members-only on Ghost: imported as a draft, never public']],
      [pid(5), 'post', 'orchard-ghost-codeinjection', 'published', []],
      [pid(6), 'post', 'orchard-ghost-newsletter', 'draft', ['sent as an email only on Ghost, never on the site: imported as a draft']],
      [pid(7), 'post', 'orchard-ghost-plaintext', 'published', []],
      [pid(8), 'page', 'orchard-ghost-about', 'published', []],
      [pid(9), 'page', 'orchard-ghost-colophon', 'draft', []],
    ]);
  });

  it('maps a published post: dates, excerpt, authors and tags in sort_order (relations before posts), feature image, link', () => {
    const post = entry(bundle, pid(1));
    expect(post).toMatchObject({
      title: 'Orchard Ghost Published',
      publishAt: new Date('2024-01-25T10:00:00Z'),
      createdAt: new Date('2024-01-20T09:00:00Z'),
      updatedAt: new Date('2024-01-26T08:30:00Z'),
      excerpt: 'The pear harvest, in pictures.',
      authorIds: [U2, U1],
      tagIds: [T1, T2, T3],
      // alt and caption from posts_meta; the caption's HTML as text
      featureImage: { url: `${G}pear.jpg`, alt: 'A pear on a branch', caption: 'Photo by Pat' },
      link: '/orchard-ghost-published/',
      commentCount: 0,
    });
    expect(post.body.images).toEqual([`${G}pear.jpg`, `${G}basket-one.jpg`, `${G}basket-two.jpg`]);
    for (const part of ['kg-image-card', 'kg-gallery-card', 'footnote-item', '<code class="language-javascript">', '<table>', '↩︎']) {
      expect(post.body.markdown).toContain(part);
    }
  });

  it('keeps visibility, template, canonical URL and the meta/OG/Twitter fields (merged from posts_meta) in extra', () => {
    expect(entry(bundle, pid(1)).extra).toEqual({
      visibility: 'public',
      ghost: {
        id: pid(1),
        status: 'published',
        visibility: 'public',
        uuid: 'a3c1e2d4-0000-4000-8000-000000000001',
        custom_template: 'custom-wide',
        canonical_url: 'https://elsewhere.example/pears',
        featured: true,
        og_image: `${G}pear-og.jpg`,
        og_title: 'Pears (OG)',
        og_description: 'OG description',
        twitter_title: 'Pears (Twitter)',
        meta_title: 'Pear harvest | Orchard',
        meta_description: 'Meta description of the pear harvest',
      },
    });
    expect(entry(bundle, pid(4)).extra).toMatchObject({ visibility: 'members', ghost: { status: 'published' } });
    expect(entry(bundle, pid(6)).extra.ghost).toMatchObject({ status: 'sent', email_subject: 'Orchard letter', email_only: true });
  });

  it('maps drafts and scheduled posts; only published posts had an address', () => {
    expect(entry(bundle, pid(2))).toMatchObject({ publishAt: null, link: null, authorIds: [U1], tagIds: [] });
    expect(entry(bundle, pid(3))).toMatchObject({ publishAt: new Date('2030-05-01T08:00:00Z'), link: null, tagIds: [T1] });
    expect(entry(bundle, pid(4))).toMatchObject({ publishAt: null, link: '/orchard-ghost-members/' });
    expect(entry(bundle, pid(9))).toMatchObject({ kind: 'page', publishAt: null, link: null });
  });

  it('drops code injection, and says so', () => {
    const post = entry(bundle, pid(5));
    expect(post.body.dropped).toEqual(['code injection (codeinjection_head)', 'code injection (codeinjection_foot)']);
    expect(JSON.stringify(post)).not.toContain('alert(');
    expect(bundle.warnings).toEqual([
      `post ${pid(5)} (orchard-ghost-codeinjection): its codeinjection_head was dropped (code injection is never imported)`,
      `post ${pid(5)} (orchard-ghost-codeinjection): its codeinjection_foot was dropped (code injection is never imported)`,
    ]);
  });

  it('uses the plaintext, escaped, when html is null; Ghost 4 dates without a zone are UTC; author_id as a fallback', () => {
    const post = entry(bundle, pid(7));
    expect(post.body.markdown).toBe('<p>First line &#38; more.</p>\n<p>Second &#60;paragraph&#62;.</p>');
    expect(post).toMatchObject({
      publishAt: new Date('2024-01-20T09:00:00Z'),
      createdAt: new Date('2024-01-19T09:00:00Z'),
      authorIds: [U2],
    });
  });

  it('converts every body as plain HTML, without a site URL', () => {
    expect(calls).toHaveLength(9);
    for (const call of calls) expect(call.options).toEqual({ format: 'html', siteUrl: null });
  });

  it('reads navigation and secondary_navigation as the primary and footer menus, URLs as they are', () => {
    expect(bundle.navigation).toEqual([
      { sourceId: 'navigation:0', menu: 'primary', label: 'Home', target: { type: 'url', url: '__GHOST_URL__/' }, position: 0 },
      { sourceId: 'navigation:1', menu: 'primary', label: 'About', target: { type: 'url', url: '__GHOST_URL__/orchard-ghost-about/' }, position: 1 },
      { sourceId: 'secondary_navigation:0', menu: 'footer', label: 'Data & privacy', target: { type: 'url', url: '__GHOST_URL__/privacy/' }, position: 0 },
      { sourceId: 'secondary_navigation:1', menu: 'footer', label: 'Orchard contact', target: { type: 'url', url: 'https://example.org/contact' }, position: 1 },
    ]);
  });

  it('reads the same bundle whatever the chunk size, and without the db wrapper', async () => {
    expect(await parseGhostExport(file('site.json', 1 << 20), converter())).toEqual(bundle);
    expect(await parseGhostExport(file('site.json', 5), converter())).toEqual(bundle);
    const unwrapped = JSON.stringify(site().db[0]);
    expect(await parseGhostExport(text(unwrapped, 13), converter())).toEqual(bundle);
    // a byte-order mark, and the whole file as one string
    expect(await parseGhostExport(text(`\uFEFF${unwrapped}`, 1 << 20), converter())).toEqual(bundle);
  });
});

describe('parseGhostExport: Ghost 4 and odd exports', () => {
  it('reads a Ghost 4 export: no posts_authors nor posts_meta, alt and caption on the post, page: true', async () => {
    const json = site();
    const data = json.db[0].data;
    delete (data as Record<string, unknown>).posts_authors;
    delete (data as Record<string, unknown>).posts_meta;
    json.db[0].meta = { exported_on: 1609459200000, version: '4.48.0' };
    data.posts = [
      {
        ...data.posts[0],
        type: undefined,
        page: false,
        author_id: U1,
        feature_image_alt: 'Alt on the post',
        feature_image_caption: 'Cap<br>tion',
        meta_title: 'Old meta',
      },
      { ...data.posts[7], type: undefined, page: true, author_id: U2 },
    ];
    const bundle = await parseGhostExport(text(JSON.stringify(json)), converter());
    expect(bundle.entries.map((e) => [e.kind, e.authorIds])).toEqual([
      ['post', [U1]],
      ['page', [U2]],
    ]);
    expect(bundle.entries[0].featureImage).toEqual({ url: `${G}pear.jpg`, alt: 'Alt on the post', caption: 'Cap tion' });
    expect(bundle.entries[0].extra.ghost).toMatchObject({ meta_title: 'Old meta' });
    expect(bundle.warnings).toEqual([]);
  });

  it('warns about relations to tags or users that are not in the export, and an unknown version', async () => {
    const json = site();
    json.db[0].meta = { version: '2.0.0' };
    json.db[0].data.posts_tags.push({ post_id: pid(2), tag_id: 'nope', sort_order: 0 });
    json.db[0].data.posts_authors.push({ post_id: pid(2), author_id: 'nobody', sort_order: 1 });
    const bundle = await parseGhostExport(text(JSON.stringify(json), 4096), converter());
    expect(entry(bundle, pid(2))).toMatchObject({ tagIds: [], authorIds: [U1] });
    expect(bundle.warnings).toContain('Ghost 2.0.0 export: read as a Ghost 5 export');
    expect(bundle.warnings).toContain(`post ${pid(2)} (orchard-ghost-draft): tag nope is not in the export`);
    expect(bundle.warnings).toContain(`post ${pid(2)} (orchard-ghost-draft): author nobody is not in the export`);
  });

  it('accepts an export whose posts table is empty', async () => {
    const bundle = await parseGhostExport(text('{"db":[{"meta":{"version":"5.1.0"},"data":{"posts":[]}}]}'), converter());
    expect(bundle.entries).toEqual([]);
  });
});

describe('parseGhostExport: malformed and hostile files', () => {
  it('names the line and column of a syntax error', async () => {
    const error = await formatError(parseGhostExport(file('malformed.json'), converter()));
    expect(error.message).toBe("line 7, column 99: expected ','");
  });

  it('names the JSON path of a value of the wrong shape', async () => {
    const error = await formatError(parseGhostExport(file('wrong-shape.json'), converter()));
    expect(error.message).toBe('db[0].data.posts[1].title: expected a string');
  });

  it('refuses JSON that is not a Ghost export', async () => {
    const notGhost = await formatError(parseGhostExport(file('not-ghost.json'), converter()));
    expect(notGhost.message).toBe('not a Ghost export: no db[0].data.posts');
    const array = await formatError(parseGhostExport(text('[1, 2]'), converter()));
    expect(array.message).toBe('not a Ghost export: the top level is not an object');
    const empty = await formatError(parseGhostExport(text(''), converter()));
    expect(empty.message).toMatch(/^not a readable JSON file|^line 1/);
    const truncated = await formatError(parseGhostExport(text('{"db":[{"data":{"posts":['), converter()));
    expect(truncated.message).toMatch(/^line 1, column \d+: /);
  });

  it('names the path of a table, a row or a setting of the wrong shape', async () => {
    const cases: [string, string][] = [
      ['{"db":{}}', 'db: expected an array'],
      ['{"db":[{"data":{"posts":{}}}]}', 'db[0].data.posts: expected an array'],
      ['{"db":[{"data":[]}]}', 'db[0].data: expected an object'],
      ['{"db":[{"data":{"posts":["x"]}}]}', 'db[0].data.posts[0]: expected an object'],
      ['{"db":[{"data":{"posts":[],"users":[{"id":"u","name":"N","slug":"n","email":7}]}}]}', 'db[0].data.users[0].email: expected a string'],
      [
        '{"db":[{"data":{"posts":[{"id":"p","title":"t","slug":"s","status":"published","published_at":"next week"}]}}]}',
        'db[0].data.posts[0].published_at: expected a date (ISO 8601)',
      ],
      ['{"data":{"posts":[],"posts_tags":[{"post_id":"p"}]}}', 'data.posts_tags[0].tag_id: expected a string'],
      ['{"db":[{"data":{"posts":[],"settings":[{"key":"navigation","value":"[{"}]}}]}', 'db[0].data.settings[0].value: expected the JSON of a list of {label, url}'],
      ['{"db":[{"data":{"posts":[],"settings":[{"key":"navigation","value":"[{\\"label\\":1}]"}]}}]}', 'db[0].data.settings[0].value[0].label: expected a string'],
    ];
    for (const [json, message] of cases) {
      const error = await formatError(parseGhostExport(text(json), converter()));
      expect(error.message).toBe(message);
    }
  });

  it('refuses absurd nesting with its position, before holding it', async () => {
    const deep = `{"db":[{"data":{"posts":[],"x":${'['.repeat(100_000)}`;
    const error = await formatError(parseGhostExport(text(deep, 1 << 16), converter()));
    expect(error.message).toMatch(/^line 1, column \d+: JSON nesting depth exceeds maxDepth \(64\)$/);
  });

  it('never builds an object from a __proto__ key', async () => {
    const json = '{"db":[{"data":{"posts":[{"id":"p","title":"t","slug":"s","status":"draft","__proto__":{"polluted":true}}]}}]}';
    const bundle = await parseGhostExport(text(json), converter());
    expect(bundle.entries).toHaveLength(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseGhostExport: memory', () => {
  it('streams a 40 MB export one post at a time', { timeout: 120_000 }, async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const POSTS = 1_000;
    const html = `<p>${'Pears ripen off the tree, slowly and quietly. '.repeat(290)}</p>`;
    let bytes = 0;
    let peak = 0;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    const sample = () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    };
    async function* generate() {
      const emit = (s: string) => {
        bytes += s.length;
        return Buffer.from(s);
      };
      yield emit('{"db":[{"meta":{"version":"5.80.0"},"data":{"posts":[');
      for (let i = 0; i < POSTS; i++) {
        const post = { id: `p${i}`, title: `Orchard generated ${i}`, slug: `orchard-generated-${i}`, status: 'published', html, plaintext: html, lexical: html };
        yield emit(`${i ? ',' : ''}${JSON.stringify(post)}`);
        if (i % 100 === 0) sample();
      }
      yield emit(`],"posts_authors":[${Array.from({ length: POSTS }, (_, i) => `{"post_id":"p${i}","author_id":"u"}`).join(',')}],`);
      yield emit('"users":[{"id":"u","name":"U","slug":"u","email":"u@example.org"}]}}]}');
      sample();
    }
    const summary: BodyConverter = (h) => ({ markdown: `${h.length} characters`, images: [], dropped: [], shortcodes: [] });
    const bundle = await parseGhostExport(generate(), summary);
    sample();
    expect(bytes).toBeGreaterThan(40_000_000);
    expect(bundle.entries).toHaveLength(POSTS);
    expect(bundle.entries[POSTS - 1].authorIds).toEqual(['u']);
    console.info(`Ghost export of ${(bytes / 1e6).toFixed(1)} MB: live heap peak +${(peak / 1e6).toFixed(1)} MB (${((100 * peak) / bytes).toFixed(1)}%)`);
    expect(peak).toBeLessThan(0.6 * bytes);
  });
});
