#!/bin/sh
# The image's CMD: migrations (under PostgreSQL's advisory lock, so containers starting together
# take turns; forward-only), then the compiled server in place of this shell, so it gets SIGTERM.
# No embedded PostgreSQL here: DATABASE_URL is required.
set -eu
cd "$(dirname "$0")/../.."
: "${DATABASE_URL:?DATABASE_URL is not set (postgres://user:password@host:5432/database)}"
export NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
node --import tsx scripts/migrate.ts
# The server's node flags come from scripts/lib/serve-command.ts, as for every other launcher.
ARGS=$(node --import tsx -e "import('./scripts/lib/serve-command.ts').then((m) => console.log(m.SERVE_ARGS.join(' ')))")
# shellcheck disable=SC2086 # the flags are words on purpose
exec node $ARGS
