import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertBody, MAX_HTML_DEPTH, wpautop } from '@/lib/import/html';
import type { BodyConverterOptions, SourceImage } from '@/lib/import/types';
import { renderMarkdown } from '@/lib/markdown';

const SITE = 'https://old.example';

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/import/html/${name}`, import.meta.url), 'utf8');
}

function html(body: string, options: Partial<BodyConverterOptions> = {}) {
  return convertBody(body, { format: 'html', siteUrl: SITE, ...options });
}

function wp(body: string, options: Partial<BodyConverterOptions> = {}) {
  return convertBody(body, { format: 'wordpress', siteUrl: SITE, ...options });
}

function md(body: string, options: Partial<BodyConverterOptions> = {}): string {
  return html(body, options).markdown;
}

/** The rendered HTML of the converted markdown, through our own pipeline. */
async function rendered(body: string, options: Partial<BodyConverterOptions> = {}): Promise<string> {
  return (await renderMarkdown(convertBody(body, { format: 'html', siteUrl: SITE, ...options }).markdown)).html;
}

describe('convertBody: elements', () => {
  it('converts headings, paragraphs, emphasis, inline code, hr and line breaks', () => {
    expect(md('<h2>Title</h2><p>A <em>b</em> <strong>c</strong> <code>d()</code></p><hr><p>one<br>two</p>')).toBe(
      '## Title\n\nA _b_ **c** `d()`\n\n---\n\none\\\ntwo\n',
    );
  });

  it('converts nested lists', () => {
    expect(md('<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul><ol><li>one</li><li>two</li></ol>')).toBe('- a\n  - b\n- c\n\n1. one\n2. two\n');
  });

  it('keeps link href and title, image alt', () => {
    expect(md('<p><a href="https://x.test/a" title="A title">link</a> <img src="https://x.test/i.png" alt="An image"></p>')).toBe(
      '[link](https://x.test/a "A title") ![An image](https://x.test/i.png)\n',
    );
  });

  it('converts tables to GFM and blockquotes', () => {
    expect(md('<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table><blockquote><p>q</p></blockquote>')).toBe(
      '| A | B |\n| - | - |\n| 1 | 2 |\n\n> q\n',
    );
  });

  it('keeps the language of code blocks in every dialect', () => {
    const code = (body: string) => md(body).split('\n')[0];
    expect(code('<pre><code class="language-js">x</code></pre>')).toBe('```js');
    expect(code('<pre class="wp-block-code"><code lang="php">x</code></pre>')).toBe('```php');
    expect(code('<pre class="wp-block-code"><code class="language-rust">x</code></pre>')).toBe('```rust');
    expect(code('<pre class="language-go">x</pre>')).toBe('```go');
    expect(code('<pre class="brush: ruby">x</pre>')).toBe('```ruby');
    expect(code('<pre><code>plain</code></pre>')).toBe('```');
    expect(md('<pre><code class="language-js">if (a &lt; b) {\n  go();\n}\n</code></pre>')).toBe('```js\nif (a < b) {\n  go();\n}\n```\n');
  });
});

