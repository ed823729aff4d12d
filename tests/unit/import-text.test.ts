import { describe, expect, it } from 'vitest';
import { UrlRewriter } from '@/lib/import/text';

const OLD = 'https://old.example/wp-content/uploads';

describe('UrlRewriter', () => {
  const rewriter = new UrlRewriter(
    new Map([
      [`${OLD}/a.jpg`, '/media/1/a.jpg'],
      [`${OLD}/a.jpg.webp`, '/media/2/a.webp'],
      [`${OLD}/photo(1).jpg`, '/media/3/photo.jpg'],
      [`${OLD}/$&.jpg`, '/media/4/$&.jpg'],
    ]),
  );

  it('replaces every old URL that stands whole: in images, links, titles and angle brackets', () => {
    const markdown = `![A](${OLD}/a.jpg "A") and [![B](${OLD}/a.jpg.webp)](${OLD}/a.jpg)\n\n<${OLD}/a.jpg>\n${OLD}/a.jpg\n`;
    expect(rewriter.rewrite(markdown)).toBe('![A](/media/1/a.jpg "A") and [![B](/media/2/a.webp)](/media/1/a.jpg)\n\n</media/1/a.jpg>\n/media/1/a.jpg\n');
  });

  it('leaves a URL that only starts like an old one, and URLs it does not know', () => {
    const markdown = `![x](${OLD}/a.jpg?w=300) ![y](${OLD}/a.jpgx) ![z](https://elsewhere.test/a.jpg)`;
    expect(rewriter.rewrite(markdown)).toBe(markdown);
  });

  it('finds a URL holding a character that ends others, and writes a replacement verbatim', () => {
    expect(rewriter.rewrite(`![p](<${OLD}/photo(1).jpg>)`)).toBe('![p](</media/3/photo.jpg>)');
    expect(rewriter.rewrite(`![q](${OLD}/$&.jpg)`)).toBe('![q](/media/4/$&.jpg)');
  });

  it('changes nothing without URLs to replace', () => {
    expect(new UrlRewriter(new Map()).rewrite(`![A](${OLD}/a.jpg)`)).toBe(`![A](${OLD}/a.jpg)`);
  });
});
