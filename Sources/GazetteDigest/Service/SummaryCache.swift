import Foundation
import GazetteCore
import Logging

/// How the summary cache behaves (issue 28; `--summary-cache-max-bytes`).
public struct SummaryCacheSettings: Sendable {
    /// Bytes of summaries kept at most; zero turns the cache off (and the reuse of stories with it).
    public var maxBytes: Int64
    /// After an LLM failure the fallback is shown and the LLM asked again on the first view after `retryBase`, doubled
    /// for each further failure in a row, at most `retryMax`.
    public var retryBase: TimeInterval
    public var retryMax: TimeInterval

    public init(maxBytes: Int64 = 64 * 1024 * 1024, retryBase: TimeInterval = 60, retryMax: TimeInterval = 3600) {
        self.maxBytes = maxBytes
        self.retryBase = retryBase
        self.retryMax = retryMax
    }

    public var isOn: Bool { maxBytes > 0 }

    /// When to ask the LLM again after the `failures`-th failure in a row.
    func retryDelay(failures: Int) -> TimeInterval {
        min(retryMax, retryBase * pow(2, Double(max(0, failures - 1))))
    }
}

/// Summaries kept in the database for every process (the server, the bot, the scheduler, the CLI), keyed by what a
/// summary depends on: the ids and edit times of its posts, the summarizer with its model and prompt version, the
/// language it is written in and the number of points. A new or edited post changes the key of its own section only;
/// the LLM's answers to each chunk of a section are kept too (keyed by the request's text), so making that section again
/// asks the model only for the chunk that changed and the merge.
/// A summary the LLM failed to make is kept as a failure (its extractive fallback, the count of failures and when to try
/// again), never as the LLM's summary.
public struct SummaryCache: Sendable {
    let store: any SummaryCacheStore
    let settings: SummaryCacheSettings
    let metrics: SummaryCacheMetrics?
    /// How long summaries live after the first of their posts: as long as posts are kept (`POST_TTL_DAYS`).
    let retention: TimeInterval
    private let logger: Logger

    public init(store: any SummaryCacheStore, settings: SummaryCacheSettings, retention: TimeInterval, metrics: SummaryCacheMetrics?,
                logger: Logger = Logger(label: "gazette.digest.summary-cache")) {
        self.store = store
        self.settings = settings
        self.retention = retention
        self.metrics = metrics
        self.logger = logger
    }

    /// One section to summarize: a channel's posts (in the stories layout, those no top story shows).
    struct Section {
        var channel: Channel
        var posts: [Post]
    }

    /// The key of a section's summary. `language` is the language the summary is asked for (`--llm-translate`), nil for
    /// the posts' own; it counts only for a summarizer that can translate. Posts are named by channel and message id
    /// with their edit time, in the order given (the store's order, which the summary follows too).
    static func key(channel: String, posts: [Post], identity: SummarizerIdentity, language: DigestLanguage?, maxSentences: Int) -> String {
        var text = "summary/1\nsection=channel:\(channel)\nsummarizer=\(identity.method.rawValue)\nmodel=\(identity.model)"
        text += "\nversion=\(identity.version)\npoints=\(maxSentences)"
        text += "\nlanguage=\(identity.method == .llm ? language?.rawValue ?? "posts" : "posts")\nposts="
        for post in posts {
            text += "\(post.channel)/\(post.messageID)@\(post.editedAt.map { String($0.timeIntervalSince1970) } ?? "-");"
        }
        return "s1:" + StableHash.sha256(text)
    }

    /// The entries of these keys; a failing database is logged and treated as an empty cache.
    func entries(_ keys: [String], now: Date) async -> [String: CachedSummary] {
        do {
            return try await store.cachedSummaries(keys: keys, now: now)
        } catch {
            logger.warning("could not read the summary cache", metadata: ["error": "\(error)"])
            return [:]
        }
    }

