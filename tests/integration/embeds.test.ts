/**
 * Embeds end to end against a real PostgreSQL and a local oEmbed provider on 127.0.0.1 (the
 * registry's endpoint replaced through OEMBED_ENDPOINT): a save resolves each URL once, the
 * thumbnail becomes our media, re-saves and re-renders ask nothing, and the page, the feeds and the
 * newsletter show the card with no address of another host but the card's link.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { embeds, media, members, posts } from '@/db/schema';
import { renderPreviewAction } from '@/app/editor/posts/[id]/actions';
import { rerenderPosts } from '@/lib/content/rerender';
import { atomFeed, jsonFeed, rssFeed } from '@/lib/feeds/build';
import { closeMail } from '@/lib/mail/transport';
import { ConflictError } from '@/lib/auth/errors';
import { deleteMedia } from '@/lib/media/mutations';
import { embedThumbnailMessage } from '@/lib/media/policy';
import { getStorage } from '@/lib/media/storage';
import { publishPost, savePost } from '@/lib/posts/mutations';
import { getPublicPost, listPublicPosts } from '@/lib/posts/queries';
import { fieldsOf, insertCast, insertPost, signInAs, type Cast } from '../support/actors';
import { resetDatabase } from '../support/db';
import { runDueJobs } from '../support/jobs';
import { startSmtpServer, type TestSmtp } from '../support/smtp';

vi.mock('@/lib/auth/session', () => ({ getSessionClaims: vi.fn() }));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn(), revalidateTag: vi.fn() }));

const VIDEO = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
const SONG = 'https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC';

let provider: Server;
let base = '';
let png: Buffer;
/** What the provider was asked, in order: `oembed <url>` or `thumb`. */
let asked: string[] = [];
/** How the provider answers right now. */
let mode: 'ok' | 'down' | 'not-an-image' = 'ok';
let smtp: TestSmtp;
let cast: Cast;

beforeAll(async () => {
  png = await sharp({ create: { width: 480, height: 360, channels: 3, background: '#205080' } })
    .png()
    .toBuffer();
  provider = createServer((req, res) => {
    const url = new URL(req.url!, base);
    if (url.pathname === '/oembed') {
      asked.push(`oembed ${url.searchParams.get('url')}`);
      if (mode === 'down') return res.writeHead(503).end('down');
      const title = url.searchParams.get('url') === VIDEO ? 'A harbour <tour>' : 'A song';
      const thumbnail = mode === 'not-an-image' ? `${base}/page.html` : `${base}/thumb.png`;
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ type: 'video', title, thumbnail_url: thumbnail }));
    }
    asked.push('thumb');
    if (url.pathname === '/thumb.png') return res.writeHead(200, { 'Content-Type': 'image/png' }).end(png);
    return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>not an image</html>');
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  smtp = await startSmtpServer();
  // Read once by lib/env on first use, which comes after this.
  process.env.OEMBED_ENDPOINT = `${base}/oembed`;
  process.env.EMBED_ALLOW_PRIVATE = 'true';
  process.env.SMTP_URL = smtp.url;
});

afterAll(async () => {
  closeMail();
  await smtp.close();
  await new Promise<void>((resolve) => provider.close(() => resolve()));
});

beforeEach(async () => {
  await resetDatabase();
  cast = await insertCast();
  signInAs(cast.A);
  asked = [];
  mode = 'ok';
  smtp.received.length = 0;
});

const body = `Tides[^1] and boats.

<!--more-->

> [!NOTE]
> Bring a coat.

${VIDEO}

[^1]: Twice a day.
`;

/** Every address a reader's client would load from this HTML without a click. */
const loaded = (html: string) =>
  [...html.matchAll(/\s(?:src|srcset)="([^"]*)"/g)].flatMap((match) => match[1].split(',').map((candidate) => candidate.trim().split(/\s+/)[0]));
