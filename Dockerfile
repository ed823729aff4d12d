# syntax=docker/dockerfile:1
# Broadsheet's image. The steps live in scripts/container/ (build.sh, start.sh), so CI tests them
# in a clean clone where no Docker engine runs (scripts/container/test-clean-clone.sh).
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. deps: the locked dependencies, from the npm cache when it is warm.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# The install patches Next.js (package.json "postinstall"): the patch comes with it.
COPY scripts/next-patches.mjs scripts/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# 2. build: Next.js and the compiled server, then only production dependencies, pruned to the files
#    a trace of what the container runs finds (scripts/container/prune.mjs).
FROM deps AS build
COPY . .
RUN --mount=type=cache,target=/root/.npm sh scripts/container/build.sh

# 3. runtime: the built app and its traced dependencies (~110 MB on the base image's ~200), run by
#    an unprivileged user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 MEDIA_DIR=/app/.data/media OUTBOX_DIR=/app/.data/outbox
WORKDIR /app
RUN groupadd --system broadsheet && useradd --system --gid broadsheet --home-dir /app broadsheet \
    && mkdir -p /app/.data && chown broadsheet:broadsheet /app/.data
COPY --from=build --chown=broadsheet:broadsheet /app/package.json /app/package-lock.json /app/next.config.js /app/tsconfig.json ./
COPY --from=build --chown=broadsheet:broadsheet /app/node_modules ./node_modules
COPY --from=build --chown=broadsheet:broadsheet /app/.next ./.next
COPY --from=build --chown=broadsheet:broadsheet /app/db ./db
COPY --from=build --chown=broadsheet:broadsheet /app/lib ./lib
COPY --from=build --chown=broadsheet:broadsheet /app/scripts ./scripts
USER broadsheet
EXPOSE 3000
VOLUME ["/app/.data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "scripts/container/start.sh"]
