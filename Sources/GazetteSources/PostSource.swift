import Foundation
import GazetteCore

/// What one fetch of one channel produced.
public struct SourceResult: Sendable, Equatable {
    /// New posts, oldest first, each with `date >= since`.
    public var posts: [Post]
    public var metadata: ChannelMetadata?
    /// Feed validators to send next time (conditional GET).
    public var etag: String?
    public var lastModified: String?
    /// The feed answered `304 Not Modified`: nothing changed since the validators in the fetch state.
    public var notModified: Bool
    /// Pages (HTTP responses with content) read.
    public var pages: Int
    /// A later page failed after earlier pages were read (t.me paging): `posts` holds what was read, and this says
    /// why the rest is missing. The caller saves the posts and reports the failure.
    public var partialFailure: SourceError?
    /// Date texts of feed items that no known form could read (issue 26): `feed_unparsed_dates_total{channel}`.
    public var unreadDates: [String]

    public init(posts: [Post], metadata: ChannelMetadata? = nil, etag: String? = nil, lastModified: String? = nil,
                notModified: Bool = false, pages: Int = 1, partialFailure: SourceError? = nil, unreadDates: [String] = []) {
        self.partialFailure = partialFailure
        self.unreadDates = unreadDates
        self.posts = posts
        self.metadata = metadata
        self.etag = etag
        self.lastModified = lastModified
        self.notModified = notModified
        self.pages = pages
    }
}

/// Reads telegram channels through the Telegram user account (`GazetteAccount.AccountService` in a worker process).
public protocol AccountPostSource: Sendable {
    /// True while this process owns the account (the lease) and its session is logged in.
    var isReady: Bool { get }
    /// The owner name this process claims the account lease with.
    var owner: String { get }
    /// Posts of the channel dated at or after `since` and newer than `state.lastMessageID`, read with the account.
    /// `route` has the account's chat id of the channel once known (else it is looked up or joined) and where joining
    /// it stands.
    func fetch(_ channel: Channel, route: FetchRoute?, since: Date, state: FetchState?) async throws(SourceError) -> AccountFetchResult
}

/// One fetch through the account: the posts and the chat id to remember, or, while the account is not a member of a
/// private channel yet, where joining it stands (nothing was read).
public struct AccountFetchResult: Sendable, Equatable {
    public var result: SourceResult
    public var chatID: Int64?
    public var join: AccountJoin?

    public init(result: SourceResult, chatID: Int64) {
        self.init(result: result, chatID: chatID, join: nil)
    }

    private init(result: SourceResult, chatID: Int64?, join: AccountJoin?) {
        self.result = result
        self.chatID = chatID
        self.join = join
    }

    public static func notJoined(_ join: AccountJoin) -> AccountFetchResult {
        AccountFetchResult(result: SourceResult(posts: [], pages: 0), chatID: nil, join: join)
    }
}

/// Turns a channel reference into posts.
public protocol PostSource: Sendable {
    /// Fetches posts dated at or after `since`. `state` carries what the last fetch left (newest message id,
    /// feed validators) so a source can stop early or ask for changes only.
    func fetch(_ ref: ChannelRef, since: Date, state: FetchState?) async throws(SourceError) -> SourceResult
}
