/// Every configuration option Gazette knows, declared once: its flag, its environment variables
/// (the `GAZETTE_*` name first, then the earlier system's aliases), its default and whether it is secret.
public enum ConfigOption: String, CaseIterable, Sendable {
    case database
    case host
    case port
    case metricsPort = "metrics-port"
    case interval
    case postTTLDays = "post-ttl-days"
    case maxPages = "max-pages"
    case telegramPreviewBaseURL = "telegram-preview-base-url"
    case telegramAPIBaseURL = "telegram-api-base-url"
    case token
    case apiToken = "api-token"
    case apiTokensFile = "api-tokens-file"
    case llmURL = "llm-url"
    case llmModel = "llm-model"
    case llmAPIKey = "llm-api-key"
    case summarizer
    case logFormat = "log-format"
    case logLevel = "log-level"
    case allowPrivateSources = "allow-private-sources"
    case botAllowedUsers = "bot-allowed-users"
    case digestMaxChannels = "digest-max-channels"
    case digestMaxPosts = "digest-max-posts"
    case digestCacheTTL = "digest-cache-ttl"
    case digestTopStories = "digest-top-stories"
    case llmTranslate = "llm-translate"
    case hostConcurrency = "host-concurrency"
    case leaseDuration = "lease-duration"
    case maxRetryWait = "max-retry-wait"
    case otlpEndpoint = "otlp-endpoint"
    case dataDir = "data-dir"
    case telegramAPIID = "telegram-api-id"
    case telegramAPIHash = "telegram-api-hash"
    case accountDir = "account-dir"
    case tdlibPath = "tdlib-path"
    case tdlibDatabaseKey = "tdlib-database-key"
    case images
    case imageMaxBytes = "image-max-bytes"
    case imageTimeout = "image-timeout"
    case imageCacheMaxBytes = "image-cache-max-bytes"
    case summaryCacheMaxBytes = "summary-cache-max-bytes"
    case smtpURL = "smtp-url"
    case smtpUser = "smtp-user"
    case smtpPassword = "smtp-password"
    case smtpFrom = "smtp-from"
    case deliveryRetryBase = "delivery-retry-base"

    /// The command-line flag.
    public var flag: String { "--\(rawValue)" }