describe('convertBody: images with captions and galleries', () => {
  it('turns a WordPress image block into a titled image standing alone', () => {
    const result = html(
      '<figure class="wp-block-image size-large"><a href="/wp-content/uploads/big.jpg"><img src="/wp-content/uploads/x-1024x683.jpg" alt="Harbour" srcset="a 1w"/></a><figcaption class="wp-element-caption">At <em>dawn</em></figcaption></figure>',
    );
    expect(result.markdown).toBe('![Harbour](https://old.example/wp-content/uploads/x-1024x683.jpg "At dawn")\n');
  });

  it('turns a Ghost image card into a titled image and keeps a link that goes elsewhere', () => {
    expect(md('<figure class="kg-card kg-image-card"><img src="https://x.test/i.jpg" alt="A"><figcaption>Cap</figcaption></figure>')).toBe(
      '![A](https://x.test/i.jpg "Cap")\n',
    );
    expect(md('<figure><a href="https://shop.test/"><img src="https://x.test/i.jpg" alt="A"></a><figcaption>Cap</figcaption></figure>')).toBe(
      '[![A](https://x.test/i.jpg "Cap")](https://shop.test/)\n',
    );
  });

  it('never invents a caption from an image title outside a figure', () => {
    expect(md('<p><img src="https://x.test/i.jpg" alt="A" title="tooltip"></p>')).toBe('![A](https://x.test/i.jpg)\n');
  });

  it('turns Ghost gallery cards and WordPress gallery blocks into one image per paragraph', () => {
    const ghost = md(
      '<figure class="kg-card kg-gallery-card"><div class="kg-gallery-container"><div class="kg-gallery-row"><div class="kg-gallery-image"><img src="https://x.test/1.jpg" alt="One"></div><div class="kg-gallery-image"><img src="https://x.test/2.jpg" alt="Two"></div></div></div><figcaption>Both</figcaption></figure>',
    );
    expect(ghost).toBe('![One](https://x.test/1.jpg)\n\n![Two](https://x.test/2.jpg)\n\nBoth\n');
    const wordpress = md(
      '<figure class="wp-block-gallery has-nested-images"><figure class="wp-block-image"><img src="https://x.test/1.jpg" alt="One"/><figcaption>First</figcaption></figure><figure class="wp-block-image"><img src="https://x.test/2.jpg" alt="Two"/></figure></figure>',
    );
    expect(wordpress).toBe('![One](https://x.test/1.jpg "First")\n\n![Two](https://x.test/2.jpg)\n');
    const legacy = md(
      '<figure class="wp-block-gallery"><ul class="blocks-gallery-grid"><li class="blocks-gallery-item"><figure><img src="https://x.test/1.jpg" alt="One"><figcaption class="blocks-gallery-item__caption">First</figcaption></figure></li><li class="blocks-gallery-item"><figure><img src="https://x.test/2.jpg" alt="Two"></figure></li></ul></figure>',
    );
    expect(legacy).toBe('![One](https://x.test/1.jpg "First")\n\n![Two](https://x.test/2.jpg)\n');
  });

  it('keeps the content of other figures with their caption as a paragraph', () => {
    expect(md('<figure class="wp-block-table"><table><tr><th>A</th></tr><tr><td>1</td></tr></table><figcaption>Results</figcaption></figure>')).toBe(
      '| A |\n| - |\n| 1 |\n\nResults\n',
    );
  });
});

describe('convertBody: footnotes', () => {
  it('converts markdown-it footnotes (Ghost markdown card)', () => {
    const result = md(
      '<p>Claim<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup> and<sup class="footnote-ref"><a href="#fn2" id="fnref2">[2]</a></sup> again<sup class="footnote-ref"><a href="#fn1" id="fnref1:1">[1:1]</a></sup>.</p><hr class="footnotes-sep"><section class="footnotes"><ol class="footnotes-list"><li id="fn1" class="footnote-item"><p>First <a href="#fnref1" class="footnote-backref">↩︎</a> <a href="#fnref1:1" class="footnote-backref">↩︎</a></p></li><li id="fn2" class="footnote-item"><p>Second <a href="https://src.test/">source</a> <a href="#fnref2" class="footnote-backref">↩︎</a></p></li></ol></section>',
    );
    expect(result).toBe('Claim[^1] and[^2] again[^1].\n\n[^1]: First\n\n[^2]: Second [source](https://src.test/)\n');
  });

  it('converts WordPress core footnotes', () => {
    const id = '3c3a9a5e-2b8e-4a6f-9d3b-1f2e3d4c5b6a';
    const result = wp(
      `<!-- wp:paragraph --><p>Body<sup data-fn="${id}" class="fn"><a href="#${id}" id="${id}-link">1</a></sup>.</p><!-- /wp:paragraph --><!-- wp:footnotes /--><ol class="wp-block-footnotes"><li id="${id}">The note. <a href="#${id}-link" aria-label="Jump to footnote reference 1">↩︎</a></li></ol>`,
    );
    expect(result.markdown).toBe('Body[^1].\n\n[^1]: The note.\n');
  });

  it('converts the generic shape: sup > a[href=#x] into an ordered list at the end', () => {
    expect(md('<p>Text<sup><a href="#note-a">a</a></sup></p><p>More.</p><ol><li id="note-a">Note A</li></ol>')).toBe('Text[^1]\n\nMore.\n\n[^1]: Note A\n');
    // An ordered list elsewhere, or one nothing points at, is just a list.
    expect(md('<ol><li id="x">Step</li></ol><p>Text<sup><a href="#x">1</a></sup></p>')).toBe('1. Step\n\nText[1](#x)\n');
  });
});

