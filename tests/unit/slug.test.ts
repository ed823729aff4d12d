import { describe, expect, it } from 'vitest';
import { MAX_SLUG_LENGTH, SLUG_PATTERN, slugify } from '@/lib/slug';

describe('slugify', () => {
  it.each([
    ["When DeepSeek Hit the News, I Couldn't Ignore These Worries", 'when-deepseek-hit-the-news-i-couldnt-ignore-these-worries'],
    ['It’s 2024: what now?!', 'its-2024-what-now'],
    ['  Hello,   World...  ', 'hello-world'],
    ['snake_case and dot.separated', 'snake-case-and-dot-separated'],
    ['Café déjà vu — naïve', 'cafe-deja-vu-naive'],
    ['Straße', 'strasse'],
    ['Привет мир', 'privet-mir'],
    ['你好世界', 'ni-hao-shi-jie'],
  ])('%s → %s', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });

  it('falls back when nothing readable is left', () => {
    expect(slugify('🎉🚀✨')).toBe('untitled');
    expect(slugify('!!! ??? ---')).toBe('untitled');
    expect(slugify('')).toBe('untitled');
    expect(slugify('🎉', 'author')).toBe('author');
  });

  it('caps the length at 120 without leaving a trailing hyphen', () => {
    const long = slugify('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(long.endsWith('-')).toBe(false);
    // 'abc-' repeated: position 120 falls right after a hyphen.
    const cut = slugify('abc '.repeat(60));
    expect(cut).toBe(Array.from({ length: 30 }, () => 'abc').join('-'));
    expect(slugify('a'.repeat(500))).toBe('a'.repeat(MAX_SLUG_LENGTH));
  });

  it('always produces something matching SLUG_PATTERN', () => {
    const inputs = [
      'Hello',
      '--leading and trailing--',
      'ALL CAPS TITLE',
      'Mixed 123 numbers 4 5',
      'Ελληνικά γράμματα',
      '東京タワー',
      '한국어 제목',
      'العربية',
      'emoji 🎉 in the middle',
      'tabs\tand\nnewlines',
      'x'.repeat(119) + ' yz',
      '<script>alert(1)</script>',
      "O'Reilly & Sons / Co.",
      'a-_-b',
      '🎉',
    ];
    for (const input of inputs) {
      const slug = slugify(input);
      expect(slug, input).toMatch(SLUG_PATTERN);
      expect(slug.length, input).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    }
  });
});
