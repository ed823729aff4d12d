/** The newsletter's message: made for mail clients from the stored (sanitised) post HTML, personalised only with the unsubscribe link. */
import { describe, expect, it } from 'vitest';
import { mailBody } from '@/lib/mail/html';
import { personalise, renderNewsletter } from '@/lib/newsletters/render';

const site = { title: 'The Broadsheet', url: 'https://news.example.com', locale: 'en' };
const addresses = { siteUrl: site.url, pageUrl: `${site.url}/posts/spring` };
const media = '/media/0b0c5b1e-6a0c-4c8b-9d7e-1a2b3c4d5e6f/1600x900/sunset.jpg';

describe('mailBody', () => {
  it('makes links and images absolute, sizes our images for the 600 px column from their URL, inlines styles', () => {
    const { html } = mailBody(
      `<p>See <a href="/posts/other">this</a> and <a href="#notes">notes</a>.</p><figure><img src="${media}" alt="Sunset" loading="lazy" srcset="${media} 1600w" sizes="44rem" width="1600" height="900"><figcaption>Cap</figcaption></figure>`,
      addresses,
    );
    expect(html).toContain('<a href="https://news.example.com/posts/other" style="color:#1a56db;text-decoration:underline;">this</a>');
    expect(html).toContain('href="https://news.example.com/posts/spring#notes"');
    expect(html).toContain(`<img src="https://news.example.com${media}" alt="Sunset" width="536" height="302" style="display:block;`);
    expect(html).not.toMatch(/srcset|sizes=|loading=|class=/);
    expect(html).toMatch(/<p style="font-family:Georgia/);
    expect(html).toMatch(/<figcaption style="/);
  });

  it('drops what mail must not carry: scripts, frames, forms, handlers, javascript: links, heading anchors, hidden labels', () => {
    const { html, text } = mailBody(
      '<h2 id="x">Title<a class="heading-anchor" href="#x">#</a></h2><script>alert(1)</script><iframe src="https://evil.test"></iframe>' +
        '<form action="/x"><input name="a"></form><p onclick="steal()">Hi <a href="javascript:alert(1)">there</a></p>' +
        '<h2 class="sr-only">Footnotes</h2><img src="data:image/png;base64,AAAA" alt="inline"><style>p{}</style>',
      addresses,
    );
    expect(html).not.toMatch(/script|iframe|form|input|onclick|javascript:|heading-anchor|Footnotes|data:|<style/i);
    expect(html).toContain('Hi there</p>');
    expect(text).toBe('Title\n-----\n\nHi there');
  });

  it('gives a readable plain text: headings, lists, quotes, links with their address, images as alt text', () => {
    const { text } = mailBody(
      `<h1>Big</h1><p>Read <a href="/a">the story</a> at <a href="https://x.test/">https://x.test/</a>.</p><ul><li>one</li><li>two</li></ul><ol><li>first</li></ol><blockquote><p>quoted</p></blockquote><p><img src="${media}" alt="Sunset"></p><pre><code>code  kept</code></pre>`,
      addresses,
    );
    expect(text).toBe(
      'Big\n===\n\nRead the story (https://news.example.com/a) at https://x.test/.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n[Sunset]\n\ncode  kept',
    );
  });
});

describe('renderNewsletter and personalise', () => {
  const post = {
    title: 'Spring <issue> & more',
    subtitle: 'A subtitle',
    slug: 'spring',
    html: '<p>Body</p>',
    heroImage: media,
    heroImageAlt: 'Hero',
    authorName: 'Ada',
  };

  it('renders once with a marker that only the member’s unsubscribe link replaces, escaped in HTML', () => {
    const rendered = renderNewsletter(post, site);
    expect(rendered.subject).toBe('Spring <issue> & more');
    expect(rendered.html).toContain('<title>Spring &lt;issue&gt; &amp; more</title>');
    expect(rendered.html).toContain(`<img src="https://news.example.com${media}" alt="Hero" width="536" height="302"`);
    expect(rendered.html).toContain('href="https://news.example.com/posts/spring"');
    const link = 'https://news.example.com/unsubscribe?m=1&s=abc';
    const mine = personalise(rendered, link);
    expect(mine.html).toContain('href="https://news.example.com/unsubscribe?m=1&amp;s=abc"');
    expect(mine.text).toContain(`Unsubscribe: ${link}`);
    expect(mine.text).toContain('View on the web: https://news.example.com/posts/spring');
    expect(mine.html + mine.text).not.toContain(rendered.marker);
    // A second render has another marker: a post cannot guess it.
    expect(renderNewsletter(post, site).marker).not.toBe(rendered.marker);
  });

  it('the subject loses control characters', () => {
    expect(renderNewsletter({ ...post, title: 'Hi\r\nBcc: evil@x\u0000' }, site).subject).toBe('Hi Bcc: evil@x');
  });
});
