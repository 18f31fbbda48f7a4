import Foundation
import GazetteCore
import GazetteDigest
import GazettePDF
import GazetteStorage
import Logging
import GazetteMetrics
import Synchronization

/// A fresh SQLite store in its own temporary directory.
func makeStore() async throws -> (store: any GazetteStore, directory: URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-digest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let store = try await StoreFactory.open(databaseURL: "sqlite:\(directory.path)/gazette.sqlite", logger: Logger(label: "test"))
    return (store, directory)
}

@discardableResult
func withStore<T>(_ body: (any GazetteStore) async throws -> T) async throws -> T {
    let (store, directory) = try await makeStore()
    do {
        let result = try await body(store)
        await store.shutdown()
        try FileManager.default.removeItem(at: directory)
        return result
    } catch {
        await store.shutdown()
        try FileManager.default.removeItem(at: directory)
        throw error
    }
}

/// Subscribes the user and saves the posts (their `channel` is the username).
@discardableResult
func seed(_ store: any GazetteStore, user: Int64, channel: String, title: String? = nil, posts: [Post]) async throws -> Channel {
    let (subscribed, _) = try await store.subscribe(userID: user, ref: .telegram(username: channel), tags: [])
    if let title { try await store.updateChannelMetadata(channelID: subscribed.id, ChannelMetadata(title: title)) }
    _ = try await store.savePosts(posts, channelID: subscribed.id, outcome: nil, dedupWindow: 7 * 86400)
    return subscribed
}

/// The real renderer, counting its calls; or a renderer that fails as told.
final class CountingRenderer: MarkdownPDFRendering {
    let calls = Atomic<Int>(0)
    let failure: PDFError?
    let real = PDFRenderer()
    init(failing failure: PDFError? = nil) { self.failure = failure }

    var count: Int { calls.load(ordering: .relaxed) }

    func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle) throws(PDFError) -> RenderedPDF {
        calls.add(1, ordering: .relaxed)
        if let failure { throw failure }
        return try real.render(markdown: markdown, info: info, style: style)
    }
}
