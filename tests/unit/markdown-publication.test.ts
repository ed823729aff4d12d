/**
 * The markdown publications need (lib/markdown/publication.ts): footnotes and captioned figures as
 * every output gets them, callouts, embeds' link cards, and the `<!--more-->` excerpt; with the
 * hostile inputs each one invites.
 */
import { describe, expect, it } from 'vitest';
import { EMBED_PROVIDERS, embedProviderFor, findEmbedUrls, MAX_EMBEDS_PER_POST } from '@/lib/embeds/providers';
import { MAX_EXCERPT_CHARS, renderMarkdown, type EmbedMap } from '@/lib/markdown';

const MEDIA = '/media/0b0c5b1e-6a0c-4c8b-9d7e-1a2b3c4d5e6f/480x360/youtube-a-talk.jpg';
const html = async (markdown: string, embeds?: EmbedMap) => (await renderMarkdown(markdown, { embeds })).html;

/** Every address the HTML would make a browser load on page view (not links: those wait for a click). */
function loadedAddresses(out: string): string[] {
  const found: string[] = [];
  for (const match of out.matchAll(/\s(src|srcset|poster|data)="([^"]*)"/g)) {
    for (const candidate of match[2].split(',')) found.push(candidate.trim().split(/\s+/)[0]);
  }
  return found;
}