    /// A cached summary to show now, or nil when it must be made (again): a failure entry whose retry is due.
    func usable(_ entry: CachedSummary, now: Date) -> ChannelSummary? {
        if entry.isFailure, let retry = entry.retryAt, retry <= now { return nil }
        do {
            return try Self.decoder.decode(ChannelSummary.self, from: Data(entry.summary.utf8))
        } catch {
            logger.warning("a cached summary could not be read; making it again", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The entry to keep for a section just summarized: the summarizer's own summary, or after a fallback a failure entry
    /// (one more failure than `previous`) that shows the fallback until the LLM is asked again.
    func entry(key: String, attempt: SummaryAttempt, method: SummaryMethod, posts: [Post], previous: CachedSummary?,
               now: Date) -> CachedSummary? {
        let json: String
        do {
            json = String(decoding: try Self.encoder.encode(attempt.summary), as: UTF8.self)
        } catch {
            logger.warning("a summary could not be encoded for the cache", metadata: ["error": "\(error)"])
            return nil
        }
        let first = posts.map(\.date).min() ?? now
        let expires = first.addingTimeInterval(retention)
        guard expires > now else { return nil }
        if attempt.fellBack {
            let failures = (previous?.failures ?? 0) + 1
            return CachedSummary(key: key, summarizer: method.rawValue, summary: json, failures: failures,
                                 retryAt: now.addingTimeInterval(settings.retryDelay(failures: failures)), createdAt: now, expiresAt: expires)
        }
        return CachedSummary(key: key, summarizer: method.rawValue, summary: json, llmCalls: attempt.llmCalls, createdAt: now,
                             expiresAt: expires)
    }

    /// The LLM's answers of earlier digests, for a summary made now (`LLMAnswerMemo`).
    func answers(now: Date) -> some LLMAnswerMemo { Answers(cache: self, now: now) }

    private struct Answers: LLMAnswerMemo {
        let cache: SummaryCache
        let now: Date

        func answer(_ key: String) async -> String? {
            guard let entry = await cache.entries([key], now: now)[key], !entry.isFailure else { return nil }
            cache.metrics?.saved(1)
            return entry.summary
        }
    }

    /// The entries that keep the LLM's answers made for a section's summary. They expire with the section's first post,
    /// like the summary: an answer names only posts of its section.
    func entries(answers: [LLMAnswer], posts: [Post], now: Date) -> [CachedSummary] {
        let expires = (posts.map(\.date).min() ?? now).addingTimeInterval(retention)
        guard expires > now else { return [] }
        return answers.map {
            CachedSummary(key: $0.key, summarizer: SummaryMethod.llm.rawValue, summary: $0.text, llmCalls: 1, createdAt: now,
                          expiresAt: expires)
        }
    }

    /// Keeps new entries, then trims the cache to its bound and updates the size gauges. Caching is an optimization: a
    /// failure is logged and the digest goes on.
    func keep(_ entries: [CachedSummary], now: Date) async {
        guard !entries.isEmpty else { return }
        do {
            try await store.storeSummaries(entries)
            _ = try await store.trimSummaryCache(now: now, maxBytes: settings.maxBytes)
            if let metrics {
                let size = try await store.summaryCacheSize()
                metrics.bytes.set(Double(size.bytes))
                metrics.entries.set(Double(size.entries))
            }
        } catch {
            logger.warning("could not keep summaries in the cache", metadata: ["error": "\(error)"])
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}

extension ChannelSummary {
    /// A cached summary shown for the posts as they are now: its title and view counts follow them (views are not part
    /// of the key, so they may have grown since the summary was made).
    func refreshed(title: String, posts: [Post]) -> ChannelSummary {
        var summary = self
        summary.title = title
        summary.postCount = posts.count
        summary.totalViews = posts.reduce(0) { $0 + ($1.views ?? 0) }
        let views = Dictionary(posts.map { ($0.messageID, $0.views) }, uniquingKeysWith: { first, _ in first })
        for i in summary.topPosts.indices {
            if let current = views[summary.topPosts[i].messageID] { summary.topPosts[i].views = current }
        }
        return summary
    }
}
