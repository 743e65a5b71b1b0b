# The service's container image. Three stages: the build (with the development dependencies, to
# compile TypeScript), the production dependencies alone, and the runtime that gets only what the
# service needs. CI lints this file (scripts/ci/check-dockerfile.ts) and its production smoke runs the
# runtime stage's copy list and command outside a container.

# Node.js 24 LTS, pinned by exact version (pin by digest too: node:24.22.3-bookworm-slim@sha256:...).
FROM node:24.22.3-bookworm-slim AS base
WORKDIR /app

FROM base AS build
COPY package.json package-lock.json ./
# npm install keeps the lock file's versions; npm ci would refuse a lock file that records dbmate's
# binary package for one platform only.
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY api ./api
COPY scripts ./scripts
RUN npm run build

FROM base AS production-dependencies
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force

FROM base AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY scripts/run-operator.js ./scripts/run-operator.js
COPY migrations ./migrations
# The files stay root's: the service cannot rewrite its own code. Embedded mode's data directory is
# the one place it writes.
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# Node is PID 1 and gets SIGTERM itself (exec form, no npm or shell in between); the service handles
# SIGTERM and SIGINT and exits within SHUTDOWN_TIMEOUT. Operator commands run in the same image:
#   docker run --rm --env-file .env IMAGE node scripts/run-operator.js db-migrate
# V8 sizes its heap from the host's memory, not the container's limit: 64 MB semi-spaces and an old
# generation left to fill with garbage for hundreds of MB before a full collection. The two caps keep
# the resident memory under load near 200 MB for no throughput the benchmark could see
# (docs/benchmarks.md); the old-space cap fits the 512Mi limit in deploy/k8s, raise it with that limit.
CMD ["node", "--max-semi-space-size=16", "--max-old-space-size=256", "--import", "./dist/src/telemetry/register.js", "dist/src/main.js"]