    /// Environment variables, most specific first.
    public var environmentNames: [String] {
        switch self {
        case .database: ["GAZETTE_DATABASE_URL", "DATABASE_URL"]
        case .host: ["GAZETTE_HOST"]
        case .port: ["GAZETTE_PORT", "MCP_PORT"]
        case .metricsPort: ["GAZETTE_METRICS_PORT", "METRICS_PORT"]
        case .interval: ["GAZETTE_INTERVAL", "POST_FETCH_INTERVAL_HOURS"]
        case .postTTLDays: ["GAZETTE_POST_TTL_DAYS", "POST_TTL_DAYS"]
        case .maxPages: ["GAZETTE_MAX_PAGES"]
        case .telegramPreviewBaseURL: ["GAZETTE_TELEGRAM_PREVIEW_BASE_URL"]
        case .telegramAPIBaseURL: ["GAZETTE_TELEGRAM_API_BASE_URL", "TELEGRAM_API_BASE_URL"]
        case .token: ["TELEGRAM_BOT_TOKEN", "GAZETTE_BOT_TOKEN"]
        case .apiToken: ["GAZETTE_API_TOKEN"]
        case .apiTokensFile: ["GAZETTE_API_TOKENS_FILE"]
        case .llmURL: ["GAZETTE_LLM_URL", "LLM_URL"]
        case .llmModel: ["GAZETTE_LLM_MODEL", "LLM_MODEL"]
        case .llmAPIKey: ["GAZETTE_LLM_API_KEY", "LLM_API_KEY"]
        case .summarizer: ["GAZETTE_SUMMARIZER"]
        case .logFormat: ["GAZETTE_LOG_FORMAT"]
        case .logLevel: ["GAZETTE_LOG_LEVEL", "LOG_LEVEL"]
        case .allowPrivateSources: ["GAZETTE_ALLOW_PRIVATE_SOURCES"]
        case .botAllowedUsers: ["GAZETTE_BOT_ALLOWED_USERS"]
        case .digestMaxChannels: ["GAZETTE_DIGEST_MAX_CHANNELS"]
        case .digestMaxPosts: ["GAZETTE_DIGEST_MAX_POSTS"]
        case .digestCacheTTL: ["GAZETTE_DIGEST_CACHE_TTL"]
        case .digestTopStories: ["GAZETTE_DIGEST_TOP_STORIES"]
        case .llmTranslate: ["GAZETTE_LLM_TRANSLATE"]
        case .hostConcurrency: ["GAZETTE_HOST_CONCURRENCY"]
        case .leaseDuration: ["GAZETTE_LEASE_DURATION"]
        case .maxRetryWait: ["GAZETTE_MAX_RETRY_WAIT"]
        case .otlpEndpoint: ["OTEL_EXPORTER_OTLP_ENDPOINT"]
        case .dataDir: ["GAZETTE_DATA_DIR"]
        case .telegramAPIID: ["GAZETTE_TELEGRAM_API_ID", "TELEGRAM_API_ID"]
        case .telegramAPIHash: ["GAZETTE_TELEGRAM_API_HASH", "TELEGRAM_API_HASH"]
        case .accountDir: ["GAZETTE_ACCOUNT_DIR"]
        case .tdlibPath: ["GAZETTE_TDLIB_PATH"]
        case .tdlibDatabaseKey: ["GAZETTE_TDLIB_DATABASE_KEY"]
        case .images: ["GAZETTE_IMAGES"]
        case .imageMaxBytes: ["GAZETTE_IMAGE_MAX_BYTES"]
        case .imageTimeout: ["GAZETTE_IMAGE_TIMEOUT"]
        case .imageCacheMaxBytes: ["GAZETTE_IMAGE_CACHE_MAX_BYTES"]
        case .summaryCacheMaxBytes: ["GAZETTE_SUMMARY_CACHE_MAX_BYTES"]
        case .smtpURL: ["GAZETTE_SMTP_URL"]
        case .smtpUser: ["GAZETTE_SMTP_USER"]
        case .smtpPassword: ["GAZETTE_SMTP_PASSWORD"]
        case .smtpFrom: ["GAZETTE_SMTP_FROM"]
        case .deliveryRetryBase: ["GAZETTE_DELIVERY_RETRY_BASE"]
        }
    }

    /// Secrets are never printed, logged or echoed back in an error.
    public var isSecret: Bool {
        switch self {
        case .token, .apiToken, .llmAPIKey, .telegramAPIHash, .tdlibDatabaseKey, .smtpPassword: true
        default: false
        }
    }