describe('convertBody: WordPress', () => {
  it('drops block comments but keeps their content, and keeps <!--more--> as our marker on its own line', () => {
    expect(
      wp(
        '<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n<!-- wp:paragraph -->\n<p>Two</p>\n<!-- /wp:paragraph -->',
      ).markdown,
    ).toBe('One\n\n<!--more-->\n\nTwo\n');
  });

  it('a <!--more--> inside a paragraph ends the excerpt after that paragraph, and only the first one counts', async () => {
    const { markdown } = wp('<p>Lead <em>in</em>.<!--more--></p>\n<p>Middle.</p>\n<p>End.<!--more--></p>');
    expect(markdown).toBe('Lead _in_.\n\n<!--more-->\n\nMiddle.\n\nEnd.\n');
    const rendered = await renderMarkdown(markdown);
    expect(rendered.excerpt).toBe('Lead in.');
    expect(rendered.html).toBe('<p>Lead <em>in</em>.</p>\n<p>Middle.</p>\n<p>End.</p>');
  });

  it('applies wpautop to classic bodies: blank lines are paragraphs, newlines are breaks, not in <pre> or block tags', () => {
    expect(wp('First line\nsecond line\n\nNext paragraph.<!--more-->\n\n<pre>a\n\nb</pre>\n<ul>\n<li>x</li>\n</ul>').markdown).toBe(
      'First line\\\nsecond line\n\nNext paragraph.\n\n<!--more-->\n\n```\na\n\nb\n```\n\n- x\n',
    );
    expect(wpautop('A\n\n<div>\nB\n</div>')).toBe('<p>A</p>\n<div>\nB\n</div>\n');
  });

  it('leaves block-markup bodies to their own paragraphs (a newline in HTML is a space)', () => {
    expect(wp('<!-- wp:paragraph --><p>One\nstill one</p><!-- /wp:paragraph -->').markdown).toBe('One still one\n');
  });

  it('expands [caption] around an image or a linked image', () => {
    const result = wp(
      '[caption id="attachment_1" align="alignnone" width="300"]<img src="/wp-content/uploads/a.jpg" alt="A" width="300" /> The caption[/caption]\n\n[caption id="attachment_2"]<a href="/wp-content/uploads/b-full.jpg"><img src="/wp-content/uploads/b.jpg" alt="B" /></a> Linked <em>caption</em>[/caption]',
    );
    expect(result.markdown).toBe(
      '![A](https://old.example/wp-content/uploads/a.jpg "The caption")\n\n![B](https://old.example/wp-content/uploads/b.jpg "Linked caption")\n',
    );
    expect(result.shortcodes).toEqual([]);
  });

  it('leaves [gallery] for the caller unless it can resolve attachments', () => {
    const without = wp('Before\n\n[gallery ids="3,4"]');
    expect(without.markdown).toBe('Before\n\n\\[gallery ids="3,4"]\n');
    expect(without.shortcodes).toEqual(['[gallery ids="3,4"]']);

    const attachments = new Map<string, SourceImage>([
      ['3', { url: '/wp-content/uploads/3.jpg', alt: 'Three', caption: 'Third' }],
      ['4', { url: 'https://cdn.test/4.jpg', alt: 'Four', caption: '' }],
    ]);
    const resolved = wp('[gallery ids="3,4" columns="2"]', { attachments });
    expect(resolved.markdown).toBe('![Three](https://old.example/wp-content/uploads/3.jpg "Third")\n\n![Four](https://cdn.test/4.jpg)\n');
    expect(resolved.shortcodes).toEqual([]);
    expect(resolved.images).toEqual(['https://old.example/wp-content/uploads/3.jpg', 'https://cdn.test/4.jpg']);
  });

  it('turns [embed], oEmbed URL lines and paragraphs, [audio] and [video] into links', () => {
    const result = wp(
      'Intro\nhttps://www.youtube.com/watch?v=a1\n\n[embed]https://vimeo.com/2[/embed]\n\n[audio mp3="/wp-content/uploads/a.mp3"][/audio]\n\n[video width="640" mp4="https://cdn.test/v.mp4"]fallback[/video]',
    );
    expect(result.markdown).toBe(
      'Intro\n\n[https://www.youtube.com/watch?v=a1](https://www.youtube.com/watch?v=a1)\n\n[https://vimeo.com/2](https://vimeo.com/2)\n\n[https://old.example/wp-content/uploads/a.mp3](https://old.example/wp-content/uploads/a.mp3)\n\n[https://cdn.test/v.mp4](https://cdn.test/v.mp4)\n',
    );
    expect(wp('<!-- wp:paragraph --><p>https://x.test/post</p><!-- /wp:paragraph -->').markdown).toBe('[https://x.test/post](https://x.test/post)\n');
    expect(
      wp(
        '<figure class="wp-block-embed is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">\nhttps://youtu.be/x\n</div><figcaption>Watch</figcaption></figure>',
      ).markdown,
    ).toBe('[https://youtu.be/x](https://youtu.be/x)\n\nWatch\n');
  });

  it('lists other shortcodes once and leaves them as text', () => {
    const result = wp('[contact-form-7 id="1" title="Contact"]\n\nText [contact-form-7 id="1" title="Contact"] [button url="/x"]Go[/button] [divider /]');
    expect(result.shortcodes).toEqual(['[contact-form-7 id="1" title="Contact"]', '[button url="/x"]', '[divider /]']);
    expect(result.markdown).toContain('\\[contact-form-7 id="1" title="Contact"]');
    expect(result.markdown).toContain('Go');
  });

  it('does not mistake brackets or code for shortcodes', () => {
    const result = wp(
      'See [1] and [x] and [sic] and [link text](https://x.test) and [[gallery]].\n\n<pre>[gallery ids="1"]</pre>\n\n<code>[embed]https://a.test[/embed]</code>',
    );
    expect(result.shortcodes).toEqual([]);
    expect(result.markdown).toContain('[gallery ids="1"]');
    expect(result.markdown).toContain('`[embed]https://a.test[/embed]`');
    expect(result.markdown).toContain('\\[gallery]'); // [[gallery]] is WordPress's escape for the literal text
  });

  it('turns [code] shortcodes into code blocks with their language', () => {
    expect(wp('[code language="js"]\nif (a < b && c) go();\n[/code]').markdown).toBe('```js\nif (a < b && c) go();\n```\n');
  });
});

