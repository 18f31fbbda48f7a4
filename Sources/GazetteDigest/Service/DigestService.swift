import Foundation
import GazetteCore
import GazettePDF
import Logging

/// Limits and defaults of the digest pipeline.
public struct DigestOptions: Sendable {
    public var maxChannels: Int
    public var maxPostsPerChannel: Int
    public var maxSentences: Int
    public var maxHours: Int
    /// How long a rendered PDF is reused; zero disables the cache.
    public var cacheTTL: TimeInterval
    public var title: String
    public var version: String?
    /// Channels summarized at the same time (matters for the LLM summarizer).
    public var concurrency: Int

    public init(maxChannels: Int = 10, maxPostsPerChannel: Int = 100, maxSentences: Int = 5, maxHours: Int = 168,
                cacheTTL: TimeInterval = 3600, title: String = "Gazette digest", version: String? = nil, concurrency: Int = 4) {
        self.maxChannels = maxChannels
        self.maxPostsPerChannel = maxPostsPerChannel
        self.maxSentences = maxSentences
        self.maxHours = maxHours
        self.cacheTTL = cacheTTL
        self.title = title
        self.version = version
        self.concurrency = concurrency
    }

    /// The options a `Config` asks for.
    public init(config: Config, version: String? = nil) {
        self.init(maxChannels: config.digestMaxChannels, maxPostsPerChannel: config.digestMaxPosts,
                  cacheTTL: config.digestCacheTTL, version: version)
    }
}

/// A digest as markdown, with what went into it.
public struct DigestResult: Sendable {
    public var markdown: String
    public var summaries: [ChannelSummary]
    public var metadata: DigestMetadata
    public var channels: Int { summaries.count }
    public var posts: Int { summaries.reduce(0) { $0 + $1.postCount } }
    /// Posts dropped because another channel carried the same text.
    public var collapsedDuplicates: Int
}

/// A rendered digest.
public struct DigestPDF: Sendable {
    public var data: Data
    public var pages: Int
    public var channels: Int
    public var posts: Int
    /// True when the PDF came from the cache without rendering.
    public var cacheHit: Bool
}

/// The digest pipeline (SPEC §5): posts in the window → duplicates collapsed → one summary per channel →
/// markdown → PDF (cached) or text messages. Used by the bot, the MCP tools and `gazette digest`.
public struct DigestService: Sendable {
    public let store: any GazetteStore
    public let summarizer: any Summarizer
    public let renderer: MeteredRenderer
    public let options: DigestOptions
    private let logger: Logger

    public init(store: any GazetteStore, summarizer: any Summarizer, renderer: MeteredRenderer,
                options: DigestOptions = .init(), logger: Logger = Logger(label: "gazette.digest")) {
        self.store = store
        self.summarizer = summarizer
        self.renderer = renderer
        self.options = options
        self.logger = logger
    }

    /// The markdown digest of a user's channels over the last `hours`.
    public func digest(userID: Int64, hours: Int, now: Date = Date()) async throws(DigestError) -> DigestResult {
        let since = try window(hours, now: now)
        let groups = try await load("posts") {
            try await store.posts(forUser: userID, since: since, until: now,
                                  limits: WindowLimits(maxChannels: options.maxChannels, maxPostsPerChannel: options.maxPostsPerChannel))
        }
        let metadata = DigestMetadata(title: options.title, since: since, until: now, generatedAt: now,
                                      summarizer: summarizerKind, version: options.version)
        return await Self.build(groups, metadata: metadata, summarizer: summarizer, options: options)
    }

    /// The PDF digest: from the cache when the key matches, else rendered and stored.
    public func pdf(userID: Int64, hours: Int, now: Date = Date()) async throws(DigestError) -> DigestPDF {
        let since = try window(hours, now: now)
        let key = try await cacheKey(userID: userID, hours: hours, since: since)
        if options.cacheTTL > 0, let hit = try await cached(key, now: now) { return hit }
        let result = try await digest(userID: userID, hours: hours, now: now)
        let rendered: RenderedPDF
        do throws(PDFError) {
            rendered = try await renderer.render(markdown: result.markdown, info: Self.info(result.metadata))
        } catch {
            throw .renderFailed(errorType: error.errorType, message: error.description)
        }
        if options.cacheTTL > 0 {
            await remember(rendered, counts: (result.channels, result.posts), key: key, now: now)
        }
        return DigestPDF(data: rendered.data, pages: rendered.pages, channels: result.channels, posts: result.posts, cacheHit: false)
    }

    /// The digest as chat messages of at most `limit` characters (the fallback when a PDF cannot be made).
    public func textDigest(userID: Int64, hours: Int, now: Date = Date(), style: TextDigest.Style = .plain,
                           limit: Int = TextSplitter.telegramLimit) async throws(DigestError) -> [String] {
        let result = try await digest(userID: userID, hours: hours, now: now)
        return TextSplitter.split(TextDigest.render(result.summaries, metadata: result.metadata, style: style), limit: limit)
    }

    /// One subscribed channel's summary over the last `hours`; `DigestError.notSubscribed` when the user does not follow it.
    public func channelDigest(userID: Int64, channel: ChannelRef, hours: Int, now: Date = Date()) async throws(DigestError) -> ChannelSummary {
        let since = try window(hours, now: now)
        let subscriptions = try await load("subscriptions") { try await store.subscriptions(userID: userID, limit: 500) }
        guard let subscribed = subscriptions.first(where: { $0.channel.ref == channel })?.channel else {
            throw .notSubscribed(channel.key)
        }
        let posts = try await load("posts") {
            try await store.posts(channelID: subscribed.id, since: since, until: now, limit: options.maxPostsPerChannel)
        }
        var summary = await summarizer.summarize(posts, channel: subscribed.key, maxSentences: options.maxSentences)
        summary.title = subscribed.displayName
        return summary
    }