    /// Help text, including the default and the variables.
    public var help: String {
        let text: String = switch self {
        case .database: "Database URL: sqlite:PATH or postgres://user:pass@host:port/db (default sqlite:./data/gazette.sqlite)."
        case .host: "Address to bind (default 127.0.0.1)."
        case .port: "HTTP port of the MCP/REST server (default 8004)."
        case .metricsPort: "Port of /metrics and /health (default 9101 for the worker, 9102 for the bot)."
        case .interval: "Fetch interval such as 15m or 1h (default 1h; POST_FETCH_INTERVAL_HOURS is in hours)."
        case .postTTLDays: "Days to keep posts (default 7; at most 36500, which keeps everything a feed still lists)."
        case .maxPages: "Preview pages to read per channel and pass (default 5)."
        case .telegramPreviewBaseURL: "Base URL of Telegram's public preview pages (default https://t.me)."
        case .telegramAPIBaseURL: "Base URL of the Bot API (default https://api.telegram.org)."
        case .token: "Telegram bot token; prefer TELEGRAM_BOT_TOKEN so it stays out of process listings."
        case .apiToken: "Bearer token required on /mcp, /tools and /call; prefer GAZETTE_API_TOKEN (process listings)."
        case .apiTokensFile: "File of tokens that belong to users (TOKEN USER_ID|admin per line; gazette tokens manages it)."
        case .llmURL: "Base URL of an OpenAI-compatible API for the llm summarizer."
        case .llmModel: "Model name for the llm summarizer."
        case .llmAPIKey: "API key of the llm summarizer; prefer GAZETTE_LLM_API_KEY (process listings)."
        case .summarizer: "extractive or llm (default: llm when an LLM URL is set, else extractive)."
        case .logFormat: "Log format: text or json (default text)."
        case .logLevel: "Log level: trace, debug, info, notice, warning, error, critical (default info)."
        case .allowPrivateSources: "Allow feed URLs on loopback/private addresses (default false)."
        case .botAllowedUsers: "Comma-separated Telegram user ids allowed to use the bot (default: everyone)."
        case .digestMaxChannels: "Channels per digest (default 10)."
        case .digestMaxPosts: "Posts per channel in a digest (default 100)."
        case .digestCacheTTL: "How long a rendered digest is reused, e.g. 1h (default 1h)."
        case .digestTopStories: "Stories in a digest's top-stories section; 0 leaves it out (default 10)."
        case .llmTranslate: "The LLM writes summaries in the digest's language, translating the posts (default off)."
        case .hostConcurrency: "Concurrent requests per source host (default 2)."
        case .leaseDuration: "How long a worker holds a claimed channel, e.g. 5m (default 5m)."
        case .maxRetryWait: "Longest Retry-After of an HTTP 429 that is waited out and retried in the same pass, e.g. 30s "
            + "(default 30s; 0 schedules every rate-limited channel for later)."
        case .otlpEndpoint: "OTLP/HTTP endpoint for traces (tracing is off when unset)."
        case .dataDir: "Directory of Gazette's own files, such as the user account's session (default ./data)."
        case .telegramAPIID: "API id of your Telegram application (my.telegram.org), for the user account."
        case .telegramAPIHash: "API hash of your Telegram application (32 hex digits); prefer the variable (process listings)."
        case .accountDir: "The user account's private session directory, created 0700 (default DATA_DIR/account)."
        case .tdlibPath: "Path of TDLib's libtdjson.so (default: lib/gazette beside the binary, the checkout's .tdlib, the system loader)."
        case .tdlibDatabaseKey: "Encryption key of the session database (default: generated once, kept 0600 in the account directory)."
        case .images: "Pictures in digests: on or off (default on; a reader's own setting wins)."
        case .imageMaxBytes: "Largest picture fetched for a digest, in bytes; reading stops there (default 5242880, 5 MB)."
        case .imageTimeout: "Deadline of one picture's fetch, e.g. 10s (default 10s)."
        case .imageCacheMaxBytes: "Bytes of pictures the image cache keeps at most (default 209715200, 200 MB)."
        case .summaryCacheMaxBytes: "Bytes of summaries the summary cache keeps at most; 0 turns it off (default 67108864, 64 MB)."
        case .smtpURL: "SMTP server of the digest by email: smtp://host:587 (STARTTLS, required except on loopback) or smtps://host:465."
        case .smtpUser: "SMTP user name (AUTH), when the server needs one."
        case .smtpPassword: "SMTP password; prefer GAZETTE_SMTP_PASSWORD (process listings)."
        case .smtpFrom: "Sender address of digest emails, e.g. gazette@example.com (needed with --smtp-url)."
        case .deliveryRetryBase: "Wait before the first retry of a failed daily digest delivery; doubles each retry (default 1m)."
        }
        return "\(text) Env: \(environmentNames.joined(separator: ", "))."
    }
}
