import Foundation
import GazetteCore
import GazetteSources

/// `ChannelFetcher` over GazetteSources (Telegram preview pages and feeds).
public struct SourcesFetcher: ChannelFetcher {
    let sources: Sources
    let maxPages: Int

    public init(sources: Sources, maxPages: Int) {
        self.sources = sources
        self.maxPages = maxPages
    }

    public func fetch(_ ref: ChannelRef, since: Date) async throws(ToolError) -> FetchedChannel {
        do throws(SourceError) {
            let result = try await sources.fetch(ref, since: since, maxPages: maxPages)
            return FetchedChannel(posts: result.posts.sorted { $0.date > $1.date }, metadata: result.metadata)
        } catch {
            throw Self.toolError(error)
        }
    }

    /// A missing channel is "not found"; an address the server may not fetch is the caller's argument;
    /// everything else is a failure of the source (502), labelled with the source's error type.
    static func toolError(_ error: SourceError) -> ToolError {
        switch error.errorType {
        case .channelNotFound, .noPublicPreview: .notFound(error.description)
        case .forbiddenAddress: .invalidArguments(argument: "channel_username", reason: error.description)
        case .layoutChanged, .httpError, .rateLimited, .timeout, .network, .tooLarge, .invalidFeed, .account:
            .failed(kind: .source(error.errorType), message: error.description)
        }
    }
}
