# One image for the API and the worker (they differ only in the command; see docker-compose.yml).

# --- build: install everything, compile with SWC, then drop the dev dependencies ---
FROM node:22-bookworm-slim AS build
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

# --- run: compiled code and production dependencies only, as the unprivileged `node` user ---
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Where the access log's checkpoints are appended (a volume in docker-compose.yml; mount one here in production).
RUN mkdir -p /var/lib/samverka && chown node:node /var/lib/samverka
ENV ACCESS_LOG_CHECKPOINT_FILE=/var/lib/samverka/access-log-checkpoints
USER node
EXPOSE 3000
# The API; the worker runs the same image with: node --enable-source-maps dist/apps/worker/src/main.js
CMD ["node", "--enable-source-maps", "dist/apps/api/src/main.js"]
