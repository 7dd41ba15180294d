# The middleware's image, built from the repository root:
#   docker build -t custom-channels-middleware .
# NODE_IMAGE pins the base (a digest, or your own Node 20 image on Debian).
# test/image.test.ts in middleware/ performs the production-deps and runtime stages without a
# container engine: keep each COPY to one source.
ARG NODE_IMAGE=node:20-slim

# Compiles the shared packages and the middleware (and bundles the web chat widget). Compose's
# offline profile runs the Twilio stand-in from this stage; the final image holds neither.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
RUN npm ci --workspace contract --workspace logging --workspace middleware --workspace twilio-sandbox --ignore-scripts --no-audit --no-fund \
 && npm run build --workspace contract --workspace logging \
 && npm run build --workspace middleware

# Production dependencies only, better-sqlite3's native module built here with the toolchain.
FROM ${NODE_IMAGE} AS production-deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json ./
COPY package-lock.json ./
COPY tools/fs-placeholder/package.json ./tools/fs-placeholder/
COPY contract/package.json ./contract/
COPY logging/package.json ./logging/
COPY middleware/package.json ./middleware/
COPY middleware/scripts/install-production.sh ./
RUN sh install-production.sh

FROM ${NODE_IMAGE}
# MALLOC_ARENA_MAX as in npm start: glibc's allocator keeps fewer arenas (peak RSS, see the middleware README).
ENV NODE_ENV=production \
    MALLOC_ARENA_MAX=2 \
    PORT=3000 \
    CHANNELS_FILE=/app/channels.json \
    DATABASE_URL=sqlite:/data/middleware.sqlite \
    MEDIA_SPOOL_DIR=/data/media-spool
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/channels.json ./
COPY --from=build /src/contract/package.json ./contract/
COPY --from=build /src/contract/dist ./contract/dist
COPY --from=build /src/logging/package.json ./logging/
COPY --from=build /src/logging/dist ./logging/dist
COPY --from=build /src/middleware/package.json ./middleware/
COPY --from=build /src/middleware/build ./middleware/build
COPY --from=build /src/middleware/public ./middleware/public
# The official images' unprivileged user; /data holds the SQLite file and the media spool.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "--single-threaded-gc", "--max-semi-space-size=4", "--heap-growing-percent=30", "middleware/build/src/main.js"]