describe('convertBody: what the sanitiser would drop', () => {
  it('names dropped elements, iframe sources, handlers, styles and javascript: URLs, once each', () => {
    const result = html(
      '<p style="color:red" onclick="steal()">Hi <span style="font-weight:bold">there</span></p><script>alert(1)</script><script src="https://evil.test/x.js"></script><style>p{color:red}</style><iframe src="https://www.youtube.com/embed/x"></iframe><form action="/s"><p>In a form</p></form><object data="https://x.test/f.swf">fallback text</object><p><a href="javascript:alert(1)">click</a> <a href="  JaVa\nScRiPt:alert(2)">two</a></p>',
    );
    expect(result.dropped).toEqual([
      'style attributes (2)',
      'onclick attribute',
      '<script> (2)',
      '<style>',
      '<iframe src=https://www.youtube.com/embed/x>',
      '<form>, its text kept',
      '<object data=https://x.test/f.swf>',
      'javascript: URL in <a href> (2)',
    ]);
    expect(result.markdown).toBe('Hi there\n\nIn a form\n\nclick two\n');
  });

  it('derives the report from the sanitize schema: allowed elements are not reported', () => {
    expect(html('<details><summary>S</summary><p>D</p></details><p><kbd>K</kbd><sub>2</sub><u>u</u></p>').dropped).toEqual(['<u>, its text kept']);
  });

  it('never lets script or style text into the markdown', () => {
    const result = md('<p>a</p><script>document.cookie</script><style>.x{}</style><noscript>ns</noscript><template><p>t</p></template><p>b</p>');
    expect(result).toBe('a\n\nb\n');
  });

  it('drops images with data: URLs but recovers lazy-loaded sources', () => {
    const result = html(
      '<p><img src="data:image/gif;base64,R0lGOD" data-src="/wp-content/uploads/real.jpg" alt="Lazy"><img src="data:image/png;base64,AAAA" alt="Inline"></p>',
    );
    expect(result.markdown).toBe('![Lazy](https://old.example/wp-content/uploads/real.jpg)\n');
    expect(result.dropped).toEqual(['data: URL in <img src>']);
  });
});

