import Foundation
import GazetteCore
import GazetteDigest
import GazetteObservability

/// Every configuration option, declared once. Loading (`Configuration.load`), `gazette config`, each command's
/// flags and `--help`, and the option list of docs/DEPLOYMENT.md (`gazette config --markdown`) all read these entries.
/// An entry's path is where its value goes in the settings of the module that uses it; adding an option is one entry
/// here and the field it fills in that module's settings (docs/ARCHITECTURE.md, "How to add an option").
public enum OptionTable {
    public static let all: [ConfigOption] = [
        // MARK: database
        ConfigOption("database", env: ["GAZETTE_DATABASE_URL", "DATABASE_URL"], section: .database, \.databaseURL, .databaseURL,
                     default: "sqlite:./data/gazette.sqlite",
                     help: "`sqlite:PATH` or `postgres://user:pass@host:port/db`. The password is a secret and is masked in messages."),

        // MARK: server
        ConfigOption("host", env: ["GAZETTE_HOST"], section: .server, \.server.host, .host, default: "127.0.0.1",
                     help: "Address the HTTP server (serve/run) and the `/metrics` + health listener (worker, bot) bind. A non-loopback "
                        + "address for `serve` requires `GAZETTE_API_TOKEN` (or `--insecure-no-auth`)."),
        ConfigOption("port", env: ["GAZETTE_PORT", "MCP_PORT"], section: .server, \.server.port, .int(1...65535, valueName: "port"),
                     default: 8004, help: "Port of the MCP/REST server (`serve`, `run`)."),
        ConfigOption("api-token", env: ["GAZETTE_API_TOKEN"], section: .apiTokens, \.server.apiToken, OptionParser.secret(valueName: "token").optional,
                     default: nil, secret: true,
                     help: "Bearer token required on `/mcp`, `/tools` and `/call`; prefer the variable (process listings).",
                     details: "`/metrics` and `/health*` stay open. It is an admin token: it may act for any `user_id`."),
        ConfigOption("api-tokens-file", env: ["GAZETTE_API_TOKENS_FILE"], section: .apiTokens, \.server.apiTokensFile,
                     OptionParser.text(valueName: "path").optional, default: nil,
                     help: "File of tokens that belong to users (`TOKEN USER_ID|admin [CREATED]` per line, kept 0600 by "
                        + "`gazette tokens add|list|revoke`).",
                     details: "A user's token acts only for that user; the server rereads the file when it changes. See docs/MCP.md."),

        // MARK: metrics
        ConfigOption("metrics-port", env: ["GAZETTE_METRICS_PORT", "METRICS_PORT"], section: .metrics, \.metricsPort,
                     OptionParser.int(1...65535, valueName: "port").optional, default: nil, defaultText: "`9101` worker, `9102` bot",
                     help: "Port of `/metrics` and `/health*` of the worker and the bot."),

        // MARK: fetch
        ConfigOption("interval", env: ["GAZETTE_INTERVAL", "POST_FETCH_INTERVAL_HOURS"], section: .fetch, \.worker.interval, .interval,
                     default: 3600, help: "Time between fetch passes: `30s`, `15m`, `1h`, `1d`. The alias is a number of hours."),
        ConfigOption("post-ttl-days", env: ["GAZETTE_POST_TTL_DAYS", "POST_TTL_DAYS"], section: .fetch, \.worker.postTTL, .days(1...36500),
                     default: 7 * 86_400,
                     help: "Posts older than this many days are deleted by the worker (1 to 36500; the largest keeps everything a feed "
                        + "still lists, as the feed corpus test does)."),
        ConfigOption("max-pages", env: ["GAZETTE_MAX_PAGES"], section: .fetch, \.sources.maxPages, .int(1...100), default: 5,
                     help: "Preview pages read per channel and pass (paging back with `?before=`)."),
        ConfigOption("telegram-preview-base-url", env: ["GAZETTE_TELEGRAM_PREVIEW_BASE_URL"], section: .fetch, \.sources.previewBaseURL,
                     .httpURL, default: URL(string: "https://t.me")!,
                     help: "Base URL of the public preview pages (a mirror, or a fake in tests)."),
        ConfigOption("host-concurrency", env: ["GAZETTE_HOST_CONCURRENCY"], section: .fetch, \.sources.http.hostConcurrency, .int(1...64),
                     default: 2, help: "Concurrent requests per source host (pictures too)."),
        ConfigOption("lease-duration", env: ["GAZETTE_LEASE_DURATION"], section: .fetch, \.worker.leaseDuration, .duration(), default: 300,
                     help: "How long a worker holds a claimed channel (and the user account) before another process may take it over."),
        ConfigOption("max-retry-wait", env: ["GAZETTE_MAX_RETRY_WAIT"], section: .fetch, \.sources.http.maxRetryAfterWait,
                     .duration(0...3600, example: "30s"), default: 30,
                     help: "An HTTP 429 whose `Retry-After` is at most this long is waited out and retried in the same pass (at most 3 "
                        + "times per request); a longer one schedules the channel for later. `0` turns the retry off."),
        ConfigOption("allow-private-sources", env: ["GAZETTE_ALLOW_PRIVATE_SOURCES"], section: .privateAddresses, \.sources.http.allowPrivateSources,
                     .bool(), default: false, switch: true,
                     help: "Allow feed and picture URLs that resolve to loopback/private addresses (tests only)."),

        // MARK: bot
        ConfigOption("token", env: ["TELEGRAM_BOT_TOKEN", "GAZETTE_BOT_TOKEN"], section: .bot, \.bot.token, OptionParser.botToken.optional,
                     default: nil, secret: true, help: "Bot token; prefer the variable so it stays out of process listings."),
        ConfigOption("telegram-api-base-url", env: ["GAZETTE_TELEGRAM_API_BASE_URL", "TELEGRAM_API_BASE_URL"], section: .bot,
                     \.bot.apiBaseURL, .httpURL, default: URL(string: "https://api.telegram.org")!, help: "Base URL of the Bot API."),
        ConfigOption("bot-allowed-users", env: ["GAZETTE_BOT_ALLOWED_USERS"], section: .bot, \.bot.allowedUsers, .userIDs,
                     default: nil, defaultText: "everyone", help: "Comma-separated Telegram user ids allowed to use the bot."),

        // MARK: summarizer and digests
        ConfigOption("summarizer", env: ["GAZETTE_SUMMARIZER"], section: .digest, \.summarizer.kind,
                     OptionParser<SummarizerSettings.Kind>.oneOf.optional, default: nil,
                     defaultText: "`llm` when an LLM URL is set, else `extractive`",
                     help: "`extractive` (offline, deterministic) or `llm` (falls back to extractive on any failure)."),
        ConfigOption("llm-url", env: ["GAZETTE_LLM_URL", "LLM_URL"], section: .digest, \.summarizer.llmURL, OptionParser.httpURL.optional,
                     default: nil, help: "Base URL of an OpenAI-compatible API; setting it selects the `llm` summarizer."),
        ConfigOption("llm-model", env: ["GAZETTE_LLM_MODEL", "LLM_MODEL"], section: .digest, \.summarizer.llmModel,
                     .text(valueName: "model"), default: "gpt-4o-mini", help: "Model name for the `llm` summarizer."),
        ConfigOption("llm-api-key", env: ["GAZETTE_LLM_API_KEY", "LLM_API_KEY"], section: .digest, \.summarizer.llmAPIKey,
                     OptionParser.secret(valueName: "key").optional, default: nil, secret: true,
                     help: "API key of the LLM endpoint; prefer the variable (process listings)."),
        ConfigOption("llm-translate", env: ["GAZETTE_LLM_TRANSLATE"], section: .digest, \.digest.llmTranslate, .bool(), default: false,
                     switch: true, help: "The LLM summarizer writes in the digest's language, translating the posts."),
        ConfigOption("digest-max-channels", env: ["GAZETTE_DIGEST_MAX_CHANNELS"], section: .digest, \.digest.maxChannels, .int(1...100),
                     default: 10, help: "Channels per digest."),
        ConfigOption("digest-max-posts", env: ["GAZETTE_DIGEST_MAX_POSTS"], section: .digest, \.digest.maxPostsPerChannel,
                     .int(1...1000), default: 100, help: "Posts per channel in a digest."),
        ConfigOption("digest-top-stories", env: ["GAZETTE_DIGEST_TOP_STORIES"], section: .digest, \.digest.topStories, .int(0...100),
                     default: 10, help: "Stories in the digest's top-stories section (0 gives the per-channel layout)."),
        ConfigOption("digest-cache-ttl", env: ["GAZETTE_DIGEST_CACHE_TTL"], section: .digest, \.digest.cacheTTL, .duration(),
                     default: 3600, help: "How long a rendered digest is reused."),
        ConfigOption("images", env: ["GAZETTE_IMAGES"], section: .digest, \.digest.images, .bool(("on", "off")), default: true,
                     help: "Pictures in digests (`on`/`off`); a reader's own setting (`gazette filters images`) wins. docs/DIGEST.md, \"Pictures\"."),
        ConfigOption("image-max-bytes", env: ["GAZETTE_IMAGE_MAX_BYTES"], section: .digest, \.images.maxBytes,
                     .int(1024...(100 * 1024 * 1024), valueName: "bytes"), default: 5 * 1024 * 1024, defaultText: "`5242880` (5 MB)",
                     help: "Largest picture fetched for a digest; reading stops at the cap and the picture becomes alt text."),
        ConfigOption("image-timeout", env: ["GAZETTE_IMAGE_TIMEOUT"], section: .digest, \.images.totalTimeout,
                     .duration(0.001...300, example: "10s"), default: 10, help: "Deadline of one picture's fetch (at most `5m`)."),
        ConfigOption("image-cache-max-bytes", env: ["GAZETTE_IMAGE_CACHE_MAX_BYTES"], section: .digest, \.images.cacheMaxBytes,
                     .int64(0...(1 << 40), valueName: "bytes"), default: 200 * 1024 * 1024, defaultText: "`209715200` (200 MB)",
                     help: "Bytes of pictures the image cache (in the database) keeps; the oldest go first."),
        ConfigOption("summary-cache-max-bytes", env: ["GAZETTE_SUMMARY_CACHE_MAX_BYTES"], section: .digest, \.digest.summaryCache.maxBytes,
                     .int64(0...(1 << 40), valueName: "bytes"), default: 64 * 1024 * 1024, defaultText: "`67108864` (64 MB)",
                     help: "Bytes of summaries the summary cache (in the database, shared by every process) keeps; the oldest made go "
                        + "first; `0` turns the cache off (docs/DIGEST.md, \"Summary cache\")."),

        // MARK: log and traces
        ConfigOption("log-format", env: ["GAZETTE_LOG_FORMAT"], section: .log, \.log.format, .oneOf,
                     default: .text, help: "`text` or `json` (one JSON object per line; use it in containers)."),
        ConfigOption("log-level", env: ["GAZETTE_LOG_LEVEL", "LOG_LEVEL"], section: .log, \.log.level, .logLevel, default: .info,
                     help: "`trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`."),
        ConfigOption("otlp-endpoint", env: ["OTEL_EXPORTER_OTLP_ENDPOINT"], section: .log, \.tracing.otlpEndpoint, OptionParser.httpURL.optional,
                     default: nil, defaultText: "off", help: "OTLP/HTTP endpoint for traces (tracing is off when unset)."),

        // MARK: the user account
        ConfigOption("data-dir", env: ["GAZETTE_DATA_DIR"], section: .account, \.account.dataDirectory, .text(valueName: "dir"),
                     default: "./data", help: "Directory of Gazette's own files; the user account's session is `account/` in it."),
        ConfigOption("telegram-api-id", env: ["GAZETTE_TELEGRAM_API_ID", "TELEGRAM_API_ID"], section: .account, \.account.apiID,
                     OptionParser.int64(1...Int64(Int32.max), valueName: "id",
                                        reason: "expected the positive number my.telegram.org shows as api_id").optional,
                     default: nil,
                     help: "API id of your own Telegram application (my.telegram.org), for the user account "
                        + "([SOURCES.md](SOURCES.md#user-account))."),
        ConfigOption("telegram-api-hash", env: ["GAZETTE_TELEGRAM_API_HASH", "TELEGRAM_API_HASH"], section: .account, \.account.apiHash,
                     OptionParser.apiHash.optional, default: nil, secret: true,
                     help: "API hash of that application (32 hex digits); prefer the variable (process listings)."),
        ConfigOption("account-dir", env: ["GAZETTE_ACCOUNT_DIR"], section: .account, \.account.directoryOverride,
                     OptionParser.text(valueName: "dir").optional, default: nil, defaultText: "`DATA_DIR/account`",
                     help: "The account's session directory (TDLib's database), created `0700`.",
                     details: "**It is the account**: back it up like a password, never share it."),
        ConfigOption("tdlib-path", env: ["GAZETTE_TDLIB_PATH"], section: .account, \.account.libraryPath,
                     OptionParser.text(valueName: "path").optional, default: nil,
                     defaultText: "`../lib/gazette/` beside the binary, the checkout's `.tdlib/`, then the system loader",
                     help: "TDLib's JSON library (`libtdjson.so`).",
                     details: "`make tdlib` puts it in `.tdlib/`, `make install` in `$(PREFIX)/lib/gazette`, the image has it in "
                        + "`/usr/local/lib/gazette`."),
        ConfigOption("tdlib-database-key", env: ["GAZETTE_TDLIB_DATABASE_KEY"], section: .account, \.account.databaseKey,
                     OptionParser.secret(valueName: "key").optional, default: nil,
                     defaultText: "generated once into `ACCOUNT_DIR/database.key` (`0600`)", secret: true,
                     help: "Encryption key of the session database."),

        // MARK: delivery
        ConfigOption("smtp-url", env: ["GAZETTE_SMTP_URL"], section: .delivery, \.delivery.smtpURL, OptionParser.smtpURL.optional,
                     default: nil, defaultText: "unset: no email is sent",
                     help: "SMTP server of the daily digest by email (docs/DELIVERY.md): `smtp://host:587` (STARTTLS, required unless "
                        + "the host is a loopback address) or `smtps://host:465` (TLS). No user or password in the URL."),
        ConfigOption("smtp-user", env: ["GAZETTE_SMTP_USER"], section: .delivery, \.delivery.smtpUser,
                     OptionParser.text(valueName: "user").optional, default: nil, defaultText: "unset", help: "SMTP AUTH user name."),
        ConfigOption("smtp-password", env: ["GAZETTE_SMTP_PASSWORD"], section: .delivery, \.delivery.smtpPassword,
                     OptionParser.secret(valueName: "password").optional, default: nil, defaultText: "unset", secret: true,
                     help: "SMTP AUTH password; prefer the variable (process listings).",
                     details: "Never logged, never in an error or a metric."),
        ConfigOption("smtp-from", env: ["GAZETTE_SMTP_FROM"], section: .delivery, \.delivery.smtpFrom, OptionParser.emailAddress.optional,
                     default: nil, defaultText: "— (required with `GAZETTE_SMTP_URL`)",
                     help: "Sender address of digest emails (`From:` and the envelope)."),
        ConfigOption("delivery-retry-base", env: ["GAZETTE_DELIVERY_RETRY_BASE"], section: .delivery, \.delivery.retryBase,
                     .duration(1...86_400, example: "1m"), default: 60,
                     help: "Wait before the first retry of a failed daily delivery (per destination); doubles each retry, at most 5 "
                        + "attempts a day."),
    ]

    /// The entry of `key`; a key not in the table is a programming error.
    public static func option(_ key: String) -> ConfigOption {
        guard let option = all.first(where: { $0.key == key }) else { preconditionFailure("no option \(key) in OptionTable") }
        return option
    }
}
