import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NEXT_CONTRACT, pathOfCacheKey } from '@/lib/server/next-contract';
import { isPatched, PATCHES, patchTargets, patchText } from '../../scripts/next-patches.mjs';

/**
 * The strings the server takes from Next.js's internals (lib/server/next-contract.ts), checked one by
 * one against the installed Next.js — its own exported constants where it has them, else the code
 * that writes them — and against the app's build when there is one. An upgrade that changes one fails
 * the test named after that entry.
 */

const require = createRequire(import.meta.url);
const nextDir = path.dirname(require.resolve('next/package.json'));
const source = (file: string) => readFileSync(path.join(nextDir, 'dist', file), 'utf8');
const headers = require('next/dist/client/components/app-router-headers') as Record<string, unknown>;
const constants = require('next/dist/lib/constants') as Record<string, unknown>;
const sharedConstants = require('next/dist/shared/lib/constants') as Record<string, unknown>;
const { CachedRouteKind } = require('next/dist/server/response-cache/types') as { CachedRouteKind: Record<string, string> };
const { getRouteCacheKey } = require('next/dist/server/lib/route-cache-key') as {
  getRouteCacheKey: (pathname: string, owner: { kind: string; sourceRoute: string }) => string;
};
const { normalizePagePath } = require('next/dist/shared/lib/page-path/normalize-page-path') as { normalizePagePath: (page: string) => string };

