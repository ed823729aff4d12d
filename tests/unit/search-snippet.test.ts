import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_PAGE, searchParamsSchema, splitSnippet } from '@/lib/posts/search';

const S = '\u0002';
const E = '\u0003';

describe('splitSnippet', () => {
  it('turns the highlight markers into hit parts', () => {
    const parts = splitSnippet(`The rise of ${S}DeepSeek${E} in the ${S}AI${E} landscape`);
    expect(parts).toEqual([
      { text: 'The rise of ', hit: false },
      { text: 'DeepSeek', hit: true },
      { text: ' in the ', hit: false },
      { text: 'AI', hit: true },
      { text: ' landscape', hit: false },
    ]);
  });

  it('starts with a hit when the headline does', () => {
    expect(splitSnippet(`${S}Quantum${E} computing`)).toEqual([
      { text: 'Quantum', hit: true },
      { text: ' computing', hit: false },
    ]);
  });

  it('strips markdown link, image and emphasis syntax', () => {
    const parts = splitSnippet(`See ![a chart](https://img.example/c.png) and [the report](https://example.com/r) on ${S}quantum${E} **now**`);
    const text = parts.map((p) => p.text).join('');
    expect(text).toBe('See a chart and the report on quantum now');
    expect(parts.filter((p) => p.hit)).toEqual([{ text: 'quantum', hit: true }]);
  });

  it('strips link syntax when the hit is inside the link text', () => {
    // ts_headline marks words wherever they are, including inside [link text](url).
    const parts = splitSnippet(`Read [the ${S}report${E}](https://example.com/r) today`);
    const text = parts.map((p) => p.text).join('');
    expect(text).not.toMatch(/[[\]()]|https?:/);
    expect(text).toBe('Read the report today');
    expect(parts.some((p) => p.hit && p.text === 'report')).toBe(true);
  });

  it('keeps HTML as plain text (React escapes it), never as markup', () => {
    const parts = splitSnippet(`a <script>alert(1)</script> ${S}b${E}`);
    const text = parts.map((p) => p.text).join('');
    // The markup stays as characters in a string part (tidy() drops '>' as markdown punctuation).
    expect(text).toContain('<script');
    expect(text).toContain('alert(1)');
    expect(parts.every((p) => typeof p.text === 'string')).toBe(true);
    expect(parts.at(-1)).toEqual({ text: 'b', hit: true });
  });
});

describe('searchParamsSchema', () => {
  const parse = (input: Record<string, unknown>) => searchParamsSchema.parse(input);

  it('reads q and page, trimming q', () => {
    expect(parse({ q: '  deepseek  ', page: '3' })).toEqual({ q: 'deepseek', page: 3 });
    expect(parse({})).toEqual({ q: '', page: 1 });
  });

  it('takes the first value of repeated parameters', () => {
    expect(parse({ q: ['first', 'second'], page: ['2', '5'] })).toEqual({ q: 'first', page: 2 });
  });

  it.each([['0'], ['-1'], ['abc'], ['9999'], ['2.5'], [''], [['x']]])('clamps page %j to a valid page', (page) => {
    const { page: parsed } = parse({ q: 'x', page });
    expect(Number.isInteger(parsed)).toBe(true);
    expect(parsed).toBeGreaterThanOrEqual(1);
    expect(parsed).toBeLessThanOrEqual(MAX_SEARCH_PAGE);
  });

  it('refuses a query over 200 characters to an empty one', () => {
    expect(parse({ q: 'x'.repeat(201) }).q).toBe('');
    expect(parse({ q: 'x'.repeat(200) }).q).toBe('x'.repeat(200));
  });

  it('refuses a non-string query to an empty one', () => {
    expect(parse({ q: { $ne: 1 } }).q).toBe('');
  });
});
