/**
 * Watching for Content-Security-Policy violations in a real Chromium: every page of a context
 * reports `securitypolicyviolation` events (and the console's "Refused to …" lines) to the test.
 */
import { expect, type APIResponse, type BrowserContext, type Response } from '@playwright/test';

export type Violations = string[];

export async function watchViolations(context: BrowserContext): Promise<Violations> {
  const violations: Violations = [];
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => void violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (text: string) => void }).__reportCspViolation;
      report(`${location.pathname}: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} ${event.sample ?? ''}`.trim());
    });
  });
  context.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** The headers every HTML page must carry, and a script policy that allows nothing inline unhashed. */
export function expectSecurityHeaders(response: Response | APIResponse | null, { framed }: { framed: boolean }): void {
  expect(response, 'a response').not.toBeNull();
  const headers = response!.headers();
  const policy = headers['content-security-policy'] ?? '';
  const scriptSrc =
    policy
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith('script-src ')) ?? '';
  // Our origin, this response's nonce (none when the server replays a kept page: lib/server/replay.ts),
  // and hashes of the framework's data scripts: nothing else.
  expect(scriptSrc, `script-src of ${response!.url()}`).toMatch(/^script-src 'self'( 'nonce-[\w-]+')?( 'sha256-[A-Za-z0-9+/]+=*')*$/);
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("base-uri 'self'");
  expect(policy).toContain(framed ? "frame-ancestors 'self'" : "frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // Served over http here: HSTS only makes sense (and is only sent) over https.
  expect(headers['strict-transport-security']).toBeUndefined();
}