describe('convertBody: URLs and the image list', () => {
  it('makes relative URLs absolute against siteUrl and replaces __GHOST_URL__', () => {
    const body =
      '<p><a href="/2020/01/post/">post</a> <a href="#top">top</a> <a href="mailto:a@b.test">mail</a> <img src="/wp-content/uploads/x.jpg" alt="x"> <img src="__GHOST_URL__/content/images/y.jpg" alt="y"> <img src="//cdn.test/z.jpg" alt="z"></p>';
    expect(md(body)).toBe(
      '[post](https://old.example/2020/01/post/) [top](#top) [mail](mailto:a@b.test) ![x](https://old.example/wp-content/uploads/x.jpg) ![y](https://old.example/content/images/y.jpg) ![z](https://cdn.test/z.jpg)\n',
    );
    expect(md(body, { siteUrl: null })).toBe(
      '[post](/2020/01/post/) [top](#top) [mail](mailto:a@b.test) ![x](/wp-content/uploads/x.jpg) ![y](/content/images/y.jpg) ![z](//cdn.test/z.jpg)\n',
    );
  });

  it('lists every image URL of the markdown, in order, without duplicates', () => {
    const result = html('<p><img src="/b.jpg" alt=""></p><figure><img src="/a.jpg" alt=""><figcaption>c</figcaption></figure><p><img src="/b.jpg" alt=""></p>');
    expect(result.images).toEqual(['https://old.example/b.jpg', 'https://old.example/a.jpg']);
  });
});

describe('convertBody: hostile input', () => {
  it('decodes entities once and escapes markdown so text round-trips', async () => {
    const body =
      '<p>*not emphasis* _nor this_ &amp;lt;b&amp;gt; 1. [x](y) # no heading `tick` a &lt; b</p><p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>';
    const output = await rendered(body);
    expect(output).toContain('<p>*not emphasis* _nor this_ &#x26;lt;b&#x26;gt; 1. [x](y) # no heading `tick` a &#x3C; b</p>');
    expect(output).toContain('&#x3C;script>alert(1)&#x3C;/script> &#x3C;img src=x onerror=alert(1)>');
    expect(output).not.toMatch(/<script|<img src="x"/);
  });

  it('caps 5,000-deep nesting and keeps the text', () => {
    const started = performance.now();
    const result = html('<div>'.repeat(5_000) + 'deep text' + '</div>'.repeat(5_000) + '<blockquote>'.repeat(5_000) + 'quoted');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.markdown).toContain('deep text');
    expect(result.markdown).toContain('quoted');
    expect(result.dropped).toContain(`elements nested deeper than ${MAX_HTML_DEPTH} levels (tags dropped, text kept)`);
  });

  it('converts a 2 MB body in reasonable time', () => {
    const paragraph = '<p>Lorem <em>ipsum</em> dolor sit amet, <a href="/x">consectetur</a> adipiscing [shortcode a="1"] &amp; more text.</p>\n';
    const body = paragraph.repeat(Math.ceil(2_000_000 / paragraph.length));
    const started = performance.now();
    const result = wp(body);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(result.markdown.split('\n\n')).toHaveLength(Math.ceil(2_000_000 / paragraph.length));
  }, 60_000);

  it('stays linear on pathological shapes', () => {
    for (const body of [
      '<script>'.repeat(100_000),
      '<a'.repeat(100_000),
      '['.repeat(200_000),
      '[a '.repeat(100_000),
      '<pre>'.repeat(100_000),
      ' '.repeat(500_000) + '\n<figcaption>',
    ]) {
      const started = performance.now();
      wp(body);
      expect(performance.now() - started, body.slice(0, 10)).toBeLessThan(5_000);
    }
  }, 60_000);
});

