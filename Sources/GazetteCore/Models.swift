import Foundation

/// A stored source of posts. Posts belong to channels, never to users (SPEC §12.1).
public struct Channel: Sendable, Hashable, Codable {
    public var id: Int64
    public var ref: ChannelRef
    public var metadata: ChannelMetadata
    public var createdAt: Date

    public init(id: Int64, ref: ChannelRef, metadata: ChannelMetadata = .init(), createdAt: Date) {
        self.id = id
        self.ref = ref
        self.metadata = metadata
        self.createdAt = createdAt
    }

    public var kind: ChannelKind { ref.kind }
    public var key: String { ref.key }
    /// What people see: the channel's title when known, else its key.
    public var displayName: String { metadata.title?.isEmpty == false ? metadata.title! : key }
}

extension ChannelRef: Codable {
    private enum CodingKeys: String, CodingKey { case kind, key }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self = try ChannelRef(kind: c.decode(ChannelKind.self, forKey: .kind), key: c.decode(String.self, forKey: .key))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encode(key, forKey: .key)
    }
}

/// What is known about a channel from its page header or feed.
public struct ChannelMetadata: Sendable, Hashable, Codable {
    public var title: String?
    public var description: String?
    public var subscribers: Int?
    public var photoURL: String?

    public init(title: String? = nil, description: String? = nil, subscribers: Int? = nil, photoURL: String? = nil) {
        self.title = title
        self.description = description
        self.subscribers = subscribers
        self.photoURL = photoURL
    }
}

/// A kind of media attached to a post, counted; media bytes are never stored.
public struct MediaSummary: Sendable, Hashable, Codable {
    public var kind: String
    public var count: Int
    public init(kind: String, count: Int) {
        self.kind = kind
        self.count = count
    }
}

/// One post of one channel, as a source produced it or as the store returns it.
public struct Post: Sendable, Hashable, Codable {
    /// The channel key (`ChannelRef.key`): the username for Telegram channels.
    public var channel: String
    public var messageID: Int64
    public var text: String
    /// The post's HTML (links kept) when the source has it.
    public var html: String?
    public var date: Date
    public var views: Int?
    public var url: String?
    public var media: [MediaSummary]
    public var forwardedFrom: String?
    public var linkPreviewTitle: String?
    public var fetchedAt: Date?
    /// How often the post was forwarded, when the source knows (the user account).
    public var forwards: Int?
    /// When the post was last edited, when the source knows (the user account).
    public var editedAt: Date?
    /// Where the post's pictures live, in the order the post shows them (issue 16); no bytes.
    public var images: [ImageRef]

    public init(channel: String, messageID: Int64, text: String, html: String? = nil, date: Date, views: Int? = nil,
                url: String? = nil, media: [MediaSummary] = [], forwardedFrom: String? = nil,
                linkPreviewTitle: String? = nil, fetchedAt: Date? = nil, forwards: Int? = nil, editedAt: Date? = nil,
                images: [ImageRef] = []) {
        self.images = images
        self.channel = channel
        self.messageID = messageID
        self.text = text
        self.html = html
        self.date = date
        self.views = views
        self.url = url
        self.media = media
        self.forwardedFrom = forwardedFrom
        self.linkPreviewTitle = linkPreviewTitle
        self.fetchedAt = fetchedAt
        self.forwards = forwards
        self.editedAt = editedAt
    }

    /// Hash of the normalized text, used to skip cross-posts within a channel; nil when the post has no text.
    public var contentHash: String? { ContentHash.of(text) }
}

/// A user's subscription to a channel.
public struct Subscription: Sendable, Hashable, Codable {
    public var userID: Int64
    public var channelID: Int64
    public var tags: [String]
    public var createdAt: Date
    public init(userID: Int64, channelID: Int64, tags: [String], createdAt: Date) {
        self.userID = userID
        self.channelID = channelID
        self.tags = tags
        self.createdAt = createdAt
    }
}

/// A subscription with what a listing shows about its channel.
public struct SubscribedChannel: Sendable, Hashable, Codable {
    public var channel: Channel
    public var subscription: Subscription
    public var postCount: Int
    public var lastSuccessAt: Date?
    public var lastError: String?
    /// Where joining the channel through the account stands (nil: joined, or not read through the account).
    public var accountJoin: AccountJoin?
    public init(channel: Channel, subscription: Subscription, postCount: Int, lastSuccessAt: Date?, lastError: String?,
                accountJoin: AccountJoin? = nil) {
        self.channel = channel
        self.subscription = subscription
        self.postCount = postCount
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.accountJoin = accountJoin
    }
}

/// Per-channel fetch bookkeeping, including the lease that keeps two workers off one channel.
public struct FetchState: Sendable, Hashable, Codable {
    public var channelID: Int64
    public var lastMessageID: Int64?
    public var lastSuccessAt: Date?
    public var lastError: String?
    public var consecutiveFailures: Int
    public var nextAttemptAt: Date?
    public var leaseOwner: String?
    public var leaseUntil: Date?
    /// Conditional GET validators of feeds.
    public var etag: String?
    public var lastModified: String?

