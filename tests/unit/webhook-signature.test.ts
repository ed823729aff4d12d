/** The X-Broadsheet-Signature header against a vector computed outside Node (openssl dgst -sha256 -hmac). */
import { describe, expect, it } from 'vitest';
import { signatureHeader } from '@/lib/webhooks/signature';

const SECRET = 'whsec_known-secret';
const BODY = '{"event":"post.published","data":{"post":{"title":"Héllo"}}}';

describe('signatureHeader', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")> over the UTF-8 body', () => {
    expect(signatureHeader(SECRET, BODY, 1_700_000_000)).toBe('t=1700000000,v1=ef7dd9969c1cfca324152f405819c79a9c484046346a62174536e271ef578aff');
  });

  it('drops the fraction of a second, and changes with the time, the body and the secret', () => {
    expect(signatureHeader(SECRET, BODY, 1_700_000_000.987)).toBe(signatureHeader(SECRET, BODY, 1_700_000_000));
    const base = signatureHeader(SECRET, BODY, 1_700_000_000).split('v1=')[1];
    expect(signatureHeader(SECRET, BODY, 1_700_000_001).split('v1=')[1]).not.toBe(base);
    expect(signatureHeader(SECRET, `${BODY} `, 1_700_000_000).split('v1=')[1]).not.toBe(base);
    expect(signatureHeader(`${SECRET}x`, BODY, 1_700_000_000).split('v1=')[1]).not.toBe(base);
  });
});
