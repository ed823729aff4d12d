import { describe, expect, it } from 'vitest';
import { formatDate, safeJsonForScript } from '@/lib/format';

describe('safeJsonForScript', () => {
  it('cannot close or break out of a <script> element, and parses back to the same value', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '\u2028', c: '\u2029 & <!-- -->' };
    const json = safeJsonForScript(value);
    expect(json).not.toMatch(/[<>]/);
    expect(json).not.toContain('\u2028');
    expect(json).not.toContain('\u2029');
    expect(json).not.toContain('&');
    expect(json.toLowerCase()).not.toContain('</script');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('formatDate', () => {
  it('dates in the zone and the language asked for, each time, whatever was asked before', () => {
    // 23:30 UTC on 31 December is already 1 January in Tokyo.
    const instant = new Date('2023-12-31T23:30:00Z');
    expect(formatDate(instant, 'UTC')).toBe('December 31, 2023');
    expect(formatDate(instant, 'Asia/Tokyo')).toBe('January 1, 2024');
    expect(formatDate(instant, 'UTC', 'fr')).toBe('31 décembre 2023');
    expect(formatDate(instant, 'Asia/Tokyo', 'fr')).toBe('1 janvier 2024');
    expect(formatDate(instant, 'UTC')).toBe('December 31, 2023');
  });

  it('still answers correctly after more zones than it keeps', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 40);
    const instant = new Date('2024-06-01T12:00:00Z');
    for (const zone of zones) {
      expect(formatDate(instant, zone)).toBe(new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: zone }).format(instant));
    }
    expect(formatDate(instant, 'Pacific/Kiritimati')).toBe('June 2, 2024');
  });
});
