import Foundation
import GazetteCore
import GazetteText

/// Why a search could not be made, for the person who asked; every surface maps it in one place (an invalid argument
/// over MCP and REST, a 400 page on the web, an answer in the bot, one line from the command line).
public enum SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A search argument is wrong: the query (`SearchQueryError`'s words), the channel, a date, the page.
    case invalidArgument(argument: String, reason: String)
    /// The database did not answer; the message is safe to show.
    case database(String)

    public var description: String {
        switch self {
        case .invalidArgument(let argument, let reason): "\(argument): \(reason)"
        case .database(let message): message
        }
    }
}

/// Search as every surface offers it (`gazette search`, MCP `search_posts` and REST, the web reader, the bot, `gazette
/// ask`): the reader's text read by `SearchQueryParser`, a channel filter resolved among the reader's own channels,
/// one page from the store, and a snippet of each post with the matched words marked.
public struct PostSearch: Sendable {
    public typealias Store = SearchStore & ChannelStore

    /// Hits in one page at most, and how deep pages go: ranking is done again for every page.
    public static let maxLimit = 100
    public static let maxOffset = 1_000

    let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    public struct Request: Sendable {
        public var userID: Int64
        public var query: String
        /// One of the reader's channels, as they would write it (`durov`, `@durov`, a t.me link, a feed URL).
        public var channel: String?
        public var since: Date?
        public var until: Date?
        public var limit: Int
        public var offset: Int

        public init(userID: Int64, query: String, channel: String? = nil, since: Date? = nil, until: Date? = nil,
                    limit: Int = 10, offset: Int = 0) {
            self.userID = userID
            self.query = query
            self.channel = channel
            self.since = since
            self.until = until
            self.limit = limit
            self.offset = offset
        }
    }

    public struct Hit: Sendable, Hashable {
        public var channel: Channel
        public var post: Post
        public var score: Double
        public var snippet: SearchSnippet
    }

    public struct Page: Sendable {
        public var query: SearchQuery
        public var hits: [Hit]
        /// Where the next page starts; nil on the last page.
        public var nextOffset: Int?
    }

    public func search(_ request: Request) async throws(SearchError) -> Page {
        let query: SearchQuery
        do {
            query = try SearchQueryParser.parse(request.query)
        } catch {
            throw .invalidArgument(argument: "query", reason: error.reason)
        }
        return try await search(query, request)
    }

    /// A query already read (`gazette ask` loosens a question into several); `request.query` is not read again.
    public func search(_ query: SearchQuery, _ request: Request) async throws(SearchError) -> Page {
        guard (1...Self.maxLimit).contains(request.limit) else {
            throw .invalidArgument(argument: "limit", reason: "expected 1…\(Self.maxLimit), got \(request.limit)")
        }
        guard (0...Self.maxOffset).contains(request.offset) else {
            throw .invalidArgument(argument: "offset", reason: "pages go \(Self.maxOffset) hits deep; narrow the query instead")
        }
        if let since = request.since, let until = request.until, since > until {
            throw .invalidArgument(argument: "since", reason: "is after until: the date range is reversed")
        }
        var scope = SearchScope(since: request.since, until: request.until)
        do {
            if let channel = request.channel { scope.channelID = try await channelID(channel, userID: request.userID) }
            let found = try await store.searchPosts(userID: request.userID, query: query, scope: scope,
                                                    limit: request.limit + 1, offset: request.offset)
            let hits = found.prefix(request.limit).map {
                Hit(channel: $0.channel, post: $0.post, score: $0.score, snippet: SearchSnippet.make(text: $0.post.text, query: query))
            }
            return Page(query: query, hits: hits, nextOffset: found.count > request.limit ? request.offset + request.limit : nil)
        } catch let error as SearchError {
            throw error
        } catch let error as StoreError {
            switch error {
            case .invalidInput(let field, let reason): throw .invalidArgument(argument: field, reason: reason)
            default: throw .database(error.description)
            }
        } catch {
            throw .database("the database failed")
        }
    }

    /// The id of one of the reader's channels; anything else is an invalid `channel`.
    private func channelID(_ text: String, userID: Int64) async throws -> Int64 {
        let ref: ChannelRef
        do {
            ref = try ChannelRef.parse(text)
        } catch {
            throw SearchError.invalidArgument(argument: "channel", reason: error.description)
        }
        guard let subscription = try await store.subscription(userID: userID, ref: ref) else {
            throw SearchError.invalidArgument(argument: "channel", reason: "you do not follow \(ref.key)")
        }
        return subscription.channel.id
    }
}
