# syntax=docker/dockerfile:1
# Gazette container image: the `gazette` binary (the compose services pick the role by command) and
# `gazette-render`, the PDF renderer alone for scripts (`docker run --entrypoint gazette-render …`).
#
#   docker build -t gazette:local .
#   docker run --rm gazette:local --help
#
# Stage 1 builds release binaries with the Swift standard library linked statically, so the runtime
# stage needs only the C libraries Gazette links (cairo/pango for PDF, cmark-gfm for markdown,
# libxml2 for HTML/XML, SQLite, and libcurl — Gazette's SMTP client for the digest by email, also linked
# dynamically by the static FoundationNetworking of the MCP SDK) and the fonts the PDF renderer uses.
#
# TDLib's JSON library (libtdjson.so, for the Telegram user account; docs/SOURCES.md, "User account") is taken from
# the tdjson wheel by scripts/install-tdlib.sh in the build stage and copied to /usr/local/lib/gazette; the image
# points GAZETTE_TDLIB_PATH at it. The binary loads it only for account commands and channels read through the
# account. The account's session lives in /var/lib/gazette/account (the volume): keep it private, it *is* the account.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------- build
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      pkg-config \
      libcmark-gfm-dev libcmark-gfm-extensions-dev \
      libpango1.0-dev libcairo2-dev \
      libxml2-dev libsqlite3-dev libcurl4-openssl-dev libqrencode-dev libstemmer-dev libwebp-dev libjpeg62-turbo-dev \
      python3 python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/install-tdlib.sh ./scripts/
RUN scripts/install-tdlib.sh /out/tdlib
# Resolve dependencies first so that a source change does not refetch them.
COPY Package.swift Package.resolved* ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product gazette \
 && swift build -c release --static-swift-stdlib --product gazette-render \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/gazette" /out/gazette \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/gazette-render" /out/gazette-render

# ---------------------------------------------------------------- runtime
FROM ${RUNTIME_IMAGE} AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcairo2 libpango-1.0-0 libpangocairo-1.0-0 \
      libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 \
      libxml2 libsqlite3-0 libstdc++6 zlib1g libcurl4 libqrencode4 libstemmer0d libwebp7 libjpeg62-turbo \
      fonts-dejavu-core fonts-noto-color-emoji \
      ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 gazette \
 && useradd --system --uid 10001 --gid gazette --home-dir /var/lib/gazette --shell /usr/sbin/nologin gazette \
 && install -d -o gazette -g gazette -m 0750 /var/lib/gazette \
 && install -d -o gazette -g gazette -m 0700 /var/lib/gazette/account

COPY --from=build /out/gazette /out/gazette-render /usr/local/bin/
COPY --from=build /out/tdlib/libtdjson.so /usr/local/lib/gazette/libtdjson.so

USER gazette:gazette
WORKDIR /var/lib/gazette
ENV GAZETTE_DATABASE_URL=sqlite:/var/lib/gazette/gazette.sqlite \
    GAZETTE_DATA_DIR=/var/lib/gazette \
    GAZETTE_TDLIB_PATH=/usr/local/lib/gazette/libtdjson.so \
    GAZETTE_LOG_FORMAT=json
VOLUME ["/var/lib/gazette"]
EXPOSE 8004 9101 9102

# The default role is the MCP/REST server; compose overrides the command per service and sets a
# healthcheck on the port of that role. `gazette healthcheck` exits 0 only on a 2xx answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["gazette", "healthcheck", "http://127.0.0.1:8004/health/ready"]

ENTRYPOINT ["gazette"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8004"]
