/**
 * What a page makes a reader's browser download and run: every `<script src>` fetched and gzipped
 * one by one (as a server or CDN would send them), the inline scripts gzipped together (they travel
 * inside the HTML), and the HTML itself gzipped.
 */
import { gzipSync } from 'node:zlib';

export type ScriptWeight = {
  page: string;
  htmlBytes: number;
  htmlGzipBytes: number;
  externalScripts: number;
  externalGzipBytes: number;
  inlineScripts: number;
  inlineGzipBytes: number;
  /** External + inline, gzip: the script a reader pays for on this page. */
  totalScriptGzipBytes: number;
};

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

const gzipSize = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;

export async function scriptWeight(baseUrl: string, page: string): Promise<ScriptWeight> {
  const html = await (await fetch(`${baseUrl}${page}`)).text();
  const sources = new Set<string>();
  const inline: string[] = [];
  for (const [, attributes, body] of html.matchAll(SCRIPT)) {
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(attributes)?.[1];
    if (src) sources.add(new URL(src.replace(/&amp;/g, '&'), baseUrl).href);
    else if (body.trim()) inline.push(body);
  }
  let externalGzipBytes = 0;
  for (const src of sources) {
    const response = await fetch(src);
    if (!response.ok) throw new Error(`${src} answered ${response.status}`);
    externalGzipBytes += gzipSize(Buffer.from(await response.arrayBuffer()));
  }
  const inlineGzipBytes = inline.length ? gzipSize(inline.join('\n')) : 0;
  return {
    page,
    htmlBytes: Buffer.byteLength(html),
    htmlGzipBytes: gzipSize(html),
    externalScripts: sources.size,
    externalGzipBytes,
    inlineScripts: inline.length,
    inlineGzipBytes,
    totalScriptGzipBytes: externalGzipBytes + inlineGzipBytes,
  };
}
