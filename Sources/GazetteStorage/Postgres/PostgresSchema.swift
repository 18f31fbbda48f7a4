/// PostgreSQL schema history. Dates are `timestamptz`.
enum PostgresSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(version: 1, name: "initial schema", statements: [
            """
            CREATE TABLE channels (
                id BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('telegram', 'feed', 'botapi')),
                key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 2048),
                title TEXT,
                description TEXT,
                subscribers BIGINT,
                photo_url TEXT,
                created_at TIMESTAMPTZ NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                UNIQUE (kind, key)
            )
            """,
            """
            CREATE TABLE subscriptions (
                user_id BIGINT NOT NULL CHECK (user_id > 0),
                channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                tags TEXT NOT NULL DEFAULT '[]',
                created_at TIMESTAMPTZ NOT NULL,
                UNIQUE (user_id, channel_id)
            )
            """,
            "CREATE INDEX subscriptions_channel_idx ON subscriptions(channel_id)",
            """
            CREATE TABLE posts (
                id BIGSERIAL PRIMARY KEY,
                channel_id BIGINT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                message_id BIGINT NOT NULL CHECK (message_id > 0),
                text TEXT NOT NULL,
                html TEXT,
                date TIMESTAMPTZ NOT NULL,
                views BIGINT,
                url TEXT,
                media TEXT,
                forwarded_from TEXT,
                link_preview_title TEXT,
                content_hash TEXT,
                fetched_at TIMESTAMPTZ NOT NULL,
                UNIQUE (channel_id, message_id)
            )
            """,
            "CREATE INDEX posts_channel_hash_idx ON posts(channel_id, content_hash, date)",
            "CREATE INDEX posts_channel_date_idx ON posts(channel_id, date)",
            "CREATE INDEX posts_date_idx ON posts(date)",
            """
            CREATE TABLE fetch_state (
                channel_id BIGINT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
                last_message_id BIGINT,
                last_success_at TIMESTAMPTZ,
                last_error TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TIMESTAMPTZ,
                lease_owner TEXT,
                lease_until TIMESTAMPTZ,
                etag TEXT,
                last_modified TEXT
            )
            """,
            """
            CREATE TABLE deliveries (
                user_id BIGINT NOT NULL,
                kind TEXT NOT NULL,
                period TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 1,
                claimed_by TEXT NOT NULL,
                updated_at TIMESTAMPTZ NOT NULL,
                UNIQUE (user_id, kind, period)
            )
            """,
            """
            CREATE TABLE digest_cache (
                key TEXT PRIMARY KEY,
                pdf BYTEA NOT NULL,
                pages INTEGER NOT NULL,
                created_at TIMESTAMPTZ NOT NULL,
                expires_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE INDEX digest_cache_expires_idx ON digest_cache(expires_at)",
            """
            CREATE TABLE user_settings (
                user_id BIGINT PRIMARY KEY,
                chat_id BIGINT,
                daily_digest BOOLEAN NOT NULL DEFAULT FALSE,
                daily_hour INTEGER NOT NULL DEFAULT 20,
                time_zone TEXT NOT NULL DEFAULT 'UTC',
                format TEXT NOT NULL DEFAULT 'pdf',
                updated_at TIMESTAMPTZ NOT NULL
            )
            """,
            "CREATE TABLE kv_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
    ]
}
