/// Gazette's schema history, once for both databases: the dialect fills in the types that differ.
/// A released step is never edited; a change is a new step.
enum GazetteSchema {
    static func migrations(_ d: SQLDialect) -> [SchemaMigration] {
        [
            SchemaMigration(version: 1, name: "initial schema", statements: [
                """
                CREATE TABLE channels (
                    id \(d.serialKey),
                    kind TEXT NOT NULL CHECK (kind IN ('telegram', 'feed', 'botapi')),
                    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 2048),
                    title TEXT,
                    description TEXT,
                    subscribers \(d.bigint),
                    photo_url TEXT,
                    created_at \(d.timestamp) NOT NULL,
                    updated_at \(d.timestamp) NOT NULL,
                    UNIQUE (kind, key)
                )
                """,
                """
                CREATE TABLE subscriptions (
                    user_id \(d.bigint) NOT NULL CHECK (user_id > 0),
                    channel_id \(d.bigint) NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                    tags TEXT NOT NULL DEFAULT '[]',
                    created_at \(d.timestamp) NOT NULL,
                    UNIQUE (user_id, channel_id)
                )
                """,
                "CREATE INDEX subscriptions_channel_idx ON subscriptions(channel_id)",
                """
                CREATE TABLE posts (
                    id \(d.serialKey),
                    channel_id \(d.bigint) NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                    message_id \(d.bigint) NOT NULL CHECK (message_id > 0),
                    text TEXT NOT NULL,
                    html TEXT,
                    date \(d.timestamp) NOT NULL,
                    views \(d.bigint),
                    url TEXT,
                    media TEXT,
                    forwarded_from TEXT,
                    link_preview_title TEXT,
                    content_hash TEXT,
                    fetched_at \(d.timestamp) NOT NULL,
                    UNIQUE (channel_id, message_id)
                )
                """,
                "CREATE INDEX posts_channel_hash_idx ON posts(channel_id, content_hash, date)",
                "CREATE INDEX posts_channel_date_idx ON posts(channel_id, date)",
                "CREATE INDEX posts_date_idx ON posts(date)",
                """
                CREATE TABLE fetch_state (
                    channel_id \(d.bigint) PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
                    last_message_id \(d.bigint),
                    last_success_at \(d.timestamp),
                    last_error TEXT,
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at \(d.timestamp),
                    lease_owner TEXT,
                    lease_until \(d.timestamp),
                    etag TEXT,
                    last_modified TEXT
                )
                """,
                """
                CREATE TABLE deliveries (
                    user_id \(d.bigint) NOT NULL,
                    kind TEXT NOT NULL,
                    period TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 1,
                    claimed_by TEXT NOT NULL,
                    updated_at \(d.timestamp) NOT NULL,
                    UNIQUE (user_id, kind, period)
                )
                """,
                """
                CREATE TABLE digest_cache (
                    key TEXT PRIMARY KEY,
                    pdf \(d.bytes) NOT NULL,
                    pages INTEGER NOT NULL,
                    created_at \(d.timestamp) NOT NULL,
                    expires_at \(d.timestamp) NOT NULL
                )
                """,
                "CREATE INDEX digest_cache_expires_idx ON digest_cache(expires_at)",
                """
                CREATE TABLE user_settings (
                    user_id \(d.bigint) PRIMARY KEY,
                    chat_id \(d.bigint),
                    daily_digest \(d.boolean) NOT NULL DEFAULT \(d.falseLiteral),
                    daily_hour INTEGER NOT NULL DEFAULT 20,
                    time_zone TEXT NOT NULL DEFAULT 'UTC',
                    format TEXT NOT NULL DEFAULT 'pdf',
                    updated_at \(d.timestamp) NOT NULL
                )
                """,
                "CREATE TABLE kv_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            ]),
            // Version 1 kept a cached PDF's channel and post counts as text in a sibling row's `pdf` column.
            // The cache is only a cache: it is emptied rather than converted.
            SchemaMigration(version: 2, name: "digest cache counts as columns", statements: [
                "DELETE FROM digest_cache",
                "ALTER TABLE digest_cache ADD COLUMN channels INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE digest_cache ADD COLUMN posts INTEGER NOT NULL DEFAULT 0",
            ]),
            // The Telegram user account (docs/SOURCES.md, "User account"): each channel's fetch method and why,
            // forwards and edit dates of posts read through the account, and the one lease on the account.
            SchemaMigration(version: 3, name: "user account", statements: [
                "ALTER TABLE channels ADD COLUMN fetch_via TEXT NOT NULL DEFAULT 'auto' CHECK (fetch_via IN ('auto', 'preview', 'account'))",
                "ALTER TABLE fetch_state ADD COLUMN fetch_method TEXT CHECK (fetch_method IN ('preview', 'account', 'feed', 'botapi'))",
                "ALTER TABLE fetch_state ADD COLUMN fetch_reason TEXT",
                "ALTER TABLE fetch_state ADD COLUMN account_chat_id \(d.bigint)",
                "ALTER TABLE posts ADD COLUMN forwards \(d.bigint)",
                "ALTER TABLE posts ADD COLUMN edited_at \(d.timestamp)",
                """
                CREATE TABLE account_lease (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    owner TEXT,
                    lease_until \(d.timestamp),
                    state TEXT NOT NULL DEFAULT 'logged_out' CHECK (state IN ('logged_in', 'waiting', 'logged_out')),
                    updated_at \(d.timestamp) NOT NULL
                )
                """,
            ]),
            // Issue 15: a reader's filters and language, and the stories each reader was sent.
            SchemaMigration(version: 4, name: "reader filters, language and delivered stories", statements: [
                """
                CREATE TABLE reader_settings (
                    user_id \(d.bigint) PRIMARY KEY,
                    language TEXT CHECK (language IN ('ru', 'en')),
                    updated_at \(d.timestamp) NOT NULL
                )
                """,
                """
                CREATE TABLE reader_filters (
                    user_id \(d.bigint) NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('include', 'exclude', 'mute', 'no_ads', 'ad_marker', 'min_length')),
                    value TEXT NOT NULL CHECK (length(value) <= 2048),
                    created_at \(d.timestamp) NOT NULL,
                    PRIMARY KEY (user_id, kind, value)
                )
                """,
                """
                CREATE TABLE delivered_stories (
                    user_id \(d.bigint) NOT NULL,
                    story_key TEXT NOT NULL,
                    post_ids TEXT NOT NULL,
                    reports INTEGER NOT NULL,
                    delivered_at \(d.timestamp) NOT NULL,
                    PRIMARY KEY (user_id, story_key)
                )
                """,
                "CREATE INDEX delivered_stories_at_idx ON delivered_stories(delivered_at)",
            ]),
            // Issue 18: where each user's daily digest goes (telegram, email, feed; comma-separated) and the address.
            SchemaMigration(version: 5, name: "digest destinations and email address", statements: [
                "ALTER TABLE user_settings ADD COLUMN destinations TEXT NOT NULL DEFAULT 'telegram,feed'",
                "ALTER TABLE user_settings ADD COLUMN email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254)",
            ]),
            // Issue 18: the digests delivered to each reader (web reader, Atom feed) and the hashes of web tokens.
            SchemaMigration(version: 6, name: "digest archive and web tokens", statements: [
                """
                CREATE TABLE digest_archive (
                    id \(d.serialKey),
                    user_id \(d.bigint) NOT NULL CHECK (user_id > 0),
                    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
                    period TEXT NOT NULL CHECK (length(period) BETWEEN 1 AND 64),
                    window_since \(d.timestamp) NOT NULL,
                    window_until \(d.timestamp) NOT NULL,
                    title TEXT NOT NULL,
                    markdown TEXT NOT NULL,
                    channels INTEGER NOT NULL DEFAULT 0,
                    posts INTEGER NOT NULL DEFAULT 0,
                    created_at \(d.timestamp) NOT NULL,
                    UNIQUE (user_id, kind, period)
                )
                """,
                "CREATE INDEX digest_archive_user_until_idx ON digest_archive(user_id, window_until)",
                "CREATE INDEX digest_archive_created_idx ON digest_archive(created_at)",
                """
                CREATE TABLE web_tokens (
                    user_id \(d.bigint) PRIMARY KEY CHECK (user_id > 0),
                    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
                    created_at \(d.timestamp) NOT NULL
                )
                """,
            ]),
            // Issue 16: where each post's pictures live (a JSON array of references, no bytes), the pictures fetched
            // for digests (kept until the newest post showing them expires, bounded in size), and each reader's
            // choice to see them.
            SchemaMigration(version: 7, name: "post pictures and the image cache", statements: [
                "ALTER TABLE posts ADD COLUMN images TEXT",
                """
                CREATE TABLE image_cache (
                    url TEXT PRIMARY KEY CHECK (length(url) <= 2048),
                    content_type TEXT CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
                    bytes \(d.bytes) NOT NULL,
                    size \(d.bigint) NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    skip_reason TEXT,
                    fetched_at \(d.timestamp) NOT NULL,
                    expires_at \(d.timestamp) NOT NULL
                )
                """,
                "CREATE INDEX image_cache_expires_idx ON image_cache(expires_at)",
                "CREATE INDEX image_cache_fetched_idx ON image_cache(fetched_at)",
                "ALTER TABLE reader_settings ADD COLUMN images \(d.boolean)",
            ]),
            // Issue 24: where joining a private channel through its invite link stands while the account is not a
            // member (a join request awaiting approval, a guard bot's approval, a declined join).
            SchemaMigration(version: 8, name: "account join state", statements: [
                "ALTER TABLE fetch_state ADD COLUMN account_join TEXT CHECK (account_join IN ('requested', 'guard_bot', 'declined'))",
            ]),
            // Issue 27: full-text search. The index of new posts is written with them; the posts already stored are
            // indexed after the migration in batches, from `search_backfill.after_post_id` on, which records how far
            // it got (interrupted, it resumes there) and is deleted when done.
            SchemaMigration(version: 9, name: "full-text search index", statements: d.searchIndex + [
                "CREATE TABLE search_backfill (id INTEGER PRIMARY KEY CHECK (id = 1), after_post_id \(d.bigint) NOT NULL)",
                "INSERT INTO search_backfill (id, after_post_id) SELECT 1, 0 WHERE EXISTS (SELECT 1 FROM posts)",
            ]),
            // Issue 24: pictures of the user account a digest needs, for the process that owns the account to download
            // into the image cache.
            SchemaMigration(version: 10, name: "account picture requests", statements: [
                """
                CREATE TABLE image_requests (
                    url TEXT PRIMARY KEY CHECK (length(url) <= 2048),
                    keep_until \(d.timestamp) NOT NULL,
                    requested_at \(d.timestamp) NOT NULL
                )
                """,
                "CREATE INDEX image_requests_requested_idx ON image_requests(requested_at)",
            ]),
            // Issue 28: summaries kept for reuse by every process, keyed by what they depend on; an entry expires with
            // the first of its posts, and the cache is trimmed to a byte bound (oldest made first).
            SchemaMigration(version: 11, name: "summary cache", statements: [
                """
                CREATE TABLE summary_cache (
                    key TEXT PRIMARY KEY CHECK (length(key) <= 128),
                    summarizer TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    size \(d.bigint) NOT NULL,
                    llm_calls INTEGER NOT NULL DEFAULT 0,
                    failures INTEGER NOT NULL DEFAULT 0,
                    retry_at \(d.timestamp),
                    created_at \(d.timestamp) NOT NULL,
                    expires_at \(d.timestamp) NOT NULL
                )
                """,
                "CREATE INDEX summary_cache_expires_idx ON summary_cache(expires_at)",
                "CREATE INDEX summary_cache_created_idx ON summary_cache(created_at)",
            ]),
        ]
    }
}