    public init(channelID: Int64, lastMessageID: Int64? = nil, lastSuccessAt: Date? = nil, lastError: String? = nil,
                consecutiveFailures: Int = 0, nextAttemptAt: Date? = nil, leaseOwner: String? = nil,
                leaseUntil: Date? = nil, etag: String? = nil, lastModified: String? = nil) {
        self.channelID = channelID
        self.lastMessageID = lastMessageID
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.consecutiveFailures = consecutiveFailures
        self.nextAttemptAt = nextAttemptAt
        self.leaseOwner = leaseOwner
        self.leaseUntil = leaseUntil
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// How a fetch ended, written together with the posts it produced (success) or alone (failure).
public enum FetchOutcome: Sendable, Hashable {
    /// Releases the lease, resets failures, records validators and schedules the next attempt.
    case success(at: Date, nextAttemptAt: Date?, etag: String?, lastModified: String?)
    /// Releases the lease, increments failures and schedules a retry (backoff computed by the caller).
    case failure(at: Date, error: String, nextAttemptAt: Date)
}

/// The answer of a batch save.
public struct SaveResult: Sendable, Hashable, Codable {
    public var saved: Int
    public var skipped: Int
    public var total: Int
    public init(saved: Int, skipped: Int, total: Int) {
        self.saved = saved
        self.skipped = skipped
        self.total = total
    }
}

/// Bounds of a digest window query.
public struct WindowLimits: Sendable, Hashable {
    public var maxChannels: Int
    public var maxPostsPerChannel: Int
    public init(maxChannels: Int = 10, maxPostsPerChannel: Int = 100) {
        self.maxChannels = maxChannels
        self.maxPostsPerChannel = maxPostsPerChannel
    }
}

/// Posts of one channel in a window, newest first.
public struct ChannelPosts: Sendable, Hashable {
    public var channel: Channel
    public var posts: [Post]
    public init(channel: Channel, posts: [Post]) {
        self.channel = channel
        self.posts = posts
    }
}

/// A scheduled delivery (one per user, kind and period: e.g. the daily digest of 2026-11-29).
public struct Delivery: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Codable { case claimed, sent, failed }
    /// A claim not finished within this time is taken to belong to a process that died mid-delivery (a delivery
    /// takes seconds), and the next claimer takes it over; before, such a row kept the day from ever being sent.
    public static let abandonedAfter: TimeInterval = 15 * 60
    public var userID: Int64
    public var kind: String
    public var period: String
    public var status: Status
    public var attempts: Int
    public var claimedBy: String
    public var updatedAt: Date
    public init(userID: Int64, kind: String, period: String, status: Status, attempts: Int, claimedBy: String, updatedAt: Date) {
        self.userID = userID
        self.kind = kind
        self.period = period
        self.status = status
        self.attempts = attempts
        self.claimedBy = claimedBy
        self.updatedAt = updatedAt
    }
}

/// A rendered digest kept for reuse (SPEC §5), with what went into it.
public struct CachedDigest: Sendable, Hashable {
    public var key: String
    public var pdf: Data
    public var pages: Int
    /// Channels and posts the digest shows, returned with a cache hit without counting again.
    public var channels: Int
    public var posts: Int
    public var createdAt: Date
    public var expiresAt: Date
    public init(key: String, pdf: Data, pages: Int, channels: Int, posts: Int, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.pdf = pdf
        self.pages = pages
        self.channels = channels
        self.posts = posts
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Per-user bot preferences.
public struct UserSettings: Sendable, Hashable, Codable {
    public enum Format: String, Sendable, Codable, CaseIterable { case pdf, text }
    public var userID: Int64
    public var chatID: Int64?
    public var dailyDigest: Bool
    /// Local hour 0–23 at which the daily digest is sent.
    public var dailyHour: Int
    /// IANA time zone identifier.
    public var timeZone: String
    public var format: Format
    /// Where the daily digest goes (issue 18): Telegram and the feed unless the user chose otherwise.
    public var destinations: Set<DigestDestination>
    /// The address of the `email` destination (validated by `EmailAddress`).
    public var email: String?
    public init(userID: Int64, chatID: Int64? = nil, dailyDigest: Bool = false, dailyHour: Int = 20,
                timeZone: String = "UTC", format: Format = .pdf, destinations: Set<DigestDestination> = [.telegram, .feed],
                email: String? = nil) {
        self.userID = userID
        self.chatID = chatID
        self.dailyDigest = dailyDigest
        self.dailyHour = dailyHour
        self.timeZone = timeZone
        self.format = format
        self.destinations = destinations
        self.email = email
    }
}
