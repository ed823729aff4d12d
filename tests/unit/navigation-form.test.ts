import { describe, expect, it } from 'vitest';
import { applyMenuOp, MAX_ITEMS, navigationFormSchema, saveNavigationSchema } from '@/lib/navigation/schemas';

const rows = ['a', 'b', 'c'];

describe('applyMenuOp: the move and remove buttons', () => {
  it('moves a row up or down, removes one, and ignores what cannot apply', () => {
    expect(applyMenuOp(rows, 'up:1')).toEqual(['b', 'a', 'c']);
    expect(applyMenuOp(rows, 'down:1')).toEqual(['a', 'c', 'b']);
    expect(applyMenuOp(rows, 'remove:2')).toEqual(['a', 'b']);
    expect(applyMenuOp(rows, 'up:0')).toEqual(rows);
    expect(applyMenuOp(rows, 'down:2')).toEqual(rows);
    expect(applyMenuOp(rows, 'remove:9')).toEqual(rows);
    expect(applyMenuOp(rows, 'save')).toEqual(rows);
  });
});

describe('navigationFormSchema: the menu form as posted', () => {
  const form = (label: string[], url: string[], op?: string) => navigationFormSchema.safeParse({ menu: 'primary', label, url, op });

  it('keeps the rows in order, drops the blank add row, applies the button', () => {
    expect(form(['About', 'Archive', ''], ['/about', 'https://example.com/archive', ''])).toMatchObject({
      success: true,
      data: {
        menu: 'primary',
        items: [
          { label: 'About', url: '/about' },
          { label: 'Archive', url: 'https://example.com/archive' },
        ],
      },
    });
    expect(form(['About', 'Archive', 'New'], ['/about', '/archive', '/new'], 'up:1').data?.items.map((item) => item.label)).toEqual(['Archive', 'About', 'New']);
    // A row may be removed even when it is not valid.
    expect(form(['About', ''], ['/about', 'not a link'], 'remove:1').data?.items).toEqual([{ label: 'About', url: '/about' }]);
  });

  it('names the item that is wrong', () => {
    const bad = (label: string, url: string) => form(['Fine', label], ['/fine', url]).error?.issues[0].message;
    expect(bad('', '/x')).toBe('Item 2: Enter a label.');
    expect(bad('x'.repeat(81), '/x')).toBe('Item 2: A label is at most 80 characters.');
    expect(bad('Evil', 'javascript:alert(1)')).toBe('Item 2: A link is a path starting with / or an http(s):// URL.');
    expect(bad('Evil', '//evil.example')).toMatch(/^Item 2: A link is/);
    expect(bad('Line\nbreak', '/x')).toMatch(/^Item 2: A label has characters/);
    expect(form(['a'], ['/a'], 'drop table').success).toBe(false);
    expect(navigationFormSchema.safeParse({ menu: 'sidebar', label: [], url: [] }).success).toBe(false);
  });

  it(`allows ${MAX_ITEMS} items a menu, not one more`, () => {
    const labels = Array.from({ length: MAX_ITEMS + 1 }, (_, i) => `Item ${i}`);
    const urls = labels.map((_, i) => `/i${i}`);
    expect(form(labels.slice(0, MAX_ITEMS), urls.slice(0, MAX_ITEMS)).success).toBe(true);
    expect(form(labels, urls).error?.issues[0].message).toBe(`A menu has at most ${MAX_ITEMS} items.`);
    expect(saveNavigationSchema.safeParse({ menu: 'footer', items: labels.map((label, i) => ({ label, url: urls[i] })) }).success).toBe(false);
  });
});
