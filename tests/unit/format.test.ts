import { describe, expect, it } from 'vitest';
import { safeJsonForScript } from '@/lib/format';

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