describe('footnotes and figures', () => {
  it('a footnote is a numbered reference to a note at the end, with a way back', async () => {
    const out = await html('Claim[^src].\n\n[^src]: The source.\n');
    expect(out).toMatch(/<sup><a href="#user-content-fn-src" id="user-content-fnref-src" data-footnote-ref[ =]/);
    expect(out).toMatch(/<section data-footnotes(="")? class="footnotes">[\s\S]*<li id="user-content-fn-src">[\s\S]*The source\./);
    expect(out).toContain('href="#user-content-fnref-src"');
  });

  it('an image with a title alone in its paragraph is a figure with that caption, escaped as text', async () => {
    const out = await html('![A cat](/a.png "On a <b>mat</b> & rug")');
    expect(out).toMatch(/^<figure><img src="\/a\.png" alt="A cat"[^>]*><figcaption>On a &#x3C;b>mat&#x3C;\/b> &#x26; rug<\/figcaption><\/figure>$/);
    expect(out).not.toContain('title=');
  });
});

describe('callouts', () => {
  it.each([
    ['NOTE', 'note', 'Note'],
    ['TIP', 'tip', 'Tip'],
    ['IMPORTANT', 'important', 'Important'],
    ['WARNING', 'warning', 'Warning'],
    ['caution', 'caution', 'Caution'],
  ])('> [!%s] is an aside with its class and a visible text label', async (marker, kind, label) => {
    const out = await html(`> [!${marker}]\n> Mind the **gap**.\n>\n> Second paragraph.`);
    expect(out).toBe(
      `<aside class="callout callout-${kind}">\n<p class="callout-label"><strong>${label}</strong></p>\n<p>Mind the <strong>gap</strong>.</p>\n<p>Second paragraph.</p>\n</aside>`,
    );
  });

  it('only the first line of a quote, alone, makes a callout (as on GitHub); anything else stays a quote', async () => {
    expect(await html('> [!NOTE] and text on the same line')).toBe('<blockquote>\n<p>[!NOTE] and text on the same line</p>\n</blockquote>');
    expect(await html('> Text first\n> [!NOTE]')).toBe('<blockquote>\n<p>Text first\n[!NOTE]</p>\n</blockquote>');
    expect(await html('> [!DANGER]\n> x')).toBe('<blockquote>\n<p>[!DANGER]\nx</p>\n</blockquote>');
    expect(await html('[!NOTE]\nnot quoted')).toBe('<p>[!NOTE]\nnot quoted</p>');
  });

  it('a callout is sanitised like any text: script, handlers and javascript: links are gone, the label stays ours', async () => {
    const out = await html(
      '> [!WARNING]\n> <script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:alert(3)">click</a>\n> <aside class="callout-label" onclick="x()">fake</aside>',
    );
    expect(out).not.toMatch(/script|onerror|onclick|javascript:|alert\(1\)/i);
    expect(out.match(/class="callout-label"/g)).toHaveLength(1);
    expect(out).toMatch(/^<aside class="callout callout-warning">\n<p class="callout-label"><strong>Warning<\/strong><\/p>/);
  });

  it('an author cannot write the callout markup by hand (aside and its classes are not allowed in the body)', async () => {
    expect(await html('<aside class="callout callout-note"><p>x</p></aside>')).toBe('<p>x</p>');
  });
});

describe('embeds', () => {
  const urls: [string, string, string][] = [
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'Watch on YouTube'],
    ['https://youtube.com/watch?v=dQw4w9WgXcQ&t=42', 'youtube', 'Watch on YouTube'],
    ['https://youtu.be/dQw4w9WgXcQ', 'youtube', 'Watch on YouTube'],
    ['https://www.youtube.com/shorts/abcDEF12345', 'youtube', 'Watch on YouTube'],
    ['https://m.youtube.com/watch?v=dQw4w9WgXcQ', 'youtube', 'Watch on YouTube'],
    ['https://vimeo.com/76979871', 'vimeo', 'Watch on Vimeo'],
    ['https://soundcloud.com/artist/a-track', 'soundcloud', 'Listen on SoundCloud'],
    ['https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC', 'spotify', 'Listen on Spotify'],
    ['https://codepen.io/someone/pen/abcXYZ', 'codepen', 'View on CodePen'],
  ];

  it.each(urls)('%s alone on its line is a link card (%s) that links to it and loads nothing', async (url, provider, action) => {
    const out = await html(`Before.\n\n${url}\n\nAfter.`);
    const escaped = url.replace(/&/g, '&#x26;');
    expect(out).toContain(
      `<div class="embed embed-${provider}"><a class="embed-card" href="${escaped}" rel="noopener noreferrer"><span class="embed-title">${escaped}</span><br><span class="embed-action"><span aria-hidden="true">▶ </span>${action}</span></a></div>`,
    );
    expect(loadedAddresses(out)).toEqual([]);
    // Written in angle brackets, or as the imports write it (a link whose text is its URL), the same card.
    expect(await html(`[${url}](${url})`)).toContain(`class="embed embed-${provider}"`);
    expect(await html(`<${url}>`)).toContain(`class="embed embed-${provider}"`);
  });

  it('a resolved embed shows its title and OUR thumbnail (sized from its URL); the only other host is the link', async () => {
    const url = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
    const out = await html(url, new Map([[url, { title: 'A <talk> & "more"', thumbnail: MEDIA }]]));
    expect(out).toBe(
      `<div class="embed embed-youtube"><a class="embed-card" href="${url}" rel="noopener noreferrer"><img class="embed-thumb" src="${MEDIA}" alt="" width="480" height="360" loading="lazy" decoding="async"><span class="embed-title">A &#x3C;talk> &#x26; "more"</span><br><span class="embed-action"><span aria-hidden="true">▶ </span>Watch on YouTube</span></a></div>`,
    );
    expect(loadedAddresses(out)).toEqual([MEDIA]);
  });

  it('a thumbnail that is not one of our media URLs is never shown (whatever the cache holds)', async () => {
    const url = 'https://vimeo.com/76979871';
    for (const thumbnail of ['https://i.vimeocdn.com/x.jpg', '//evil.test/media/x', 'javascript:alert(1)', '/media/not-an-id/1x1/a.jpg']) {
      const out = await html(url, new Map([[url, { title: 'T', thumbnail }]]));
      expect(loadedAddresses(out)).toEqual([]);
      expect(out).toContain('<span class="embed-title">T</span>');
    }
  });

  it('only a bare provider link alone in a top-level paragraph is a card', async () => {
    const plain = [
      'Watch https://youtu.be/dQw4w9WgXcQ now.',
      '[My talk](https://youtu.be/dQw4w9WgXcQ)',
      '- https://youtu.be/dQw4w9WgXcQ',
      '> https://youtu.be/dQw4w9WgXcQ',
      '```\nhttps://youtu.be/dQw4w9WgXcQ\n```',
      'https://youtu.be/dQw4w9WgXcQ\nhttps://vimeo.com/76979871',
      'https://example.com/watch?v=dQw4w9WgXcQ',
      'https://youtube.com.evil.test/watch?v=dQw4w9WgXcQ',
      'https://www.youtube.com/@channel',
    ];
    for (const markdown of plain) expect(await html(markdown), markdown).not.toContain('class="embed');
  });

  it('a javascript: or data: "URL" on its own line is never a card nor a link', async () => {
    for (const line of ['javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ', '<javascript:alert(1)>', 'data:text/html,<script>alert(1)</script>']) {
      const out = await html(line);
      expect(out, line).not.toContain('class="embed');
      expect(out, line).not.toMatch(/href="(javascript|data):/i);
      expect(out, line).not.toContain('<script');
    }
    expect(embedProviderFor('javascript:alert(1)')).toBeNull();
    expect(embedProviderFor('https://user:pw@youtu.be/dQw4w9WgXcQ')).toBeNull();
    expect(embedProviderFor('https://youtu.be:8443/dQw4w9WgXcQ')).toBeNull();
    expect(embedProviderFor(`https://youtu.be/${'a'.repeat(600)}`)).toBeNull();
  });

  it('card text is not counted as the article’s words', async () => {
    const url = 'https://vimeo.com/76979871';
    const withCard = await renderMarkdown(`One two three.\n\n${url}`, { embeds: new Map([[url, { title: 'Four five six seven', thumbnail: null }]]) });
    expect(withCard.wordCount).toBe(3);
  });

  it('findEmbedUrls lists the provider URLs alone on a line, once each, at most MAX_EMBEDS_PER_POST', () => {
    expect(
      findEmbedUrls(
        'Intro https://youtu.be/aaaaaaaaaaa\n\nhttps://youtu.be/bbbbbbbbbbb\n  <https://vimeo.com/123456>\nhttps://example.com/x\nhttps://youtu.be/bbbbbbbbbbb\n',
      ),
    ).toEqual(['https://youtu.be/bbbbbbbbbbb', 'https://vimeo.com/123456']);
    // The imports write an embed as a link whose text is its URL: the same card, resolved the same way.
    expect(findEmbedUrls('[https://vimeo.com/123456](https://vimeo.com/123456)\n[https://vimeo.com/1](https://vimeo.com/2)\n')).toEqual([
      'https://vimeo.com/123456',
    ]);
    const many = Array.from({ length: 40 }, (_, i) => `https://vimeo.com/${100000 + i}`).join('\n\n');
    expect(findEmbedUrls(many)).toHaveLength(MAX_EMBEDS_PER_POST);
  });

  it('every provider’s endpoint is a public https oEmbed endpoint (no key in it)', () => {
    for (const provider of EMBED_PROVIDERS) {
      const endpoint = new URL(provider.endpoint);
      expect(endpoint.protocol).toBe('https:');
      expect(endpoint.search).toBe('');
    }
  });
});

describe('the read-more marker', () => {
  it('<!--more--> on its own line renders nothing; what is above it is the excerpt (plain text)', async () => {
    const rendered = await renderMarkdown(
      '## A start\n\nThe **first** paragraph[^1], with [a link](/x).\n\n> [!TIP]\n> A tip.\n\n<!--more-->\n\nThe rest.\n\n[^1]: A note.\n',
    );
    expect(rendered.html).not.toContain('more');
    expect(rendered.html).toContain('<p>The rest.</p>');
    expect(rendered.excerpt).toBe('A start The first paragraph, with a link. Tip A tip.');
  });

  it('WordPress’s variants count; only the first top-level marker does; none means no excerpt', async () => {
    expect((await renderMarkdown('One.\n\n<!-- more -->\n\nTwo.')).excerpt).toBe('One.');
    expect((await renderMarkdown('One.\n\n<!--more Read on-->\n\nTwo.')).excerpt).toBe('One.');
    expect((await renderMarkdown('One.\n\n<!--more-->\n\nTwo.\n\n<!--more-->\n\nThree.')).excerpt).toBe('One.');
    expect((await renderMarkdown('One.\n\nTwo.')).excerpt).toBe('');
    expect((await renderMarkdown('> One.\n>\n> <!--more-->\n\nTwo.')).excerpt).toBe('');
    expect((await renderMarkdown('```\n<!--more-->\n```')).html).toContain('&#x3C;!--more-->');
    expect((await renderMarkdown('Text <!--more--> inline.')).excerpt).toBe('');
  });

  it('a marker first gives an empty excerpt; an excerpt longer than the limit is cut on a word with an ellipsis', async () => {
    expect((await renderMarkdown('<!--more-->\n\nAll.')).excerpt).toBe('');
    const long = (await renderMarkdown(`${'word '.repeat(1000)}\n\n<!--more-->\n\nRest.`)).excerpt;
    expect(long.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS);
    expect(long).toMatch(/^word( word)+…$/);
  });

  it('embed cards are left out of the excerpt; figures give their caption', async () => {
    const rendered = await renderMarkdown('Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n![x](/a.png "The caption")\n\n<!--more-->\n\nRest.');
    expect(rendered.excerpt).toBe('Intro. The caption');
  });
});
