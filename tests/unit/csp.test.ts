import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, hashesForPage, inlineScripts, nonceSource, scriptElements, scriptHash } from '@/lib/server/csp';

const BOOT = '(self.__next_f=self.__next_f||[]).push([0])';
const CHUNK = 'self.__next_f.push([1,"1:\\"$Sreact.fragment\\"\\n2:I[1,[]]\\n"])';
const TURBOPACK = '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["static/chunks/a1.js"],"runtimeModuleIds":[94553]});';
const page = (...scripts: string[]) => `<!doctype html><html><head></head><body>${scripts.map((s) => `<script>${s}</script>`).join('')}</body></html>`;

describe('content security policy from the page', () => {
  it("hashes the framework's own inline scripts, and only those", () => {
    const { allowed, refused } = inlineScripts(page(BOOT, CHUNK, TURBOPACK));
    expect(allowed).toEqual([BOOT, CHUNK, TURBOPACK]);
    expect(refused).toEqual([]);
  });

  it.each([
    ['a plain script', 'alert(1)'],
    ['code after flight data', 'self.__next_f.push([1,"x"]);alert(1)'],
    ['code inside a broken-out string', 'self.__next_f.push([1,"x"+alert(1)+"y"])'],
    ['a chunk list carrying code', '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["a.js"]});alert(1);'],
    [
      'a chunk list with a URL that is not a chunk path',
      '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({"otherChunks":["https://evil.example/x.js"]});',
    ],
    ['a chunk list that is not JSON', '(globalThis["TURBOPACK"] || (globalThis["TURBOPACK"] = [])).push({otherChunks:[alert(1)]});'],
  ])('refuses %s', (_name, script) => {
    const { allowed, refused } = inlineScripts(page(script));
    expect(allowed).toEqual([]);
    expect(refused).toEqual([script]);
  });

  it('ignores what a browser would not run inline: external scripts and data blocks', () => {
    const html =
      '<script src="/_next/static/a.js" async=""></script><script type="application/ld+json">{"@type":"Article"}</script><script type="application/json">{}</script>';
    expect(inlineScripts(html)).toEqual({ allowed: [], refused: [] });
  });

  it('writes a policy without unsafe-inline scripts, framed only where allowed, upgraded on https', () => {
    // As lib/server/respond.ts builds a cached page's policy: the page's hashes, then the policy.
    const { hashes, refused } = hashesForPage(page(BOOT, 'alert(1)'));
    const policy = contentSecurityPolicy(hashes, { https: false, framed: true });
    expect(refused).toEqual(['alert(1)']);
    expect(policy).toContain(`script-src 'self' ${scriptHash(BOOT)}`);
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'self'");
    expect(policy).toContain("frame-ancestors 'self'");
    expect(policy).not.toContain('upgrade-insecure-requests');
    const editor = contentSecurityPolicy([], { https: true, framed: false });
    expect(editor).toContain("frame-ancestors 'none'");
    expect(editor).toContain('upgrade-insecure-requests');
    expect(editor).toContain("script-src 'self';");
  });

  it('hashes as CSP does: SHA-256 of the exact script text, base64', () => {
    expect(scriptHash('alert(1)')).toBe("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='");
  });
});

describe('nonces for pages rendered for this response', () => {
  const RUNTIME = 'requestAnimationFrame(function(){$RT=performance.now()});';
  it("leaves React's runtime scripts carrying this response's nonce to the nonce, and still hashes data scripts", () => {
    const html = `<script nonce="abc_-1">${BOOT}</script><script nonce="abc_-1">${RUNTIME}</script><script nonce="old">${RUNTIME}</script><script>alert(1)</script>`;
    const { allowed, refused } = inlineScripts(html, 'abc_-1');
    expect(allowed).toEqual([BOOT]);
    expect(refused).toEqual([RUNTIME, 'alert(1)']);
  });

  it('puts the nonce in script-src beside the hashes', () => {
    const { hashes } = hashesForPage(page(BOOT), 'n1');
    expect(contentSecurityPolicy([nonceSource('n1'), ...hashes], { https: false, framed: true })).toContain(`script-src 'self' 'nonce-n1' ${scriptHash(BOOT)};`);
  });
});

describe('finding the scripts in a page', () => {
  it('is not fooled by script-looking text in attributes, comments or raw-text elements', () => {
    const html =
      `<img alt="<script>alert(1)</script>" src="x.png"><!-- <script>alert(2)</script> -->` +
      `<textarea><script>alert(3)</script></textarea><title><script>alert(4)</script></title>` +
      `<p title='a "<script>" b'>text</p><script>${BOOT}</script><SCRIPT type="text/javascript">alert(5)</SCRIPT >`;
    expect([...scriptElements(html)].map((s) => s.body)).toEqual([BOOT, 'alert(5)']);
    expect(inlineScripts(html)).toEqual({ allowed: [BOOT], refused: ['alert(5)'] });
  });

  it('leaves scripts carrying the nonce unhashed when the response will not be served again', () => {
    const html = `<script nonce="n1">${BOOT}</script><script>${CHUNK}</script>`;
    expect(inlineScripts(html, 'n1', { hashNonced: false }).allowed).toEqual([CHUNK]);
    expect(inlineScripts(html, 'n1').allowed).toEqual([BOOT, CHUNK]);
  });
});
