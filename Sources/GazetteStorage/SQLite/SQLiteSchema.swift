/// SQLite schema history. Dates are REAL unix seconds (UTC), which sort and index as numbers.
enum SQLiteSchema {
    static let migrations: [SchemaMigration] = [
        SchemaMigration(version: 1, name: "initial schema", statements: [
            """
            CREATE TABLE channels (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL CHECK (kind IN ('telegram', 'feed', 'botapi')),
                key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 2048),
                title TEXT,
                description TEXT,
                subscribers INTEGER,
                photo_url TEXT,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL,
                UNIQUE (kind, key)
            )
            """,
            """
            CREATE TABLE subscriptions (
                user_id INTEGER NOT NULL CHECK (user_id > 0),
                channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                tags TEXT NOT NULL DEFAULT '[]',
                created_at REAL NOT NULL,
                UNIQUE (user_id, channel_id)
            )
            """,
            "CREATE INDEX subscriptions_channel_idx ON subscriptions(channel_id)",
            """
            CREATE TABLE posts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                message_id INTEGER NOT NULL CHECK (message_id > 0),
                text TEXT NOT NULL,
                html TEXT,
                date REAL NOT NULL,
                views INTEGER,
                url TEXT,
                media TEXT,
                forwarded_from TEXT,
                link_preview_title TEXT,
                content_hash TEXT,
                fetched_at REAL NOT NULL,
                UNIQUE (channel_id, message_id)
            )
            """,
            "CREATE INDEX posts_channel_hash_idx ON posts(channel_id, content_hash, date)",
            "CREATE INDEX posts_channel_date_idx ON posts(channel_id, date)",
            "CREATE INDEX posts_date_idx ON posts(date)",
            """
            CREATE TABLE fetch_state (
                channel_id INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
                last_message_id INTEGER,
                last_success_at REAL,
                last_error TEXT,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL,
                lease_owner TEXT,
                lease_until REAL,
                etag TEXT,
                last_modified TEXT
            )
            """,
            """
            CREATE TABLE deliveries (
                user_id INTEGER NOT NULL,
                kind TEXT NOT NULL,
                period TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 1,
                claimed_by TEXT NOT NULL,
                updated_at REAL NOT NULL,
                UNIQUE (user_id, kind, period)
            )
            """,
            """
            CREATE TABLE digest_cache (
                key TEXT PRIMARY KEY,
                pdf BLOB NOT NULL,
                pages INTEGER NOT NULL,
                created_at REAL NOT NULL,
                expires_at REAL NOT NULL
            )
            """,
            "CREATE INDEX digest_cache_expires_idx ON digest_cache(expires_at)",
            """
            CREATE TABLE user_settings (
                user_id INTEGER PRIMARY KEY,
                chat_id INTEGER,
                daily_digest INTEGER NOT NULL DEFAULT 0,
                daily_hour INTEGER NOT NULL DEFAULT 20,
                time_zone TEXT NOT NULL DEFAULT 'UTC',
                format TEXT NOT NULL DEFAULT 'pdf',
                updated_at REAL NOT NULL
            )
            """,
            "CREATE TABLE kv_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]),
    ]
}
