import Foundation
import Hummingbird
import Synchronization

/// A fake t.me for worker, process and benchmark tests: channels with generated posts (never the same text twice), paged with `?before=` 5 posts a page.
/// Special names misbehave: `brokenchan` → 500, `limitedchan` → 429 Retry-After 600, `slowchan` → held at `gate` (no
/// answer until the test releases it; `serve` releases it at the end), `mangledchan` → an unrecognisable page, and a
/// name starting with `briefly` → 429 with `Retry-After: 1` on its first request, then its posts.
public struct FakeChannels: Sendable {
    public let posts: [String: [SyntheticPreviewPage.Message]]
    public let log = RequestLog()
    /// Where `slowchan`'s requests wait.
    public let gate = Gate()
    private let limitedOnce = Served()
    public static let pageSize = 5

    /// `count` posts per channel, one every 10 minutes ending 5 minutes before `now`.
    public init(channels: [String], postsPerChannel count: Int, now: Date) {
        var all: [String: [SyntheticPreviewPage.Message]] = [:]
        for (n, name) in channels.enumerated() {
            all[name] = (0..<count).map { i in
                SyntheticPreviewPage.Message(id: Int64(100 + i), date: now.addingTimeInterval(-300 - Double(count - i) * 600),
                                             text: "Post \(i) of \(name) (\(n)): \(UUID().uuidString)")
            }
        }
        posts = all
    }

    /// Channels with exactly these messages (oldest first), e.g. with service messages among the posts.
    public init(messages: [String: [SyntheticPreviewPage.Message]]) {
        posts = messages
    }

    public var totalPosts: Int { posts.values.reduce(0) { $0 + $1.count } }

    /// Serves these channels on loopback for the duration of `body`; what `slowchan` holds is let go before the
    /// server stops, whatever `body` does.
    public func serve<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let gate = self.gate
        return try await FakeServer.run(router()) { base in
            defer { gate.release() }
            return try await body(base)
        }
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let posts = self.posts
        let log = self.log
        let limitedOnce = self.limitedOnce
        let gate = self.gate
        router.get("/s/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            await log.record(name + (request.uri.queryParameters.get("before").map { "?before=\($0)" } ?? ""))
            switch name {
            case "brokenchan": return FakeServer.html("oops", status: .internalServerError)
            case "limitedchan": return FakeServer.html("slow down", status: .tooManyRequests, headers: [.retryAfter: "600"])
            case "slowchan":
                await gate.wait()
                return FakeServer.html("late")
            case "mangledchan": return FakeServer.html("<html><body><div class='redesigned'>?</div></body></html>")
            case "hiddenchan":
                // t.me's page of a channel whose preview is disabled: a title, no history.
                return FakeServer.html("<html><body><div class='tgme_page'><div class='tgme_page_title'>Hidden</div></div></body></html>")
            case let brief where brief.hasPrefix("briefly"):
                if limitedOnce.first(brief) {
                    return FakeServer.html("slow down", status: .tooManyRequests, headers: [.retryAfter: "1"])
                }
            default: break
            }
            guard let all = posts[name] else { return FakeServer.html("", status: .notFound) }
            let before = request.uri.queryParameters.get("before").flatMap { Int64($0) } ?? .max
            let older = all.filter { $0.id < before }
            let page = Array(older.suffix(Self.pageSize))
            let cursor = page.first.flatMap { first in older.contains { $0.id < first.id } ? first.id : nil }
            return FakeServer.html(SyntheticPreviewPage.html(channel: name, title: "Channel \(name)", messages: page, before: cursor))
        }
        return router
    }
}


/// Names already answered once, safe from concurrent handlers.
final class Served: Sendable {
    private let names = Mutex<Set<String>>([])
    /// True the first time `name` is asked.
    func first(_ name: String) -> Bool { names.withLock { $0.insert(name).inserted } }
}