/** Every host an address in this text points at (links included). */
const hosts = (text: string) => new Set([...text.matchAll(/https?:\/\/([^/"'\s<>&]+)/g)].map((match) => match[1]));

async function embedRow(url: string) {
  return (await getDb().select().from(embeds).where(eq(embeds.url, url)))[0];
}

describe('a save resolves embeds once', () => {
  it("keeps the thumbnail: the media library refuses to delete an embed card's image, and says why", async () => {
    const post = await insertPost({ author: cast.A, status: 'draft', markdown: 'Draft.' });
    await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: body }), autosave: false });
    const { thumbnailMediaId } = await embedRow(VIDEO);
    signInAs(cast.Z);
    await expect(deleteMedia({ id: thumbnailMediaId! })).rejects.toThrow(new ConflictError(embedThumbnailMessage(VIDEO)));
    expect(await getDb().select({ id: media.id }).from(media).where(eq(media.id, thumbnailMediaId!))).toHaveLength(1);
    expect((await embedRow(VIDEO)).thumbnailMediaId).toBe(thumbnailMediaId);
  });

  it('asks the provider, stores the thumbnail as media, renders the card; re-saves and re-renders ask nothing', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft', markdown: 'Draft.' });
    const saved = await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: body }), autosave: false });
    expect(asked).toEqual([`oembed ${VIDEO}`, 'thumb']);

    const row = await embedRow(VIDEO);
    expect(row).toMatchObject({ provider: 'youtube', status: 'resolved', title: 'A harbour <tour>', error: null });
    const [image] = await getDb().select().from(media).where(eq(media.id, row.thumbnailMediaId!));
    expect(image).toMatchObject({ width: 480, height: 360, contentType: 'image/png', uploaderId: null });
    expect(image.filename).toMatch(/^youtube-a-harbour-tour\.png$/);
    expect((await getStorage().get(image.storageKey))?.data.length).toBe(image.bytes);

    const thumb = `/media/${image.id}/480x360/${image.filename}`;
    const [stored] = await getDb().select({ html: posts.html, excerpt: posts.excerpt }).from(posts).where(eq(posts.id, post.id));
    expect(stored.html).toContain(`<a class="embed-card" href="${VIDEO}" rel="noopener noreferrer"><img class="embed-thumb" src="${thumb}"`);
    expect(stored.html).toContain('<span class="embed-title">A harbour &#x3C;tour></span>');
    expect(stored.excerpt).toBe('Tides and boats.');

    // Saved again (explicitly, then as an autosave), re-rendered, previewed: the provider hears nothing more.
    const again = await savePost({ id: post.id, baseVersion: saved.post.version, fields: fieldsOf(post, { markdown: `${body}\nMore.` }), autosave: false });
    await savePost({ id: post.id, baseVersion: again.post.version, fields: fieldsOf(post, { markdown: `${body}\nMore still.` }), autosave: true });
    expect(await rerenderPosts({ all: true })).toBe(1);
    const preview = await renderPreviewAction({ markdown: body });
    expect(preview.ok && preview.data.html).toContain(`src="${thumb}"`);
    expect(asked).toEqual([`oembed ${VIDEO}`, 'thumb']);
    const [rerendered] = await getDb().select({ html: posts.html }).from(posts).where(eq(posts.id, post.id));
    expect(rerendered.html).toContain(`src="${thumb}"`);
    expect(await getDb().select({ id: media.id }).from(media)).toHaveLength(1);
  });

  it('the same thumbnail bytes from two embeds are stored once', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: `${VIDEO}\n\n${SONG}\n` }), autosave: false });
    expect(asked.filter((a) => a.startsWith('oembed')).sort()).toEqual([`oembed ${SONG}`, `oembed ${VIDEO}`]);
    const [video, song] = [await embedRow(VIDEO), await embedRow(SONG)];
    expect(video.thumbnailMediaId).toBe(song.thumbnailMediaId);
    expect(await getDb().select({ id: media.id }).from(media)).toHaveLength(1);
  });

  it('a provider that is down: the card shows the URL and provider; autosaves wait a minute, a save retries at once', async () => {
    mode = 'down';
    const post = await insertPost({ author: cast.A, status: 'draft' });
    const first = await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: VIDEO }), autosave: false });
    expect(await embedRow(VIDEO)).toMatchObject({ status: 'failed', error: 'HTTP 503', thumbnailMediaId: null });
    let [row] = await getDb().select({ html: posts.html }).from(posts).where(eq(posts.id, post.id));
    expect(row.html).toBe(
      `<div class="embed embed-youtube"><a class="embed-card" href="${VIDEO}" rel="noopener noreferrer"><span class="embed-title">${VIDEO}</span><br><span class="embed-action"><span aria-hidden="true">▶ </span>Watch on YouTube</span></a></div>`,
    );

    mode = 'ok';
    asked = [];
    const autosaved = await savePost({ id: post.id, baseVersion: first.post.version, fields: fieldsOf(post, { markdown: `${VIDEO}\n\nA.` }), autosave: true });
    expect(asked).toEqual([]);
    await savePost({ id: post.id, baseVersion: autosaved.post.version, fields: fieldsOf(post, { markdown: `${VIDEO}\n\nB.` }), autosave: false });
    expect(asked).toEqual([`oembed ${VIDEO}`, 'thumb']);
    expect(await embedRow(VIDEO)).toMatchObject({ status: 'resolved', error: null });
    [row] = await getDb().select({ html: posts.html }).from(posts).where(eq(posts.id, post.id));
    expect(row.html).toMatch(/<img class="embed-thumb" src="\/media\/[0-9a-f-]{36}\/480x360\//);
  });

  it('a thumbnail that is not an image: nothing stored, the card keeps the title, the failure is recorded', async () => {
    mode = 'not-an-image';
    const post = await insertPost({ author: cast.A, status: 'draft' });
    await savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: VIDEO }), autosave: false });
    expect(await embedRow(VIDEO)).toMatchObject({ status: 'failed', title: 'A harbour <tour>', error: 'the thumbnail is not an image', thumbnailMediaId: null });
    expect(await getDb().select({ id: media.id }).from(media)).toEqual([]);
    const [row] = await getDb().select({ html: posts.html }).from(posts).where(eq(posts.id, post.id));
    expect(row.html).toContain('<span class="embed-title">A harbour &#x3C;tour></span>');
    expect(loaded(row.html)).toEqual([]);
  });

  it('someone who may not edit the post makes no request to the provider', async () => {
    const post = await insertPost({ author: cast.A, status: 'draft' });
    signInAs(cast.A2);
    await expect(savePost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: VIDEO }), autosave: false })).rejects.toThrow();
    expect(asked).toEqual([]);
  });
});

