import Foundation
import GazetteCore
import GazetteText
import PostgresNIO

extension PostgresStore {
    /// One set-based statement per batch: the rows travel as arrays and are expanded by `unnest`, content
    /// duplicates are filtered with `NOT EXISTS`, and `ON CONFLICT DO NOTHING` skips known message ids.
    /// The date test is written so it cannot use the `(channel_id, date)` index: on a table without statistics
    /// the planner would otherwise scan a week of posts per row instead of looking up the hash.
    public func savePosts(_ posts: [Post], channelID: Int64, outcome: FetchOutcome?, dedupWindow: TimeInterval) async throws -> SaveResult {
        let prepared = try BatchDedup.prepare(posts, dedupWindow: dedupWindow)
        let maxMessageID = posts.map(\.messageID).max()
        let columns = PostColumns(prepared, fetchedAt: Date())
        // The index rows travel with the posts and are written by the same statement; a post the statement skips
        // (known message id, repeated text) takes its index row with it.
        let terms = searchIndexing ? prepared.map { SearchDocument.tsvector(text: $0.post.text, title: $0.post.linkPreviewTitle) } : []
        let saved: Int = try await transaction("save posts") { conn in
            try await self.requireChannel(conn, channelID)
            var saved = 0
            if !prepared.isEmpty {
                // A subplan per row on the (channel_id, content_hash, date) index: the right plan for batches of
                // up to 1,000 posts (every caller's cap) against a large table. A plain NOT EXISTS let the planner
                // pick an anti-join that reads the whole channel per batch (a third slower in the benchmark). On a
                // table without statistics a single batch of tens of thousands is quadratic (docs/STORAGE.md).
                let rows = try await conn.query("""
                    WITH input AS (
                        SELECT * FROM unnest(\(columns.messageIDs)::bigint[], \(columns.texts)::text[], \(columns.htmls)::text[],
                            \(columns.dates)::timestamptz[], \(columns.views)::bigint[], \(columns.urls)::text[],
                            \(columns.media)::text[], \(columns.forwardedFrom)::text[], \(columns.previewTitles)::text[],
                            \(columns.hashes)::text[], \(columns.fetchedAt)::timestamptz[], \(columns.forwards)::bigint[],
                            \(columns.editedAt)::timestamptz[], \(columns.images)::text[])
                        AS t(message_id, text, html, date, views, url, media, forwarded_from, link_preview_title, content_hash, fetched_at,
                             forwards, edited_at, images)
                    ), terms AS (
                        SELECT * FROM unnest(\(columns.messageIDs)::bigint[], \(terms)::text[]) AS t(message_id, terms)
                    ), inserted AS (
                        INSERT INTO posts (channel_id, message_id, text, html, date, views, url, media, forwarded_from,
                            link_preview_title, content_hash, fetched_at, forwards, edited_at, images)
                        SELECT \(channelID), i.message_id, i.text, i.html, i.date, i.views, i.url, i.media, i.forwarded_from,
                            i.link_preview_title, i.content_hash, i.fetched_at, i.forwards, i.edited_at, i.images
                        FROM input i
                        WHERE i.content_hash IS NULL OR NOT EXISTS (
                            SELECT 1 FROM posts p
                            WHERE p.channel_id = \(channelID) AND p.content_hash = i.content_hash
                              AND abs(extract(epoch FROM p.date - i.date)) <= \(dedupWindow)::float8)
                        ON CONFLICT (channel_id, message_id) DO NOTHING
                        RETURNING id, message_id, date
                    ), indexed AS (
                        INSERT INTO post_search (post_id, channel_id, date, terms)
                        SELECT n.id, \(channelID), n.date, t.terms::tsvector FROM inserted n JOIN terms t ON t.message_id = n.message_id
                        WHERE t.terms IS NOT NULL
                    )
                    SELECT COUNT(*)::bigint FROM inserted
                    """, logger: self.logger)
                saved = try await rows.first { try $0.decode(Int.self) } ?? 0
            }
            if let outcome {
                try await self.apply(outcome, conn: conn, channelID: channelID, maxMessageID: maxMessageID, owner: nil)
            }
            return saved
        }
        return SaveResult(saved: saved, skipped: posts.count - saved, total: posts.count)
    }