    /// Groups → collapsed duplicates → summaries → markdown. Shared by the service and the offline demo.
    public static func build(_ groups: [ChannelPosts], metadata: DigestMetadata, summarizer: any Summarizer,
                             options: DigestOptions) async -> DigestResult {
        let (kept, collapsed) = DuplicateCollapser.collapse(groups)
        let summaries = await summarizeAll(kept, summarizer: summarizer, options: options)
        var metadata = metadata
        if summaries.contains(where: { $0.method == .llm }) { metadata.summarizer = .llm }
        else if !summaries.isEmpty { metadata.summarizer = .extractive }
        let markdown = DigestFormatter().format(summaries: summaries, metadata: metadata).markdown
        return DigestResult(markdown: markdown, summaries: summaries, metadata: metadata, collapsedDuplicates: collapsed)
    }

    private static func summarizeAll(_ groups: [ChannelPosts], summarizer: any Summarizer, options: DigestOptions) async -> [ChannelSummary] {
        let maxSentences = options.maxSentences
        let task: @Sendable (Int) async -> (Int, ChannelSummary) = { index in
            let channel = groups[index]
            var summary = await summarizer.summarize(channel.posts, channel: channel.channel.key, maxSentences: maxSentences)
            summary.title = channel.channel.displayName
            return (index, summary)
        }
        return await withTaskGroup(of: (Int, ChannelSummary).self) { group in
            var results = [ChannelSummary?](repeating: nil, count: groups.count)
            var next = 0
            while next < min(max(1, options.concurrency), groups.count) {
                let index = next
                group.addTask { await task(index) }
                next += 1
            }
            for await (index, summary) in group {
                results[index] = summary
                if next < groups.count {
                    let index = next
                    group.addTask { await task(index) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }

    // MARK: Pieces

    private var summarizerKind: SummaryMethod { summarizer is LLMSummarizer ? .llm : .extractive }

    private func window(_ hours: Int, now: Date) throws(DigestError) -> Date {
        guard (1...options.maxHours).contains(hours) else {
            throw .invalidArgument(name: "hours", reason: "expected a whole number of hours in 1…\(options.maxHours), got \(hours)")
        }
        return now.addingTimeInterval(-Double(hours) * 3600)
    }

    static func info(_ metadata: DigestMetadata) -> PDFDocumentInfo {
        PDFDocumentInfo(title: "\(metadata.title) — \(DigestDates.long(metadata.until))", author: "Gazette",
                        subject: "Last \(metadata.hours) hours", creationDate: metadata.generatedAt)
    }

    private func cacheKey(userID: Int64, hours: Int, since: Date) async throws(DigestError) -> DigestCacheKey {
        let subscriptions = try await load("subscriptions") { try await store.subscriptions(userID: userID, limit: 500) }
        let newest = try await load("newest post") { try await store.newestPostID(forUser: userID, since: since) }
        return DigestCacheKey(userID: userID, hours: hours, channelIDs: subscriptions.map(\.channel.id),
                              newestPostID: newest, summarizer: summarizerKind)
    }

    private func cached(_ key: DigestCacheKey, now: Date) async throws(DigestError) -> DigestPDF? {
        guard let pdf = try await load("cache", { try await store.cachedDigest(key: key.description, now: now) }),
              let countsEntry = try await load("cache", { try await store.cachedDigest(key: key.countsKey, now: now) }),
              let counts = CachedCounts(countsEntry.pdf)
        else { return nil }
        return DigestPDF(data: pdf.pdf, pages: pdf.pages, channels: counts.channels, posts: counts.posts, cacheHit: true)
    }

    /// Caching is an optimization: a failure to store is logged, and the rendered PDF is still returned.
    private func remember(_ pdf: RenderedPDF, counts: (channels: Int, posts: Int), key: DigestCacheKey, now: Date) async {
        let expires = now.addingTimeInterval(options.cacheTTL)
        do {
            try await store.storeDigest(CachedDigest(key: key.countsKey, pdf: CachedCounts(channels: counts.channels, posts: counts.posts).data,
                                                     pages: 0, createdAt: now, expiresAt: expires))
            try await store.storeDigest(CachedDigest(key: key.description, pdf: pdf.data, pages: pdf.pages, createdAt: now, expiresAt: expires))
        } catch {
            logger.warning("could not cache the digest", metadata: ["error": "\(error)"])
        }
    }

    private func load<T>(_ what: String, _ body: () async throws -> T) async throws(DigestError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw .storage("\(what): \(error.description)")
        } catch {
            throw .storage("\(what): \(error)")
        }
    }
}

/// The channel and post counts of a cached PDF, kept in a sibling cache entry ("3 57").
struct CachedCounts {
    var channels: Int
    var posts: Int

    init(channels: Int, posts: Int) {
        self.channels = channels
        self.posts = posts
    }

    init?(_ data: Data) {
        let parts = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        self.init(channels: parts[0], posts: parts[1])
    }

    var data: Data { Data("\(channels) \(posts)".utf8) }
}
