import Foundation
import GazetteCore

/// A post ready to be written: the hash computed once, text cleaned, JSON columns encoded.
package struct PreparedPost: Sendable {
    package var post: Post
    package var contentHash: String?
    package var mediaJSON: String?
    package var imagesJSON: String?

    package init(post: Post, contentHash: String?, mediaJSON: String?, imagesJSON: String? = nil) {
        self.post = post
        self.contentHash = contentHash
        self.mediaJSON = mediaJSON
        self.imagesJSON = imagesJSON
    }
}

/// Dedup inside one batch, before the database is asked: the first occurrence of a message id wins, and a
/// post whose text hash matches an earlier kept post of the batch within the window is skipped.
enum BatchDedup {
    /// Validates the batch and the window (nothing is written when either is wrong), then prepares it.
    static func prepare(_ posts: [Post], dedupWindow: TimeInterval) throws(StoreError) -> [PreparedPost] {
        try InputValidation.posts(posts)
        guard dedupWindow >= 0 else { throw .invalidInput(field: "dedup_window", reason: "must not be negative") }
        var seenIDs = Set<Int64>(minimumCapacity: posts.count)
        // Posts are taken oldest first, so the latest kept date of a hash is the nearest one to the next post
        // with that hash: one date per hash decides the window check.
        var latestKept: [String: Date] = Dictionary(minimumCapacity: posts.count)
        var out: [PreparedPost] = []
        out.reserveCapacity(posts.count)
        for index in oldestFirst(posts) {
            let original = posts[index]
            guard seenIDs.insert(original.messageID).inserted else { continue }
            var post = original
            post.text = InputValidation.clean(post.text)
            post.html = InputValidation.clean(post.html)
            post.url = InputValidation.clean(post.url)
            post.forwardedFrom = InputValidation.clean(post.forwardedFrom)
            post.linkPreviewTitle = InputValidation.clean(post.linkPreviewTitle)
            let hash = ContentHash.of(post.text)
            if let hash {
                if let kept = latestKept[hash], post.date.timeIntervalSince(kept) <= dedupWindow { continue }
                latestKept[hash] = post.date
            }
            out.append(PreparedPost(post: post, contentHash: hash, mediaJSON: try JSONColumn.media(post.media),
                                    imagesJSON: try JSONColumn.images(post.images)))
        }
        return out
    }

    /// Indices by date, then by position, so the original of a cross-post is the one kept. A fetched page
    /// usually arrives in order already; then no sort is needed.
    private static func oldestFirst(_ posts: [Post]) -> [Int] {
        let indices = Array(posts.indices)
        if indices.dropFirst().allSatisfy({ posts[$0 - 1].date <= posts[$0].date }) { return indices }
        return indices.sorted { posts[$0].date != posts[$1].date ? posts[$0].date < posts[$1].date : $0 < $1 }
    }
}

/// JSON text columns (tags, media) shared by both stores.
enum JSONColumn {
    static func media(_ media: [MediaSummary]) throws(StoreError) -> String? {
        guard !media.isEmpty else { return nil }
        return try encode(media, field: "post.media")
    }

    static func tags(_ tags: [String]) throws(StoreError) -> String { try encode(tags, field: "tags") }

    static func images(_ images: [ImageRef]) throws(StoreError) -> String? {
        guard !images.isEmpty else { return nil }
        return try encode(images, field: "post.images")
    }

    static func decodeImages(_ text: String?) throws(StoreError) -> [ImageRef] {
        guard let text, !text.isEmpty else { return [] }
        return try decode([ImageRef].self, text, column: "posts.images")
    }

    static func decodeMedia(_ text: String?) throws(StoreError) -> [MediaSummary] {
        guard let text, !text.isEmpty else { return [] }
        return try decode([MediaSummary].self, text, column: "posts.media")
    }

    static func decodeTags(_ text: String?) throws(StoreError) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return try decode([String].self, text, column: "subscriptions.tags")
    }

    private static func encode<T: Encodable>(_ value: T, field: String) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .invalidInput(field: field, reason: "cannot be encoded as JSON: \(error)")
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String, column: String) throws(StoreError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw .unavailable("stored \(column) is not valid JSON: \(error)")
        }
    }
}
