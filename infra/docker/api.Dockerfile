# syntax=docker/dockerfile:1
# HTTP API image. Build from the repository root:
#   docker build -f infra/docker/api.Dockerfile -t civic-api .
# The same image runs the migrations: node node_modules/@civic/db/dist/cli.js migrate
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: install the workspace, compile, cut a production-only tree into /out ----
FROM ${NODE_IMAGE} AS build
ENV PNPM_HOME=/pnpm \
    npm_config_store_dir=/pnpm/store \
    TURBO_TELEMETRY_DISABLED=1
# pnpm lives in this stage only; the version matches "packageManager" in package.json.
RUN npm install -g pnpm@10.34.9 && pnpm --version
WORKDIR /repo

# Download every package the lockfile names; this layer changes only with the lockfile.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN --mount=type=cache,id=civic-pnpm-store,target=/pnpm/store \
    pnpm fetch

COPY . .
# (`pnpm fetch` made /repo/node_modules.) Packages' node_modules from the host would be linked
# for another machine: refuse them.
RUN if find apps libs tests -maxdepth 2 -name node_modules | grep -q .; then \
      echo 'node_modules is in the build context: see infra/docker/README.md (.dockerignore)' >&2; exit 1; fi
RUN --mount=type=cache,id=civic-pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prefer-offline
RUN pnpm turbo run build --filter=@civic/api...

# pnpm deploy copies each workspace package as `npm pack` would, and that honours .gitignore,
# which lists dist/. No .gitignore is needed from here on, so remove them all.
RUN find . -name .gitignore -not -path '*/node_modules/*' -delete
# --legacy: pnpm 10 otherwise deploys only with inject-workspace-packages=true, which is recorded
# in pnpm-lock.yaml and changes how workspace packages are linked in development. Legacy deploy
# copies the workspace packages (@civic/*) into /out/node_modules, which is what an image needs.
RUN --mount=type=cache,id=civic-pnpm-store,target=/pnpm/store \
    pnpm deploy --filter=@civic/api --prod --legacy /out

# Fail the build, not the pod: the tree must be complete and self-contained. pnpm hoists a
# link to the deployed package's own source (/repo/apps/api) into .pnpm/node_modules; nothing
# resolves it, and in the image it would dangle, so it goes.
RUN set -e; cd /out; \
    rm -f node_modules/.pnpm/node_modules/@civic/api; \
    test -f dist/main.js; \
    test -f node_modules/@civic/db/dist/cli.js; \
    for link in $(find . -type l); do \
      target=$(readlink -f "$link"); \
      case "$target" in /out/*) ;; *) echo "symlink leaves /out: $link -> $target" >&2; exit 1;; esac; \
      [ -e "$target" ] || { echo "dangling symlink: $link" >&2; exit 1; }; \
    done; \
    node -e "import('/out/dist/app.factory.js').then(() => import('argon2')).then(() => console.log('api module graph loads'))"

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
# tini runs as PID 1: forwards SIGTERM to node (Nest's shutdown hooks drain HTTP) and reaps children.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Owned by root, read-only to the process.
COPY --from=build /out /app
# 1000 is the image's `node` user; numeric so Kubernetes runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
