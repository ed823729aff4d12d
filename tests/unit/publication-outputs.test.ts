/**
 * One body with a footnote, a captioned figure, a callout and an embed, as each output shows it:
 * the stored HTML (page and live preview), the feeds' HTML (lib/feeds/body.ts) and the newsletter
 * (lib/mail/html.ts, lib/newsletters/render.ts). Every output keeps the same parts, readable
 * without CSS, and loads nothing from another host.
 */
import { describe, expect, it } from 'vitest';
import { feedBody, feedHtml } from '@/lib/feeds/body';
import { mailBody } from '@/lib/mail/html';
import { renderMarkdown } from '@/lib/markdown';
import { renderNewsletter } from '@/lib/newsletters/render';

const SITE = 'https://news.example.com';
const PAGE = `${SITE}/posts/field-notes`;
const FIGURE = '/media/0b0c5b1e-6a0c-4c8b-9d7e-1a2b3c4d5e6f/1600x900/harbour.jpg';
const THUMB = '/media/1c0c5b1e-6a0c-4c8b-9d7e-1a2b3c4d5e6f/480x360/youtube-harbour-tour.jpg';
const VIDEO = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

const markdown = `The harbour at dawn[^tide] is quiet.

<!--more-->

![Boats at anchor](${FIGURE} "Boats at anchor, 6 a.m.")

> [!WARNING]
> The pier is closed at high tide.

${VIDEO}

[^tide]: Low tide, that is.
`;

const body = async () => (await renderMarkdown(markdown, { embeds: new Map([[VIDEO, { title: 'A harbour tour', thumbnail: THUMB }]]) })).html;

/** Addresses a client would load without a click: every src and srcset candidate. */
const loaded = (html: string) =>
  [...html.matchAll(/\s(?:src|srcset)="([^"]*)"/g)].flatMap((match) => match[1].split(',').map((candidate) => candidate.trim().split(/\s+/)[0]));

describe('the same parts in every output', () => {
  it('the stored HTML (page and preview): footnote, figure, callout with its label, card with our thumbnail', async () => {
    const html = await body();
    expect(html).toContain('href="#user-content-fn-tide"');
    expect(html).toContain('<figcaption>Boats at anchor, 6 a.m.</figcaption>');
    expect(html).toContain('<aside class="callout callout-warning">\n<p class="callout-label"><strong>Warning</strong></p>');
    expect(html).toContain(`<a class="embed-card" href="${VIDEO}" rel="noopener noreferrer"><img class="embed-thumb" src="${THUMB}"`);
    expect(loaded(html).every((address) => address.startsWith('/media/'))).toBe(true);
  });

  it('feeds: every address absolute on the site, in-page links to the post, nothing loaded from another host', async () => {
    const html = feedHtml(await body(), { siteUrl: SITE, pageUrl: PAGE });
    expect(html).toContain(`href="${PAGE}#user-content-fn-tide"`);
    expect(html).toContain(`href="${PAGE}#user-content-fnref-tide"`);
    expect(html).toContain(`<img src="${SITE}${FIGURE}"`);
    expect(html).toContain(`srcset="${SITE}/media/0b0c5b1e-6a0c-4c8b-9d7e-1a2b3c4d5e6f/1600x900/w320.webp 320w,`);
    expect(html).toContain('<figcaption>Boats at anchor, 6 a.m.</figcaption>');
    expect(html).toContain('<p class="callout-label"><strong>Warning</strong></p>');
    expect(html).toContain(`<a class="embed-card" href="${VIDEO}" rel="noopener noreferrer"><img class="embed-thumb" src="${SITE}${THUMB}"`);
    expect(html).toContain(
      '<span class="embed-title">A harbour tour</span><br><span class="embed-action"><span aria-hidden="true">▶ </span>Watch on YouTube</span>',
    );
    expect(loaded(html).every((address) => address.startsWith(`${SITE}/media/`))).toBe(true);
    // Relative and odd addresses: made absolute, or dropped when they cannot be one of ours.
    expect(feedHtml('<p><a href="/tags/x">t</a> <a href="javascript:alert(1)">j</a></p>', { siteUrl: SITE, pageUrl: PAGE })).toBe(
      `<p><a href="${SITE}/tags/x">t</a> <a>j</a></p>`,
    );
  });

  it('feeds: a body remembered (feedBody) is the body feedHtml makes, and a changed body or address is made again', async () => {
    const html = await body();
    const first = feedBody(html, { siteUrl: SITE, pageUrl: PAGE });
    expect(first).toBe(feedHtml(html, { siteUrl: SITE, pageUrl: PAGE }));
    expect(feedBody(html, { siteUrl: SITE, pageUrl: PAGE })).toBe(first);
    // The post saved again: its new body, never the one remembered.
    const edited = html.replace('is quiet', 'is loud');
    expect(feedBody(edited, { siteUrl: SITE, pageUrl: PAGE })).toContain('is loud');
    // The post renamed: in-page links lead to its new address; another SITE_URL: absolute against it.
    expect(feedBody(html, { siteUrl: SITE, pageUrl: `${SITE}/posts/renamed` })).toContain(`href="${SITE}/posts/renamed#user-content-fn-tide"`);
    expect(feedBody(html, { siteUrl: 'https://other.example.org', pageUrl: PAGE })).toContain('<img src="https://other.example.org/media/');
  });

  it('mail: the label is text, the card is one link with our absolute thumbnail, styled inline', async () => {
    const { html, text } = mailBody(await body(), { siteUrl: SITE, pageUrl: PAGE });
    expect(html).toMatch(
      /<aside style="margin:16px 0;[^"]*border-left:4px solid #1a56db;[^"]*">\n<p style="[^"]*text-transform:uppercase;[^"]*"><strong>Warning<\/strong><\/p>/,
    );
    expect(html).toMatch(
      new RegExp(`<a href="${VIDEO.replace(/[?.]/g, '\\$&')}" style="display:block;[^"]*"><img src="${SITE}${THUMB}" alt="" width="480" height="360" style="`),
    );
    expect(html).toContain(`href="${PAGE}#user-content-fn-tide"`);
    expect(html).toMatch(/<figcaption style="[^"]*">Boats at anchor, 6 a\.m\.<\/figcaption>/);
    expect(loaded(html).every((address) => address.startsWith(`${SITE}/media/`))).toBe(true);
    expect(text).toContain('Warning\n\nThe pier is closed at high tide.');
    expect(text).toContain(`A harbour tour\n▶ Watch on YouTube (${VIDEO})`);
    expect(text).toContain('[Boats at anchor]\n\nBoats at anchor, 6 a.m.');
  });

  it('the newsletter’s inbox preview is the excerpt (a hidden preheader), escaped', async () => {
    const rendered = await renderMarkdown(markdown);
    expect(rendered.excerpt).toBe('The harbour at dawn is quiet.');
    const post = { title: 'Notes', subtitle: '', slug: 'field-notes', html: rendered.html, heroImage: null, heroImageAlt: '', authorName: 'Ada' };
    const site = { title: 'The Broadsheet', url: SITE, locale: 'en' };
    expect(renderNewsletter({ ...post, excerpt: 'Tides <b> & more' }, site).html).toMatch(
      /<body style="[^"]*">\n<div style="display:none;[^"]*">Tides &lt;b&gt; &amp; more<\/div>\n<table/,
    );
    expect(renderNewsletter(post, site).html).not.toContain('display:none');
  });
});
