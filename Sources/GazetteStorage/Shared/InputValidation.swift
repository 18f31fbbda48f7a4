import Foundation
import GazetteCore

/// Checks shared by both stores, run before anything is written so bad input stores nothing.
package enum InputValidation {
    static let maxTags = 20
    static let maxTagLength = 64
    static let maxKeyLength = 512
    static let maxPostTextBytes = 1_000_000
    static let maxErrorLength = 2000

    static func userID(_ id: Int64) throws(StoreError) {
        guard id > 0 else { throw .invalidInput(field: "user_id", reason: "must be a positive Telegram user id, got \(id)") }
    }

    /// `ChannelRef` cases can be built directly, bypassing `ChannelRef.parse`; re-check what will be stored.
    static func channel(_ ref: ChannelRef) throws(StoreError) -> ChannelRef {
        do throws(ChannelRefError) {
            switch ref {
            case .telegram(let username):
                let normalized = try ChannelRef.validateUsername(username)
                return .telegram(username: normalized)
            case .feed(let url):
                let parsed = try ChannelRef.parse(url)
                guard case .feed = parsed else {
                    throw ChannelRefError(input: url, reason: "not a feed URL")
                }
                return parsed
            case .botapi:
                return ref
            case .invite(let hash):
                return .invite(hash: try ChannelRef.validateInviteHash(hash, original: "+" + hash))
            }
        } catch {
            throw .invalidInput(field: "channel", reason: error.description)
        }
    }

    static func tags(_ tags: [String]) throws(StoreError) -> [String] {
        guard tags.count <= maxTags else {
            throw .invalidInput(field: "tags", reason: "at most \(maxTags) tags are allowed, got \(tags.count)")
        }
        var seen = Set<String>()
        var out: [String] = []
        for raw in tags {
            let tag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty else { throw .invalidInput(field: "tags", reason: "a tag is empty") }
            guard tag.count <= maxTagLength else {
                throw .invalidInput(field: "tags", reason: "a tag is at most \(maxTagLength) characters, got \(tag.count)")
            }
            guard !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw .invalidInput(field: "tags", reason: "a tag contains control characters")
            }
            if seen.insert(tag).inserted { out.append(tag) }
        }
        return out
    }

    static func text(_ value: String, field: String, maxLength: Int = maxKeyLength) throws(StoreError) {
        guard !value.isEmpty else { throw .invalidInput(field: field, reason: "must not be empty") }
        guard value.utf8.count <= maxLength else {
            throw .invalidInput(field: field, reason: "at most \(maxLength) bytes, got \(value.utf8.count)")
        }
        guard !value.utf8.contains(0) else { throw .invalidInput(field: field, reason: "contains a NUL character") }
    }

    static func posts(_ posts: [Post]) throws(StoreError) {
        for post in posts {
            guard post.messageID > 0 else {
                throw .invalidInput(field: "post.message_id", reason: "must be positive, got \(post.messageID)")
            }
            guard post.text.utf8.count <= maxPostTextBytes else {
                throw .invalidInput(field: "post.text", reason: "post \(post.messageID) is \(post.text.utf8.count) bytes, at most \(maxPostTextBytes)")
            }
            guard post.date.timeIntervalSince1970.isFinite else {
                throw .invalidInput(field: "post.date", reason: "post \(post.messageID) has no valid date")
            }
            if let views = post.views, views < 0 {
                throw .invalidInput(field: "post.views", reason: "post \(post.messageID) has negative views")
            }
            if let forwards = post.forwards, forwards < 0 {
                throw .invalidInput(field: "post.forwards", reason: "post \(post.messageID) has negative forwards")
            }
            try images(post.images, messageID: post.messageID)
        }
    }

    /// A post's picture references: at most `ImageRef.maxPerPost`, each with a URL or a TDLib file id of bounded length.
    static func images(_ images: [ImageRef], messageID: Int64) throws(StoreError) {
        guard images.count <= ImageRef.maxPerPost else {
            throw .invalidInput(field: "post.images", reason: "post \(messageID) has \(images.count) pictures, at most \(ImageRef.maxPerPost)")
        }
        for image in images {
            guard image.url != nil || image.remoteFileID != nil else {
                throw .invalidInput(field: "post.images", reason: "a picture of post \(messageID) has neither a URL nor a file id")
            }
            for value in [image.url, image.remoteFileID].compactMap({ $0 }) {
                guard !value.isEmpty, value.utf8.count <= ImageRef.maxURLLength, !value.utf8.contains(0) else {
                    throw .invalidInput(field: "post.images", reason: "a picture reference of post \(messageID) is empty, longer than \(ImageRef.maxURLLength) bytes or has a NUL")
                }
            }
        }
    }

    /// An image cache entry.
    static func cachedImage(_ image: CachedImage) throws(StoreError) {
        guard !image.url.isEmpty, image.url.utf8.count <= ImageRef.maxURLLength, !image.url.utf8.contains(0) else {
            throw .invalidInput(field: "image.url", reason: "must be 1…\(ImageRef.maxURLLength) bytes without NUL")
        }
        guard (image.format == nil) != (image.skipReason == nil) else {
            throw .invalidInput(field: "image", reason: "an entry is either a picture (a format) or a failure (a reason)")
        }
        guard image.width >= 0, image.height >= 0 else { throw .invalidInput(field: "image.size", reason: "must not be negative") }
    }

    static func cachedSummary(_ entry: CachedSummary) throws(StoreError) {
        try text(entry.key, field: "summary.key", maxLength: CachedSummary.maxKeyLength)
        try text(entry.summarizer, field: "summary.summarizer", maxLength: 32)
        guard !entry.summary.utf8.contains(0) else { throw .invalidInput(field: "summary.summary", reason: "contains a NUL character") }
        guard entry.llmCalls >= 0, entry.failures >= 0 else {
            throw .invalidInput(field: "summary", reason: "llm calls and failures must not be negative")
        }
        guard (entry.failures > 0) == (entry.retryAt != nil) else {
            throw .invalidInput(field: "summary.retry_at", reason: "a failure entry has a retry time, a summary has none")
        }
    }

    static func summaryKeys(_ keys: [String]) throws(StoreError) {
        guard keys.count <= 1000 else { throw .invalidInput(field: "summary keys", reason: "at most 1000 at a time, got \(keys.count)") }
        for key in keys { try text(key, field: "summary key", maxLength: CachedSummary.maxKeyLength) }
    }

    static func limits(_ limits: WindowLimits) throws(StoreError) {
        guard limits.maxChannels > 0, limits.maxPostsPerChannel > 0 else {
            throw .invalidInput(field: "limits", reason: "max channels and max posts per channel must be positive")
        }
    }

    static func window(since: Date, until: Date) throws(StoreError) {
        guard since <= until else { throw .invalidInput(field: "window", reason: "since is after until") }
    }

    static func positive(_ value: Int, field: String) throws(StoreError) {
        guard value > 0 else { throw .invalidInput(field: field, reason: "must be positive, got \(value)") }
    }

    // MARK: Whole requests, checked the same way by both stores

    /// A subscription: the user, the channel as it will be stored, and the tags as their JSON column.
    static func subscription(userID id: Int64, ref: ChannelRef, tags raw: [String]) throws(StoreError) -> (ref: ChannelRef, tagsJSON: String) {
        try userID(id)
        return (try channel(ref), try JSONColumn.tags(try tags(raw)))
    }

    /// One page of a listing.
    static func page(userID id: Int64, limit: Int, offset: Int) throws(StoreError) {
        try userID(id)
        try positive(limit, field: "limit")
        guard offset >= 0 else { throw .invalidInput(field: "offset", reason: "must not be negative, got \(offset)") }
    }

    /// A search: a query with something to find (an empty one is no valid FTS5 or tsquery expression), a scope whose
    /// range is not reversed, and one page.
    static func search(userID id: Int64, query: SearchQuery, scope: SearchScope, limit: Int, offset: Int) throws(StoreError) {
        try page(userID: id, limit: limit, offset: offset)
        guard !query.include.isEmpty else { throw .invalidInput(field: "query", reason: "has no words to find") }
        for term in query.include + query.exclude {
            let words: [String] = switch term {
            case .word(let stem): [stem]
            case .prefix(let starts), .phrase(let starts): starts
            }
            guard !words.isEmpty, !words.contains(where: \.isEmpty) else {
                throw .invalidInput(field: "query", reason: "has an empty word")
            }
        }
        if let since = scope.since, let until = scope.until { try window(since: since, until: until) }
    }

    /// A window query over posts.
    static func window(since: Date, until: Date, limit: Int) throws(StoreError) {
        try window(since: since, until: until)
        try positive(limit, field: "limit")
    }

    /// A claim of due channels.
    static func claim(owner: String, lease: TimeInterval, limit: Int) throws(StoreError) {
        try text(owner, field: "owner", maxLength: 200)
        try positive(limit, field: "limit")
        guard lease > 0 else { throw .invalidInput(field: "lease", reason: "must be positive") }
    }

    /// Channel metadata as it will be stored (NUL removed; nil keeps what is known).
    static func metadata(_ m: ChannelMetadata) -> ChannelMetadata {
        ChannelMetadata(title: clean(m.title), description: clean(m.description), subscribers: m.subscribers,
                        photoURL: clean(m.photoURL))
    }

    /// A digest to cache.
    static func cachedDigest(_ d: CachedDigest) throws(StoreError) {
        try text(d.key, field: "cache key")
        guard d.pages >= 0, d.channels >= 0, d.posts >= 0 else {
            throw .invalidInput(field: "digest", reason: "pages, channels and posts must not be negative")
        }
    }

    static func settings(_ s: UserSettings) throws(StoreError) {
        try userID(s.userID)
        guard (0...23).contains(s.dailyHour) else {
            throw .invalidInput(field: "daily_hour", reason: "an hour is 0–23, got \(s.dailyHour)")
        }
        guard TimeZone(identifier: s.timeZone) != nil else {
            throw .invalidInput(field: "time_zone", reason: "unknown time zone '\(s.timeZone.prefix(64))'")
        }
        if let email = s.email {
            do throws(SettingsError) {
                guard try EmailAddress.validate(email) == email else { throw SettingsError(field: "email", reason: "the address is not in its normal form") }
            } catch {
                throw .invalidInput(field: "email", reason: error.reason)
            }
        }
    }

    /// PostgreSQL text cannot hold NUL; strip it in both stores so they keep the same data.
    package static func clean(_ s: String) -> String {
        guard containsNUL(s) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.filter { $0 != "\0" }))
    }

    static func clean(_ s: String?) -> String? { s.map { clean($0) } }

    /// `memchr` over the contiguous UTF-8 of a native string: the byte-by-byte `contains` cost more than the
    /// content hash when every field of every post in a batch is checked.
    private static func containsNUL(_ s: String) -> Bool {
        let found = s.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
        return found ?? s.utf8.contains(0)
    }

    static func truncatedError(_ s: String) -> String {
        let c = clean(s)
        return c.count > maxErrorLength ? String(c.prefix(maxErrorLength)) + "…" : c
    }
}