describe('what the server relies on from Next.js', () => {
  const checks: Record<keyof typeof NEXT_CONTRACT, () => void> = {
    cacheStateHeader: () => {
      // Set on every ISR answer by the page and route templates compiled into the app.
      expect(source('esm/build/templates/app-page-runtime.js')).toContain(`'${NEXT_CONTRACT.cacheStateHeader}'`);
      expect(source('esm/build/templates/app-route.js')).toContain(`'${NEXT_CONTRACT.cacheStateHeader}'`);
    },
    cacheTagsHeader: () => expect(constants.NEXT_CACHE_TAGS_HEADER).toBe(NEXT_CONTRACT.cacheTagsHeader),
    implicitTagPrefix: () => expect(constants.NEXT_CACHE_IMPLICIT_TAG_ID).toBe(NEXT_CONTRACT.implicitTagPrefix),
    cachedPageKind: () => expect(CachedRouteKind.APP_PAGE).toBe(NEXT_CONTRACT.cachedPageKind),
    cachedRouteKind: () => expect(CachedRouteKind.APP_ROUTE).toBe(NEXT_CONTRACT.cachedRouteKind),
    homeCacheKey: () => expect(normalizePagePath('/')).toBe(NEXT_CONTRACT.homeCacheKey),
    cacheKeyPathMarker: () => {
      // The keys Next.js hands the cache handler, read back to the page's address.
      expect(pathOfCacheKey(getRouteCacheKey('/', { kind: 'APP_PAGE', sourceRoute: '/(site)/page' }))).toBe('/');
      expect(pathOfCacheKey(getRouteCacheKey('/posts/a-b', { kind: 'APP_PAGE', sourceRoute: '/(site)/posts/[slug]/page' }))).toBe('/posts/a-b');
      expect(pathOfCacheKey(getRouteCacheKey('/feed.xml', { kind: 'APP_ROUTE', sourceRoute: '/feed.xml/route' }))).toBe('/feed.xml');
    },
    errorShellId: () => expect(source('server/app-render/app-render.js')).toContain(`id: '${NEXT_CONTRACT.errorShellId}'`),
    flightContentType: () => expect(headers.RSC_CONTENT_TYPE_HEADER).toBe(NEXT_CONTRACT.flightContentType),
    actionHeader: () => expect(headers.ACTION_HEADER).toBe(NEXT_CONTRACT.actionHeader),
    flightRequestHeaders: () => {
      const ours: readonly string[] = NEXT_CONTRACT.flightRequestHeaders;
      for (const name of [
        'RSC_HEADER',
        'ACTION_HEADER',
        'NEXT_ROUTER_PREFETCH_HEADER',
        'NEXT_ROUTER_STATE_TREE_HEADER',
        'NEXT_ROUTER_SEGMENT_PREFETCH_HEADER',
        'NEXT_URL',
      ]) {
        expect(ours, name).toContain(headers[name]);
      }
      // A request header Next.js adds to its own list of flight headers must be ours too (the HMR one is development only).
      for (const header of headers.FLIGHT_HEADERS as string[]) if (header !== headers.NEXT_HMR_REFRESH_HEADER) expect(ours).toContain(header);
    },
    middlewarePrefetchHeader: () => expect(source('server/base-server.js')).toContain(`'${NEXT_CONTRACT.middlewarePrefetchHeader}'`),
    nonceRequestHeader: () => expect(source('server/app-render/get-script-nonce-from-header.js')).toContain(`headers['${NEXT_CONTRACT.nonceRequestHeader}']`),
    flightGlobal: () => {
      const writer = source('server/app-render/use-flight-response.js');
      expect(writer).toContain(`(${NEXT_CONTRACT.flightGlobal}=${NEXT_CONTRACT.flightGlobal}||[]).push(`);
      expect(writer).toContain(`${NEXT_CONTRACT.flightGlobal}.push(`);
    },
    buildIdFile: () => expect(sharedConstants.BUILD_ID_FILE).toBe(NEXT_CONTRACT.buildIdFile),
  };
  for (const [name, check] of Object.entries(checks)) it(name, check);

  // The app's own build, when there is one: the strings are in the code that serves it.
  const distDir = path.resolve(process.env.NEXT_DIST_DIR || '.next');
  const built = existsSync(path.join(distDir, NEXT_CONTRACT.buildIdFile)) && existsSync(path.join(distDir, 'server'));
  it.skipIf(!built)('the build in NEXT_DIST_DIR (or .next) writes them', () => {
    // Its prerendered pages carry the flight scripts...
    const prerendered = readFileSync(path.join(distDir, 'server/app/_not-found.html'), 'utf8');
    expect(prerendered).toContain(`${NEXT_CONTRACT.flightGlobal}.push(`);
    // ...and the code it runs sets the headers and writes the error shell.
    const wanted = new Set<string>([NEXT_CONTRACT.cacheStateHeader, NEXT_CONTRACT.cacheTagsHeader, NEXT_CONTRACT.errorShellId]);
    const found = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (found.size === wanted.size) return;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.js') && !entry.name.endsWith('.nft.js')) {
          const text = readFileSync(full, 'utf8');
          for (const value of wanted) if (text.includes(value)) found.add(value);
        }
      }
    };
    walk(path.join(distDir, 'server'));
    expect([...wanted].filter((value) => !found.has(value))).toEqual([]);
  });
});