describe('convertBody: round trip through renderMarkdown', () => {
  it('renders headings, list items, table cells, captions, footnotes and code languages', async () => {
    const output = await rendered(
      '<h2>Results</h2><ul><li>First item</li></ul><table><tr><th>Ward</th></tr><tr><td>North</td></tr></table><figure class="kg-card kg-image-card"><img src="https://x.test/i.jpg" alt="River"><figcaption>The river</figcaption></figure><p>Claim<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup></p><section class="footnotes"><ol><li id="fn1"><p>Source <a href="#fnref1" class="footnote-backref">↩</a></p></li></ol></section><pre class="wp-block-code"><code lang="python">print(1)</code></pre>',
    );
    expect(output).toMatch(/<h2 id="results">Results/);
    expect(output).toContain('<li>First item</li>');
    expect(output).toContain('<td>North</td>');
    expect(output).toMatch(/<figure><img src="https:\/\/x.test\/i.jpg" alt="River"[^>]*><figcaption>The river<\/figcaption><\/figure>/);
    expect(output).toMatch(/<sup><a href="#user-content-fn-1"[^>]*>1<\/a><\/sup>/);
    expect(output).toMatch(/<li id="user-content-fn-1">\s*<p>Source/);
    expect(output).toContain('<code class="hljs language-python">');
  });

  it('renders the fixtures without losing their structure', async () => {
    const wordpress = wp(fixture('wordpress-blocks.html'));
    const page = (await renderMarkdown(wordpress.markdown)).html;
    expect(page.match(/<h2 id=/g)).toHaveLength(6);
    expect(page.match(/<figcaption>/g)).toHaveLength(2);
    expect(page.match(/data-footnote-ref/g)).toHaveLength(3);
    expect(page).toContain('language-javascript');
    expect(wordpress.images).toEqual([
      'https://old.example/wp-content/uploads/2021/02/harbour-1024x683.jpg',
      'https://old.example/wp-content/uploads/2021/02/bridge.jpg',
      'https://old.example/wp-content/uploads/2021/02/station.jpg',
    ]);
    expect(wordpress.dropped).toEqual(['<cite>, its text kept']);

    const ghost = html(fixture('ghost.html'));
    expect(ghost.markdown).toContain('![The river](https://old.example/content/images/2023/05/river.jpg "The river in spring")');
    expect(ghost.markdown).toContain('[The annual report](https://example.org/report)');
    expect(ghost.markdown).toContain('[^2]: The _second_ source.');
    expect(ghost.dropped).toEqual(['<iframe src=https://www.youtube.com/embed/abc123?feature=oembed>', 'style attributes (2)']);

    const classic = wp(fixture('wordpress-classic.html'), {
      attachments: new Map(['101', '102'].map((id) => [id, { url: `/wp-content/uploads/${id}.jpg`, alt: `Photo ${id}`, caption: '' }])),
    });
    expect(classic.markdown).toContain('![The market](https://old.example/wp-content/uploads/2015/03/market-640x480.jpg "Saturday at the market")');
    expect(classic.markdown).toContain('```php\n<?php\necho "hello";\n\n[not_a_shortcode here="yes"]\n?>\n```');
    expect(classic.shortcodes).toEqual(['[contact-form-7 id="404" title="Contact form 1"]']);
    expect(classic.images).toHaveLength(3);
  });
});

describe('convertBody: speed', () => {
  it('converts a typical 1,500-word post in a few milliseconds', () => {
    const body = fixture('wordpress-blocks.html');
    for (let index = 0; index < 20; index += 1) wp(body);
    const runs = 100;
    const started = performance.now();
    for (let index = 0; index < runs; index += 1) wp(body);
    const perPost = (performance.now() - started) / runs;
    console.info(`convertBody: ${perPost.toFixed(2)} ms per 1,500-word post`);
    expect(perPost).toBeLessThan(100);
  }, 60_000);
});
