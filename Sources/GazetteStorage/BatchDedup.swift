import Foundation
import GazetteCore

/// A post ready to be written: the hash computed once, text cleaned, JSON columns encoded.
struct PreparedPost: Sendable {
    var post: Post
    var contentHash: String?
    var mediaJSON: String?
}

/// Dedup inside one batch, before the database is asked: the first occurrence of a message id wins, and a
/// post whose text hash matches an earlier kept post of the batch within the window is skipped.
enum BatchDedup {
    static func prepare(_ posts: [Post], dedupWindow: TimeInterval) throws(StoreError) -> [PreparedPost] {
        var seenIDs = Set<Int64>()
        var keptByHash: [String: [Date]] = [:]
        var out: [PreparedPost] = []
        out.reserveCapacity(posts.count)
        // Oldest first, so the original of a cross-post is the one kept.
        let ordered = posts.enumerated().sorted { a, b in
            a.element.date != b.element.date ? a.element.date < b.element.date : a.offset < b.offset
        }
        for (_, original) in ordered {
            guard seenIDs.insert(original.messageID).inserted else { continue }
            var post = original
            post.text = InputValidation.clean(post.text)
            post.html = InputValidation.clean(post.html)
            post.url = InputValidation.clean(post.url)
            post.forwardedFrom = InputValidation.clean(post.forwardedFrom)
            post.linkPreviewTitle = InputValidation.clean(post.linkPreviewTitle)
            let hash = ContentHash.of(post.text)
            if let hash {
                let dates = keptByHash[hash, default: []]
                if dates.contains(where: { abs($0.timeIntervalSince(post.date)) <= dedupWindow }) { continue }
                keptByHash[hash, default: []].append(post.date)
            }
            out.append(PreparedPost(post: post, contentHash: hash, mediaJSON: try JSONColumn.media(post.media)))
        }
        return out
    }
}

/// JSON text columns (tags, media) shared by both stores.
enum JSONColumn {
    static func media(_ media: [MediaSummary]) throws(StoreError) -> String? {
        guard !media.isEmpty else { return nil }
        return try encode(media, field: "post.media")
    }

    static func tags(_ tags: [String]) throws(StoreError) -> String { try encode(tags, field: "tags") }

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
