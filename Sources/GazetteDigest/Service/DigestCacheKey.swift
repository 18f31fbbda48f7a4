import Foundation
import GazetteCore

/// The digest cache key (SPEC §5): user, window, subscription set and newest post id, plus what changes the
/// output (summarizer, format version). Subscribing, unsubscribing or a new post gives a new key, so stale
/// entries are never read; they simply expire.
public struct DigestCacheKey: Sendable, Hashable, CustomStringConvertible {
    /// Bumped whenever the digest's markdown or rendering changes shape.
    public static let formatVersion = 2  // 2: top stories first

    public var userID: Int64
    public var hours: Int
    public var channelIDs: [Int64]
    public var newestPostID: Int64?
    public var summarizer: SummaryMethod
    /// What else shapes the output besides the posts (layout, language, filters); empty for the default.
    public var variant: String

    public init(userID: Int64, hours: Int, channelIDs: some Sequence<Int64>, newestPostID: Int64?, summarizer: SummaryMethod,
                variant: String = "") {
        self.variant = variant
        self.userID = userID
        self.hours = hours
        self.channelIDs = Array(Set(channelIDs)).sorted()
        self.newestPostID = newestPostID
        self.summarizer = summarizer
    }

    /// `digest:v2:u42:h24:s<hash of channel ids>:n<newest id>:extractive`
    public var description: String {
        "digest:v\(Self.formatVersion):u\(userID):h\(hours):s\(Self.fnv(channelIDs.map(String.init).joined(separator: ","))):"
            + "n\(newestPostID.map(String.init) ?? "none"):\(summarizer.rawValue)" + (variant.isEmpty ? "" : ":" + variant)
    }

    static func fnv(_ text: String) -> String {
        FNV1a.hex(FNV1a.hash(text))
    }
}