    public func upsertPost(_ post: Post, channelID: Int64) async throws {
        guard let item = try BatchDedup.prepare([post], dedupWindow: 0).first else { return }
        let p = item.post
        let terms = SearchDocument.tsvector(text: p.text, title: p.linkPreviewTitle)
        try await transaction("upsert post") { conn in
            try await self.requireChannel(conn, channelID)
            let rows = try await conn.query("""
                INSERT INTO posts (channel_id, message_id, text, html, date, views, url, media, forwarded_from,
                    link_preview_title, content_hash, fetched_at, forwards, edited_at, images)
                VALUES (\(channelID), \(p.messageID), \(p.text), \(p.html), \(p.date), \(p.views), \(p.url), \(item.mediaJSON),
                    \(p.forwardedFrom), \(p.linkPreviewTitle), \(item.contentHash), \(p.fetchedAt ?? Date()),
                    \(p.forwards), \(p.editedAt), \(item.imagesJSON))
                ON CONFLICT (channel_id, message_id) DO UPDATE SET
                    text = EXCLUDED.text, html = EXCLUDED.html, views = COALESCE(EXCLUDED.views, posts.views),
                    url = COALESCE(EXCLUDED.url, posts.url), media = EXCLUDED.media,
                    forwarded_from = EXCLUDED.forwarded_from, link_preview_title = EXCLUDED.link_preview_title,
                    content_hash = EXCLUDED.content_hash, fetched_at = EXCLUDED.fetched_at,
                    forwards = COALESCE(EXCLUDED.forwards, posts.forwards), edited_at = COALESCE(EXCLUDED.edited_at, posts.edited_at),
                    images = EXCLUDED.images
                RETURNING id, date
                """, logger: self.logger)
            guard self.searchIndexing, let (id, date) = try await rows.first({ try $0.decode((Int64, Date).self) }) else { return }
            try await conn.query("""
                INSERT INTO post_search (post_id, channel_id, date, terms) VALUES (\(id), \(channelID), \(date), \(terms)::tsvector)
                ON CONFLICT (post_id) DO UPDATE SET terms = EXCLUDED.terms, date = EXCLUDED.date
                """, logger: self.logger)
        }
    }

