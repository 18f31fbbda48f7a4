import Foundation
import GazetteCore
import GazetteDigest
@testable import GazetteMCP

/// A source with two fixed recent posts per channel, and "nosuchchannel" missing (stands in for the t.me fake).
struct FixtureFetcher: ChannelFetcher {
    func fetch(_ ref: ChannelRef, since: Date) async throws(ToolError) -> FetchedChannel {
        if ref.key == "nosuchchannel" { throw .notFound("channel '\(ref.key)' does not exist") }
        let now = Date()
        let posts = [
            Post(channel: ref.key, messageID: 2, text: "Second post. It has two sentences.", date: now.addingTimeInterval(-600), views: 10,
                 url: "https://t.me/\(ref.key)/2"),
            Post(channel: ref.key, messageID: 1, text: "First post.", date: now.addingTimeInterval(-3600), views: 5),
        ]
        return FetchedChannel(posts: posts, metadata: ChannelMetadata(title: "Title of \(ref.key)", description: "About", subscribers: 1234,
                                                                       photoURL: "https://cdn.example/p.jpg"))
    }
}

/// Deterministic digest pipeline for tests of the tool layer.
/// The MCP tools' double of the pipeline: the two roles they use (building and rendering), never delivery.
struct TestDigest: DigestBuilding, DigestRendering {
    func summarize(_ posts: [Post], channel: String, maxSentences: Int) async -> ChannelSummary {
        ChannelSummary(channel: channel, postCount: posts.count, summary: posts.prefix(maxSentences).map { "- \($0.text)" }.joined(separator: "\n"),
                       method: .extractive, language: .english)
    }
    func markdown(summaries: [ChannelSummary], title: String?, date: Date, hours: Int) -> String {
        "# \(title ?? "Digest")\n\n" + summaries.map { "## \($0.title)\n\n\($0.summary)" }.joined(separator: "\n\n")
    }
    func combine(sections: [String], template: String?, date: Date) throws(DigestError) -> String {
        let joined = sections.joined(separator: "\n\n")
        return template.map { $0.replacingOccurrences(of: "{sections}", with: joined) } ?? joined
    }
    func render(markdown: String, title: String?, author: String?, date: Date) async throws(DigestError) -> DigestDocument {
        DigestDocument(data: Data("%PDF-1.4 test".utf8), pages: 1)
    }
    func hasPosts(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> Bool { true }
    func pdf(userID: Int64, hours: Int, now: Date, progress: DigestProgress?) async throws(DigestError) -> DigestPDF {
        DigestPDF(data: Data("%PDF-1.4 test".utf8), pages: 1, channels: 0, posts: 0, cacheHit: false)
    }
    func textDigest(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> [String] { [] }
    func markdownDigest(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> String { "# Digest of user \(userID)\n" }
    func stories(userID: Int64, hours: Int, now: Date, limit: Int) async throws(DigestError) -> StoryList {
        StoryList(stories: [], total: 0, posts: 0, hidden: 0)
    }
}