describe('the installed Next.js carries the patches (scripts/next-patches.mjs, run after every install)', () => {
  const targets = patchTargets(nextDir);
  const files = (patch: string) => targets.filter((target) => target.patch === patch).map(({ file }) => path.relative(nextDir, file));

  it('finds each line in the runtime the app runs (app-page-turbo) and in the uncompiled server', () => {
    expect(files('measure-only-fetch-cache')).toContain('dist/compiled/next-server/app-page-turbo.runtime.prod.js');
    expect(files('measure-only-fetch-cache')).toContain('dist/server/lib/incremental-cache/index.js');
    expect(files('no-runtime-segment-data')).toContain('dist/compiled/next-server/app-page-turbo.runtime.prod.js');
    expect(files('no-runtime-segment-data')).toContain('dist/server/app-render/app-render.js');
  });

  // Fails, naming the file, when an upgrade writes a line differently (or changes what it does):
  // then keep the patch working or drop it, knowingly.
  for (const { file, patch, kind } of targets) {
    it(`${path.relative(nextDir, file)}: ${PATCHES[patch].what}`, () => {
      expect(isPatched(readFileSync(file, 'utf8'), patch, kind)).toBe(true);
    });
  }

  it('measure-only-fetch-cache changes only when the measure is taken, and applies once', () => {
    const line = 'if(x)return;let i=JSON.stringify(t).length;if(r.fetchCache&&i>2097152&&!this.h){warn(i);return}try{await this.c.set(n,t,a)}';
    const once = patchText(line, 'measure-only-fetch-cache', 'compiled');
    expect(once).toEqual({
      text: 'if(x)return;let i=r.fetchCache?JSON.stringify(t).length:0;if(r.fetchCache&&i>2097152&&!this.h){warn(i);return}try{await this.c.set(n,t,a)}',
      patched: false,
    });
    expect(patchText(once!.text, 'measure-only-fetch-cache', 'compiled')).toEqual({ text: once!.text, patched: true });
    expect(patchText('let i=JSON.stringify(t).length;if(i>2097152)', 'measure-only-fetch-cache', 'compiled')).toBeNull();
    const source = 'const itemSize = JSON.stringify(data).length;';
    expect(patchText(source, 'measure-only-fetch-cache', 'source')?.text).toBe('const itemSize = ctx.fetchCache ? JSON.stringify(data).length : 0;');
  });

  it('no-runtime-segment-data skips the segments only outside a build, and applies once', () => {
    const line = 'let m=null!=p&&p.size>0;i.segmentData=await r.collectSegmentData(n.cacheComponents,e,d,o,c,!!n.experimental.prefetchInlining,s,m)}';
    const once = patchText(line, 'no-runtime-segment-data', 'compiled');
    expect(once).toEqual({
      text: 'let m=null!=p&&p.size>0;i.segmentData=!n.isBuildTimePrerendering?void 0:await r.collectSegmentData(n.cacheComponents,e,d,o,c,!!n.experimental.prefetchInlining,s,m)}',
      patched: false,
    });
    expect(patchText(once!.text, 'no-runtime-segment-data', 'compiled')).toEqual({ text: once!.text, patched: true });
    expect(patchText('i.segmentData=await r.collectSegmentData(e,d)', 'no-runtime-segment-data', 'compiled')).toBeNull();
    // The patched line runs: a runtime render gets no segments, a build-time prerender gets them.
    const run = (renderOpts: object) =>
      new Function(
        'i',
        'r',
        'n',
        'e',
        'd',
        'o',
        'c',
        's',
        'm',
        `return (async () => { ${once!.text.replace(/^let m=[^;]*;/, '').replace(/}$/, '')}; return i; })()`,
      )({}, { collectSegmentData: async () => new Map([['/_tree', 'tree']]) }, { cacheComponents: false, experimental: {}, ...renderOpts });
    return Promise.all([
      expect(run({})).resolves.toEqual({ segmentData: undefined }),
      expect(run({ isBuildTimePrerendering: true })).resolves.toEqual({ segmentData: new Map([['/_tree', 'tree']]) }),
    ]);
  });
});

describe('the experimental settings next.config.js relies on', () => {
  it('preloadEntriesOnStart is off, and is still what decides whether the server loads every route when it starts', async () => {
    // next.config.js is plain JavaScript: read as the framework reads it.
    const config = (await import(/* @vite-ignore */ new URL('../../next.config.js', import.meta.url).href)).default as {
      experimental?: { preloadEntriesOnStart?: boolean };
    };
    expect(config.experimental?.preloadEntriesOnStart).toBe(false);
    // An unknown experimental key only warns: the server must still test this one before preloading.
    expect(source('server/config-schema.js')).toContain('preloadEntriesOnStart:');
    expect(source('server/next-server.js')).toMatch(
      /&& this\.nextConfig\.experimental\.preloadEntriesOnStart\) \{\s*\/\/[^\n]*\n\s*void this\.unstable_preloadEntries\(\)/,
    );
  });
});