    public func posts(forUser userID: Int64, since: Date, until: Date, limits: WindowLimits) async throws -> [ChannelPosts] {
        try InputValidation.userID(userID)
        try InputValidation.window(since: since, until: until)
        try InputValidation.limits(limits)
        // One snapshot for the ranking and the posts, so counts and lists agree.
        return try await transaction("posts for user") { conn in
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: self.logger)
            let ranked = try await conn.query("""
                SELECT \(unescaped: StoredColumns.channel) FROM channels c JOIN (
                    SELECT p.channel_id, COUNT(*) AS n FROM subscriptions s JOIN posts p ON p.channel_id = s.channel_id
                    WHERE s.user_id = \(userID) AND p.date >= \(since) AND p.date < \(until)
                    GROUP BY p.channel_id ORDER BY n DESC, p.channel_id LIMIT \(limits.maxChannels)
                ) busiest ON busiest.channel_id = c.id
                ORDER BY busiest.n DESC, c.id
                """, logger: self.logger)
            let channels = try await ranked.decoded(RowDecoding.channel)
            var out: [ChannelPosts] = []
            for channel in channels {
                let posts = try await self.posts(conn, channelID: channel.id, since: since, until: until, limit: limits.maxPostsPerChannel)
                out.append(ChannelPosts(channel: channel, posts: posts))
            }
            return out
        }
    }

    public func posts(channelID: Int64, since: Date, until: Date, limit: Int) async throws -> [Post] {
        try InputValidation.window(since: since, until: until, limit: limit)
        return try await read("posts of channel") { conn in
            try await self.posts(conn, channelID: channelID, since: since, until: until, limit: limit)
        }
    }

    func posts(_ conn: PostgresConnection, channelID: Int64, since: Date, until: Date, limit: Int) async throws -> [Post] {
        try await conn.query("""
            SELECT \(unescaped: StoredColumns.post) FROM posts p JOIN channels c ON c.id = p.channel_id
            WHERE p.channel_id = \(channelID) AND p.date >= \(since) AND p.date < \(until)
            ORDER BY p.date DESC, p.message_id DESC LIMIT \(limit)
            """, logger: logger).decoded(RowDecoding.post)
    }

    /// The highest internal post id (monotonic across all channels) of the user's channels since `since`:
    /// any newly stored post changes it, so it works as a cache-key component.
    public func newestPostID(forUser userID: Int64, since: Date) async throws -> Int64? {
        try InputValidation.userID(userID)
        return try await read("newest post") { conn in
            let rows = try await conn.query("""
                SELECT MAX(p.id) FROM posts p JOIN subscriptions s ON s.channel_id = p.channel_id
                WHERE s.user_id = \(userID) AND p.date >= \(since)
                """, logger: self.logger)
            return try await rows.first { try $0.decode(Int64?.self) } ?? nil
        }
    }

    public func deleteExpiredPosts(olderThan: Date, batchSize: Int) async throws -> Int {
        try InputValidation.positive(batchSize, field: "batch_size")
        var total = 0
        while true {
            let deleted: Int = try await write("delete expired posts") { conn in
                let rows = try await conn.query("""
                    WITH gone AS (
                        DELETE FROM posts WHERE id IN (SELECT id FROM posts WHERE date < \(olderThan) LIMIT \(batchSize))
                        RETURNING 1
                    ) SELECT COUNT(*)::bigint FROM gone
                    """, logger: self.logger)
                return try await rows.first { try $0.decode(Int.self) } ?? 0
            }
            total += deleted
            if deleted < batchSize { return total }
            try Task.checkCancellation()
        }
    }
}

/// A batch as column arrays for `unnest`.
package struct PostColumns: Sendable {
    package var messageIDs: [Int64] = []
    package var texts: [String] = []
    package var htmls: PostgresNullableArray<String> = .init([])
    package var dates: [Date] = []
    package var views: PostgresNullableArray<Int64> = .init([])
    package var urls: PostgresNullableArray<String> = .init([])
    package var media: PostgresNullableArray<String> = .init([])
    package var forwardedFrom: PostgresNullableArray<String> = .init([])
    package var previewTitles: PostgresNullableArray<String> = .init([])
    package var hashes: PostgresNullableArray<String> = .init([])
    package var fetchedAt: [Date] = []
    package var forwards: PostgresNullableArray<Int64> = .init([])
    package var editedAt: PostgresNullableArray<Date> = .init([])
    package var images: PostgresNullableArray<String> = .init([])

    package init(_ items: [PreparedPost], fetchedAt now: Date) {
        for item in items {
            let p = item.post
            messageIDs.append(p.messageID)
            texts.append(p.text)
            htmls.elements.append(p.html)
            dates.append(p.date)
            views.elements.append(p.views.map { Int64($0) })
            urls.elements.append(p.url)
            media.elements.append(item.mediaJSON)
            forwardedFrom.elements.append(p.forwardedFrom)
            previewTitles.elements.append(p.linkPreviewTitle)
            hashes.elements.append(item.contentHash)
            fetchedAt.append(p.fetchedAt ?? now)
            forwards.elements.append(p.forwards.map { Int64($0) })
            editedAt.elements.append(p.editedAt)
            images.elements.append(item.imagesJSON)
        }
    }
}
