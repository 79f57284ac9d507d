# syntax=docker/dockerfile:1
# Web image: the static SPA (apps/web/dist) behind nginx, which also proxies the API paths to
# the host `api` on port 3000 (compose service / Kubernetes Service name). Build from the repo root:
#   docker build -f infra/docker/web.Dockerfile -t civic-web .
ARG NODE_IMAGE=node:22-bookworm-slim
ARG NGINX_IMAGE=nginx:alpine

# ---- build ----
FROM ${NODE_IMAGE} AS build
ENV PNPM_HOME=/pnpm \
    npm_config_store_dir=/pnpm/store \
    TURBO_TELEMETRY_DISABLED=1
RUN npm install -g pnpm@10.34.9 && pnpm --version
WORKDIR /repo
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
RUN pnpm turbo run build --filter=@civic/web... && test -f apps/web/dist/index.html

# ---- runtime ----
FROM ${NGINX_IMAGE} AS runtime
# Our nginx.conf replaces the stock one: listens on 8080, keeps pid and temp files under /tmp,
# so nginx runs as its unprivileged user (uid 101) with a read-only root filesystem.
RUN rm -f /etc/nginx/conf.d/default.conf
COPY infra/docker/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /repo/apps/web/dist /usr/share/nginx/html
USER 101:101
EXPOSE 8080
# The base image's STOPSIGNAL is SIGQUIT: nginx finishes open requests before exiting.
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
