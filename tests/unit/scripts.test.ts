import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { NoScripts } from '@/components/site/no-scripts';
import { READER_MARKER, withoutScripts } from '@/lib/server/scripts';

const head = (extra = '') =>
  `<head><meta charSet="utf-8"/>${READER_MARKER}<link rel="stylesheet" href="/_next/static/chunks/a.css" data-precedence="next"/>` +
  `<link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/b.js"/><link rel="modulepreload" href="/_next/static/chunks/c.js"/>` +
  `<link rel="preload" as="image" href="/hero.webp"/><script src="/_next/static/chunks/d.js" async=""></script>${extra}</head>`;
const LD = '<script type="application/ld+json">{"@type":"Article","headline":"x"}</script>';
const FLIGHT = '<script>self.__next_f.push([1,"0:[\\"$\\",\\"p\\",null,{}]\\n"])</script>';

describe('reader pages without scripts', () => {
  it('knows the marker exactly as React writes it for the reader layout and the 404 page', () => {
    expect(renderToStaticMarkup(createElement(NoScripts))).toBe(READER_MARKER);
  });

  it('drops every script and script preload, keeps JSON-LD, styles, other preloads and the content', () => {
    const page = `<!DOCTYPE html><html>${head()}<body><main><h1>Title</h1><p>Body</p>${LD}</main>${FLIGHT}<script nonce="n">(self.__next_s=self.__next_s||[]).push([0,{}])</script><script src="/_next/static/chunks/e.js" noModule=""></script></body></html>`;
    const plain = withoutScripts(page)!;
    expect(plain).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
    expect(plain).toContain(LD);
    expect(plain).toContain('<link rel="stylesheet" href="/_next/static/chunks/a.css"');
    expect(plain).toContain('<link rel="preload" as="image" href="/hero.webp"/>');
    expect(plain).not.toContain('b.js');
    expect(plain).not.toContain('c.js');
    expect(plain).not.toContain('broadsheet-scripts');
    expect(plain).toContain('<main><h1>Title</h1><p>Body</p>');
    expect(plain.endsWith('</body></html>')).toBe(true);
  });

  it('leaves pages without the marker (the editor, sign-in) exactly as they are', () => {
    const page = `<!DOCTYPE html><html><head><script src="/x.js"></script></head><body>${FLIGHT}</body></html>`;
    expect(withoutScripts(page)).toBeNull();
  });

  it("never mistakes an article's text or attributes for markup", () => {
    // What a post may contain after sanitising: escaped text, and markup-like attribute values.
    const article = `<p>Use &lt;script&gt; tags and &lt;link rel="preload" as="script"&gt; wisely.</p><img alt="<script>alert(1)</script>" src="/a.png"/><p>After the image.</p>`;
    const page = `<!DOCTYPE html><html>${head()}<body><article>${article}</article>${FLIGHT}</body></html>`;
    const plain = withoutScripts(page)!;
    expect(plain).toContain(`<article>${article}</article>`);
    expect(plain).not.toContain('__next_f');
  });

  it('removes a script that the sanitiser would never let through, should one ever be there', () => {
    const page = `<!DOCTYPE html><html>${head()}<body><p>Hi</p><script>alert(document.cookie)</script><SCRIPT>alert(2)</SCRIPT></body></html>`;
    const plain = withoutScripts(page)!;
    expect(plain).not.toMatch(/alert/);
  });
});
