import Foundation

/// One of a reader's digest filters (issue 15). Filters only shape digests: a filtered post is never deleted.
public struct ReaderFilter: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Keep only posts that contain one of the include phrases (any inflection).
        case include
        /// Hide posts that contain the phrase (any inflection).
        case exclude
        /// Hide a channel's posts without unsubscribing; the value is the channel key.
        case mute
        /// Hide advertising: `erid`, «реклама», #реклама and the reader's own markers. The value is empty.
        case noAds = "no_ads"
        /// A reader's own advertising marker (matched as text, ignoring case) when `no_ads` is on.
        case adMarker = "ad_marker"
        /// Hide posts shorter than this many characters; the value is the number.
        case minLength = "min_length"
    }

    public var kind: Kind
    public var value: String

    public init(kind: Kind, value: String = "") {
        self.kind = kind
        self.value = value
    }

    public static let maxValueLength = 200
    public static let maxPerUser = 100

    /// The filter with its value checked and normalized, or an error naming what is wrong.
    public static func make(kind: Kind, value raw: String) throws(ReaderInputError) -> ReaderFilter {
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        switch kind {
        case .noAds:
            return ReaderFilter(kind: .noAds, value: "")
        case .minLength:
            guard let n = Int(value), (1...10_000).contains(n) else {
                throw ReaderInputError(field: "min_length", reason: "expected a whole number of characters in 1…10000, got '\(value.prefix(20))'")
            }
            return ReaderFilter(kind: .minLength, value: String(n))
        case .mute:
            do {
                return ReaderFilter(kind: .mute, value: try ChannelRef.parse(value).key)
            } catch {
                throw ReaderInputError(field: "mute", reason: "'\(value.prefix(60))' is not a channel: \(error.reason)")
            }
        case .include, .exclude, .adMarker:
            guard !value.isEmpty else { throw ReaderInputError(field: kind.rawValue, reason: "must not be empty") }
            guard value.count <= maxValueLength else {
                throw ReaderInputError(field: kind.rawValue, reason: "at most \(maxValueLength) characters, got \(value.count)")
            }
            guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ReaderInputError(field: kind.rawValue, reason: "must not contain control characters")
            }
            return ReaderFilter(kind: kind, value: value)
        }
    }
}

/// A reader's filter or setting that cannot be accepted.
public struct ReaderInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "\(field): \(reason)" }
}

/// A story a reader has been sent: which posts it had then, so the next digest shows it again only with new reports.
public struct DeliveredStory: Sendable, Hashable, Codable {
    public var userID: Int64
    /// `Story.key` when it was delivered.
    public var storyKey: String
    /// `channel/messageID` of every post the story had.
    public var postIDs: [String]
    public var deliveredAt: Date

    public init(userID: Int64, storyKey: String, postIDs: [String], deliveredAt: Date) {
        self.userID = userID
        self.storyKey = storyKey
        self.postIDs = postIDs
        self.deliveredAt = deliveredAt
    }
}