describe('readers see the card, and nothing from another host', () => {
  it('the page, the feeds and the newsletter: the card links to the provider, every image is ours', async () => {
    await getDb()
      .insert(members)
      .values([{ email: 'reader@example.test', name: 'Reader', status: 'subscribed' }]);
    signInAs(cast.E);
    const post = await insertPost({ author: cast.E, status: 'draft', title: 'Field notes' });
    const change = await publishPost({ id: post.id, baseVersion: post.version, fields: fieldsOf(post, { markdown: body, sendEmail: true }) });
    const thumb = (await getDb().select({ id: media.id }).from(media))[0].id;
    const site = new URL(process.env.SITE_URL!).host;

    const page = (await getPublicPost(change.post.slug))!;
    expect(page.html).toContain(`<a class="embed-card" href="${VIDEO}"`);
    expect(page.html).toContain('<p class="callout-label"><strong>Note</strong></p>');
    expect(loaded(page.html).every((address) => address.startsWith(`/media/${thumb}/`))).toBe(true);
    expect([...hosts(page.html)]).toEqual(['www.youtube.com']);
    expect((await listPublicPosts({ limit: 5 })).items[0].excerpt).toBe('Tides and boats.');

    for (const feed of [await rssFeed(), await atomFeed(), await jsonFeed()]) {
      expect(feed).toContain(`/media/${thumb}/480x360/`);
      expect(feed).toMatch(/Tides and boats\./);
      expect(feed).toContain('embed-card');
      expect([...hosts(feed)].filter((host) => host !== site && !/jsonfeed\.org|w3\.org|purl\.org|wellformedweb|search\.yahoo/.test(host))).toEqual([
        'www.youtube.com',
      ]);
    }

    await runDueJobs();
    const message = smtp.received.find((m) => m.envelope.to[0] === 'reader@example.test')!;
    expect(message.html).toContain(`<a href="${VIDEO}" style="display:block;`);
    expect(message.html).toContain(`src="${process.env.SITE_URL}/media/${thumb}/480x360/`);
    expect(message.html).toContain('>Tides and boats.</div>');
    expect(message.text).toContain(`A harbour <tour>\n▶ Watch on YouTube (${VIDEO})`);
    expect(message.text).toContain('Note\n\nBring a coat.');
    expect(loaded(message.html).every((address) => address.startsWith(`${process.env.SITE_URL}/media/`))).toBe(true);
  });
});
