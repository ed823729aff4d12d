import { describe, it, expect } from 'vitest';
import { countWords, MarkdownTooLargeError, MAX_MARKDOWN_CHARS, MAX_NESTING_DEPTH, readingMinutes, renderMarkdown, RENDERER_VERSION } from '@/lib/markdown';

async function html(markdown: string): Promise<string> {
  return (await renderMarkdown(markdown)).html;
}

/** Attributes of every tag named `tag` in `output`, as name → value maps. */
function tags(output: string, tag: string): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  for (const match of output.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'gi'))) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1].matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
      attributes[attribute[1].toLowerCase()] = attribute[2] ?? '';
    }
    found.push(attributes);
  }
  return found;
}

function ids(output: string): string[] {
  return [...output.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1]);
}

describe('renderMarkdown: GFM', () => {
  it('renders tables', async () => {
    const output = await html('| Name | Qty |\n|------|----:|\n| Tea  | 2   |\n');
    expect(output).toContain('<table>');
    expect(output).toMatch(/<th>Name<\/th>/);
    expect(output).toMatch(/<td[^>]*>2<\/td>/);
  });

  it('renders ~~strikethrough~~ as <del>', async () => {
    expect(await html('This is ~~wrong~~ right.')).toContain('<del>wrong</del>');
  });

  it('renders task lists with disabled checkboxes', async () => {
    const output = await html('- [ ] todo\n- [x] done\n');
    const inputs = tags(output, 'input');
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      expect(input.type).toBe('checkbox');
      expect(input).toHaveProperty('disabled');
    }
    expect(inputs[0]).not.toHaveProperty('checked');
    expect(inputs[1]).toHaveProperty('checked');
    expect(output).toContain('todo');
  });

  it('links a footnote reference to its definition, and back', async () => {
    const output = await html('Claim.[^source]\n\n[^source]: The source.\n');
    const [ref] = tags(output, 'a').filter((a) => 'data-footnote-ref' in a);
    const [back] = tags(output, 'a').filter((a) => 'data-footnote-backref' in a);
    expect(ref.href).toMatch(/^#/);
    expect(back.href).toMatch(/^#/);
    const present = ids(output);
    // The targets really exist (ids are prefixed by the sanitiser; links must follow).
    expect(present).toContain(decodeURIComponent(ref.href.slice(1)));
    expect(present).toContain(decodeURIComponent(back.href.slice(1)));
    expect(output).toContain('The source.');
  });

  it('turns literal URLs and www. addresses into links', async () => {
    const output = await html('See https://example.org/page and www.example.com today.');
    const hrefs = tags(output, 'a').map((a) => a.href);
    expect(hrefs).toContain('https://example.org/page');
    expect(hrefs).toContain('http://www.example.com');
  });
});

describe('renderMarkdown: headings and table of contents', () => {
  it('gives headings ids and an accessible anchor link', async () => {
    const output = await html('## Hello World\n\nText.');
    expect(output).toMatch(/<h2 id="hello-world">Hello World<a [^>]*>#<\/a><\/h2>/);
    const [anchor] = tags(output, 'a');
    expect(anchor).toMatchObject({
      class: 'heading-anchor',
      href: '#hello-world',
      'aria-label': 'Link to this section',
    });
  });

  it('lists h2–h4 in document order with their plain text', async () => {
    const { toc } = await renderMarkdown('# Title\n\n## First *part*\n\ntext\n\n### Detail `code`\n\n#### Deeper\n\n##### Too deep\n\n## Second\n');
    expect(toc).toEqual([
      { depth: 2, id: 'first-part', text: 'First part' },
      { depth: 3, id: 'detail-code', text: 'Detail code' },
      { depth: 4, id: 'deeper', text: 'Deeper' },
      { depth: 2, id: 'second', text: 'Second' },
    ]);
  });

  it('gives duplicate headings unique ids', async () => {
    const { html: output, toc } = await renderMarkdown('## Notes\n\n## Notes\n\n### Notes\n');
    expect(toc.map((entry) => entry.id)).toEqual(['notes', 'notes-1', 'notes-2']);
    expect(new Set(ids(output)).size).toBe(ids(output).length);
  });

  it('produces the same ids on every render (no state leaks between calls)', async () => {
    const markdown = '## Again\n\n## Again\n';
    expect(await html(markdown)).toBe(await html(markdown));
  });

  it('keeps the footnotes label out of the table of contents', async () => {
    const { toc } = await renderMarkdown('## Body\n\nText[^1]\n\n[^1]: Note.\n');
    expect(toc.map((entry) => entry.text)).toEqual(['Body']);
  });
});

describe('renderMarkdown: code', () => {
  it('highlights a ```ts fence on the server', async () => {
    const output = await html('```ts\nconst answer: number = 42;\n```\n');
    expect(output).toMatch(/<code class="[^"]*language-ts[^"]*">/);
    expect(output).toMatch(/<span class="hljs-keyword">const<\/span>/);
    expect(output).not.toContain('<script');
  });

  it('renders an unknown language as plain, escaped code without throwing', async () => {
    const output = await html('```nosuchlang\nif (a < b) { run() }\n```\n');
    expect(output).toContain('<pre><code');
    expect(output).toContain('if (a &#x3C; b) { run() }');
    expect(output).not.toContain('hljs-');
  });
});

describe('renderMarkdown: images and links', () => {
  it('lazy-loads images and keeps alt text (empty alt stays empty)', async () => {
    const output = await html('![A red kite](https://cdn.example.com/kite.jpg)\n\n![](/img/divider.png)\n');
    const [kite, divider] = tags(output, 'img');
    expect(kite).toMatchObject({
      src: 'https://cdn.example.com/kite.jpg',
      alt: 'A red kite',
      loading: 'lazy',
      decoding: 'async',
      referrerpolicy: 'no-referrer',
    });
    expect(divider).toMatchObject({ src: '/img/divider.png', alt: '', loading: 'lazy' });
  });

  it('adds rel="noopener noreferrer" to external links only', async () => {
    const output = await html('[out](https://example.com) [home](/about) [mail](mailto:a@example.com)');
    const [out, home, mail] = tags(output, 'a');
    expect(out.rel).toBe('noopener noreferrer');
    expect(home).not.toHaveProperty('rel');
    expect(home.href).toBe('/about');
    expect(mail.href).toBe('mailto:a@example.com');
  });
});

describe('renderMarkdown: hostile HTML is sanitised', () => {
  const hostile: Array<[string, string]> = [
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['javascript: link', '[x](javascript:alert(1))'],
    ['mixed-case javascript: link', '[x](JaVaScRiPt:alert(1))'],
    ['tab-split javascript: link', '[x](java&#x09;script:alert(1))'],
    ['tab-split javascript: in raw anchor', '<a href="java&#x09;script:alert(1)">x</a>'],
    ['entity-encoded javascript: in raw anchor', '<a href="&#106;avascript:alert(1)">x</a>'],
    ['data: URL anchor', '<a href="data:text/html,<script>alert(1)</script>">x</a>'],
    ['iframe', '<iframe src="https://evil.example"></iframe>'],
    ['style tag', '<style>body { display: none }</style>'],
    ['svg onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
    ['math', '<math><mi>x</mi></math>'],
    ['object', '<object data="https://evil.example/x.swf"></object>'],
    ['embed', '<embed src="https://evil.example/x.swf">'],
    ['form', '<form action="https://evil.example"><input name="q"><button>Go</button></form>'],
    ['style attribute', '<div style="background:url(javascript:alert(1))">box</div>'],
    ['vbscript: anchor', '<a href="vbscript:msgbox(1)">x</a>'],
    ['javascript: image', '![x](javascript:alert(1))'],
    ['data: image', '![x](data:image/svg+xml;base64,PHN2Zz4=)'],
    ['base href', '<base href="https://evil.example/">'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
    ['link stylesheet', '<link rel="stylesheet" href="https://evil.example/x.css">'],
    ['nested/malformed script', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
    ['event handler on allowed tag', '<p onclick="alert(1)" class="x" id="y">para</p>'],
    ['details ontoggle', '<details open ontoggle=alert(1)><summary>s</summary>x</details>'],
  ];

  it.each(hostile)('%s', async (_name, payload) => {
    const output = await html(`Before text.\n\n${payload}\n\nAfter text, inline ${payload} too.\n`);

    expect(output).not.toMatch(/<script/i);
    expect(output).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(output).not.toMatch(/<(?:iframe|style|object|embed|form|svg|math|base|meta|link)\b/i);
    expect(output).not.toMatch(/\sstyle\s*=/i);
    expect(output).not.toMatch(/javascript:|vbscript:/i);
    for (const tag of ['a', 'img']) {
      for (const attributes of tags(output, tag)) {
        for (const url of [attributes.href, attributes.src].filter((value) => value !== undefined)) {
          // Only http(s), mailto, or relative / fragment URLs survive.
          expect(url).toMatch(/^(?:https?:|mailto:|[#/?.]|[^:]*$)/i);
          expect(url).not.toMatch(/^\s*data:/i);
        }
      }
    }
    // The harmless text around the payload survives.
    expect(output).toContain('Before text.');
    expect(output).toContain('After text, inline');
    expect(output).toContain('too.');
  });

  it('keeps harmless text inside removed wrappers and drops executable content', async () => {
    const output = await html('<div style="color:red">kept words</div>\n\n<script>alert("gone")</script>\n');
    expect(output).toContain('kept words');
    expect(output).not.toContain('gone');
  });

  it('prefixes author-supplied ids and names (no DOM clobbering)', async () => {
    const output = await html('<a id="config" name="login">x</a>');
    const [anchor] = tags(output, 'a');
    expect(anchor.id).toBe('user-content-config');
    expect(anchor.name).toBe('user-content-login');
  });

  it('drops form inputs outside task lists', async () => {
    expect(await html('<input type="text" value="x"> text')).not.toContain('<input');
  });
});

describe('renderMarkdown: allowed inline HTML', () => {
  it('keeps sup, sub, kbd and details/summary', async () => {
    const output = await html('E = mc<sup>2</sup>, H<sub>2</sub>O, press <kbd>Ctrl</kbd>.\n\n<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n');
    expect(output).toContain('<sup>2</sup>');
    expect(output).toContain('<sub>2</sub>');
    expect(output).toContain('<kbd>Ctrl</kbd>');
    expect(output).toContain('<details><summary>More</summary>');
    expect(output).toContain('<em>text</em>');
    expect(output).toContain('</details>');
  });
});

describe('renderMarkdown: limits and pathological input', () => {
  it(`rejects input over ${MAX_MARKDOWN_CHARS} characters`, async () => {
    const error = await renderMarkdown('a'.repeat(MAX_MARKDOWN_CHARS + 1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MarkdownTooLargeError);
    expect(error).toMatchObject({ reason: 'length' });
  });

  it('renders a 100,000-character single line', { timeout: 30_000 }, async () => {
    const line = 'word '.repeat(20_000);
    expect(line.length).toBe(100_000);
    const rendered = await renderMarkdown(line);
    expect(rendered.html.startsWith('<p>word word')).toBe(true);
    expect(rendered.wordCount).toBe(20_000);
  });

  it('renders a 5,000-deep nested blockquote (capped nesting)', { timeout: 30_000 }, async () => {
    const output = await html('>'.repeat(5_000) + ' deep');
    expect(output).toContain('deep');
    expect(output.match(/<blockquote>/g)).toHaveLength(MAX_NESTING_DEPTH);
  });

  it('renders 5,000 nested list markers on one line (capped nesting)', { timeout: 30_000 }, async () => {
    const output = await html('- '.repeat(5_000) + 'item');
    expect(output).toContain('item');
    expect(output.match(/<ul>/g)).toHaveLength(MAX_NESTING_DEPTH);
  });

  it('rejects deeply nested raw HTML instead of crashing', { timeout: 30_000 }, async () => {
    const error = await renderMarkdown('<div>'.repeat(5_000) + 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MarkdownTooLargeError);
    expect(error).toMatchObject({ reason: 'complexity' });
  });

  it('rejects a paragraph of thousands of emphasis markers (quadratic in the parser)', { timeout: 30_000 }, async () => {
    const error = await renderMarkdown('*a'.repeat(50_000)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MarkdownTooLargeError);
    expect(error).toMatchObject({ reason: 'complexity' });
  });

  it('does not count fenced code, tables or list items against the emphasis limit', { timeout: 30_000 }, async () => {
    // Each part alone has more than 3,000 markers without a blank line.
    const code = '```c\n' + 'int **p = *q * 2;\n'.repeat(1_100) + '```\n';
    const table = '| a | b |\n|---|---|\n' + '| **x** | *y* |\n'.repeat(600);
    const glossary = '- **Term** — a [definition](https://example.com) with *stress*.\n'.repeat(700);
    await expect(renderMarkdown(code + '\n' + table + '\n' + glossary)).resolves.toHaveProperty('html');
  });

  it('rejects a single list of more than 10,000 items (super-linear in the parser)', async () => {
    const error = await renderMarkdown('- a\n'.repeat(10_001)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MarkdownTooLargeError);
    expect(error).toMatchObject({ reason: 'complexity' });
  });

  it('rejects thousands of setext headings (quadratic in the parser)', async () => {
    const error = await renderMarkdown('Title\n=====\n\n'.repeat(5_000)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MarkdownTooLargeError);
    expect(error).toMatchObject({ reason: 'complexity' });
  });

  it('caps nesting of indented lists instead of hanging', { timeout: 60_000 }, async () => {
    const markdown = Array.from({ length: 300 }, (_, depth) => '  '.repeat(depth) + '- level').join('\n');
    const output = await html(markdown);
    expect(output.match(/<ul>/g)!.length).toBeLessThanOrEqual(MAX_NESTING_DEPTH);
    expect(output).toContain('level');
  });
});

describe('word count and reading time', () => {
  it('counts words in markdown, ignoring syntax, URLs and fence info strings', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('Hello world')).toBe(2);
    expect(countWords('# Title\n\nSome *emphasis* and [a link](https://example.com/x "Title").')).toBe(6);
    expect(countWords('```ts\nconst x = 1;\n```')).toBe(3);
    expect(countWords("Don't stop state-of-the-art")).toBe(3);
    expect(countWords('<kbd>Ctrl</kbd> + <kbd>C</kbd> &amp; more <!-- hidden note -->')).toBe(3);
    expect(countWords('- one\n- two\n\n> three')).toBe(3);
  });

  it('counts each CJK character as a word', () => {
    expect(countWords('日本語')).toBe(3);
  });

  it('reading time is words / 230, rounded, at least one minute', () => {
    expect(readingMinutes(0)).toBe(1);
    expect(readingMinutes(100)).toBe(1);
    expect(readingMinutes(230)).toBe(1);
    expect(readingMinutes(345)).toBe(2);
    expect(readingMinutes(460)).toBe(2);
    expect(readingMinutes(2_300)).toBe(10);
  });

  it('reports the rendered word count and reading time', async () => {
    const markdown = '## Heading here\n\nOne two three four [five](https://example.com).\n\n```ts\nsix\n```\n';
    const rendered = await renderMarkdown(markdown);
    expect(rendered.wordCount).toBe(8); // the heading anchor '#' and the fence language are not words
    expect(rendered.wordCount).toBe(countWords(markdown));
    expect(rendered.readingMinutes).toBe(1);
    expect((await renderMarkdown('word '.repeat(690))).readingMinutes).toBe(3);
  });

  it('exposes a renderer version', () => {
    expect(RENDERER_VERSION).toBe(4);
  });
});

describe('renderMarkdown: captioned images', () => {
  it('renders a paragraph of just one titled image as a figure with the title as caption', async () => {
    const output = await html('![A cat](https://x.test/cat.jpg "The cat, asleep")');
    expect(output).toMatch(/^<figure><img src="https:\/\/x.test\/cat.jpg" alt="A cat" loading="lazy"[^>]*><figcaption>The cat, asleep<\/figcaption><\/figure>$/);
    expect(tags(output, 'img')[0].title).toBeUndefined();
  });

  it('keeps a link around the captioned image', async () => {
    expect(await html('[![A](https://x.test/a.jpg "Caption")](https://y.test/)')).toMatch(
      /^<figure><a href="https:\/\/y.test\/" rel="noopener noreferrer"><img [^>]*><\/a><figcaption>Caption<\/figcaption><\/figure>$/,
    );
  });

  it('leaves images without a title, or with other content in the paragraph, as they were', async () => {
    expect(await html('![A](https://x.test/a.jpg)')).toMatch(/^<p><img [^>]*><\/p>$/);
    expect(await html('Text ![A](https://x.test/a.jpg "T")')).toMatch(/^<p>Text <img [^>]*title="T"[^>]*><\/p>$/);
    expect(await html('![A](https://x.test/a.jpg "T") ![B](https://x.test/b.jpg "U")')).not.toContain('<figure>');
  });

  it('puts the caption in as text, never as markup', async () => {
    const output = await html('![x](https://x.test/a.jpg "<img src=x onerror=alert(1)> &amp; <b>b</b>")');
    expect(output).toContain('<figcaption>&#x3C;img src=x onerror=alert(1)> &#x26; &#x3C;b>b&#x3C;/b></figcaption>');
    expect(output).not.toMatch(/<img src="?x/);
    expect(output).not.toContain('<b>');
  });

  it('counts the caption as words a reader sees', async () => {
    expect((await renderMarkdown('![a b c](https://x.test/a.jpg "one two")')).wordCount).toBe(2);
  });
});
