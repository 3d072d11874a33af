# One image for the API (which serves the web client), the worker and the migration job; they differ only in
# the command (see docker-compose.yml).
#
# Node.js: the 24 LTS line by default (supported until April 2028); NODE_VERSION=26 builds on the newer LTS line.
ARG NODE_VERSION=24

# --- build: install everything, compile with SWC and Vite, then drop the dev dependencies ---
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/ensure-deps.js scripts/
# `npm ci` from package-lock.json (scripts/ensure-deps.js).
RUN node scripts/ensure-deps.js --force
COPY tsconfig.json nest-cli.json ./
COPY scripts ./scripts
COPY libs ./libs
COPY apps ./apps
RUN node scripts/build.js && npm prune --omit=dev --no-audit --no-fund

# --- run: compiled code and production dependencies only, as the unprivileged `node` user, under tini ---
FROM node:${NODE_VERSION}-bookworm-slim
# tini as PID 1: reaps zombies and passes SIGTERM on to Node, which closes everything and exits with code 0
# within SHUTDOWN_GRACE_MS (README, Stopping); the processes handle PID 1 correctly on their own too.
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production LOG_FORMAT=json
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Where the access log's checkpoints are appended (a volume in docker-compose.yml; mount one here in production).
RUN mkdir -p /var/lib/samverka && chown node:node /var/lib/samverka
ENV ACCESS_LOG_CHECKPOINT_FILE=/var/lib/samverka/access-log-checkpoints
USER node
EXPOSE 3000 3001
# Ready: the API's GET /ready on PORT; the worker sets HEALTHCHECK_URL to its own (WORKER_HEALTH_PORT).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch(process.env.HEALTHCHECK_URL || `http://127.0.0.1:${process.env.PORT || 3000}/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
# The API; the worker: node --enable-source-maps dist/apps/worker/src/main.js; the migrations:
# node dist/libs/domain/src/database/migrate.command.js
CMD ["node", "--enable-source-maps", "dist/apps/api/src/main.js"]
