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
    /// How many stories the "Top stories" section shows; zero leaves it out.
    public var topStories: Int
    /// The earlier layout: one section per channel, no stories.
    public var byChannel: Bool
    /// The language of the digest's own words; nil follows the language of most posts.
    public var language: DigestLanguage?
    /// How posts merge into stories.
    public var stories: StoryOptions
    /// The LLM summarizer writes summaries in the digest's language instead of the posts' (`--llm-translate`).
    public var llmTranslate = false
    /// Stories and channel sections show a picture (`--images`; a reader's own setting wins). Off by default here, so a
    /// digest built without a configuration (tests, the demo) stays text; `--images` (on by default) sets it.
    public var images = false
    /// How long posts are kept (`POST_TTL_DAYS`): a fetched picture is kept as long as the newest post showing it.
    public var retention: TimeInterval = 7 * 86_400
    /// The summary cache (`--summary-cache-max-bytes`; issue 28). Off by default here, like pictures, so a digest built
    /// without a configuration summarizes every time; the option (64 MB by default) sets it.
    public var summaryCache = SummaryCacheSettings(maxBytes: 0)

    public init(maxChannels: Int = 10, maxPostsPerChannel: Int = 100, maxSentences: Int = 5, maxHours: Int = 168,
                cacheTTL: TimeInterval = 3600, title: String = "Gazette digest", version: String? = nil, concurrency: Int = 4,
                topStories: Int = 10, byChannel: Bool = false, language: DigestLanguage? = nil, stories: StoryOptions = .init()) {
        self.topStories = topStories
        self.byChannel = byChannel
        self.language = language
        self.stories = stories
        self.maxChannels = maxChannels
        self.maxPostsPerChannel = maxPostsPerChannel
        self.maxSentences = maxSentences
        self.maxHours = maxHours
        self.cacheTTL = cacheTTL
        self.title = title
        self.version = version
        self.concurrency = concurrency
    }
}

/// Who wants to hear how far a PDF digest is (the MCP tool, for `notifications/progress`): steps done of all steps, and
/// what was just done. The steps: the posts gathered (1), each channel section summarized (one each), the PDF rendered (1).
///
/// A parameter, never a task-local: besides being a hidden parameter, a task-local of a function type crashes optimized
/// builds of Swift 6.3.1 (`withValue` hands the runtime type metadata it cannot read; docs/ARCHITECTURE.md, issue 23).
public typealias DigestProgress = @Sendable (_ done: Int, _ total: Int, _ message: String) async -> Void

/// Channel sections summarized of the sections to summarize: called with (0, n) before the first and after each one.
public typealias SectionProgress = @Sendable (_ done: Int, _ total: Int) async -> Void

/// A PDF digest's `DigestProgress` in steps, from the sections' progress and the render.
actor DigestSteps {
    private let progress: DigestProgress
    private var sections = 0

    init(_ progress: @escaping DigestProgress) {
        self.progress = progress
    }

    func section(_ done: Int, of total: Int) async {
        sections = total
        if done == 0 {
            await progress(1, total + 2, "posts gathered, \(total) channel section\(total == 1 ? "" : "s") to summarize")
        } else {
            await progress(1 + done, total + 2, "\(done) of \(total) channel sections summarized")
        }
    }

    func rendered(pages: Int) async {
        await progress(sections + 2, sections + 2, "PDF rendered (\(pages) page\(pages == 1 ? "" : "s"))")
    }
}

/// A digest as markdown, with what went into it.
public struct DigestResult: Sendable {
    public var markdown: String
    public var summaries: [ChannelSummary]
    public var metadata: DigestMetadata
    public var channels: Int { summaries.count }
    public var posts: Int { summaries.reduce(0) { $0 + $1.postCount } }
    /// Posts dropped because another channel carried the same text (the `--by-channel` layout only; stories merge them).
    public var collapsedDuplicates: Int
    /// The top stories shown first (nil in the `--by-channel` layout).
    public var stories: [Story]?
    /// Channel key → numbers of the top stories the channel reported.
    public var references: [String: [Int]] = [:]
    /// All stories of the window, ranked, including those not in the top section.
    public var allStories: [Story] = []
    /// What to record once the digest reached the reader (the "not twice" rule); empty unless asked for.
    public var deliveryRecords: [DeliveredStory] = []
    /// Every story of the window had been delivered before, with no new reports.
    public var nothingNew = false

    /// Each picture the digest shows → the date of the newest post showing it: the picture's cache entry expires with
    /// that post (date + retention).
    public var pictureDates: [String: Date] {
        var out: [String: Date] = [:]
        for story in stories ?? [] {
            if let post = story.picture, let url = post.imageURL { out[url] = max(out[url] ?? post.date, post.date) }
        }
        for summary in summaries {
            for post in summary.topPosts {
                if let url = post.imageURL { out[url] = max(out[url] ?? post.date, post.date) }
            }
        }
        return out
    }
}

/// A digest made to be sent to a reader: stories they were sent before are left out unless new reports arrived.
public enum DigestDelivery: Sendable {
    /// No posts in the window at all.
    case empty
    /// Posts, but every story was delivered before and nothing new arrived.
    case nothingNew
    case pdf(DigestPDF, records: [DeliveredStory])
    case text([String], records: [DeliveredStory])
}

/// What a delivered digest was made from: the markdown (the PDF, the web page, the feed entry and the e-mail are all
/// made from it) and its window and counts.
public struct DigestContent: Sendable, Hashable {
    public var markdown: String
    public var title: String
    public var since: Date
    public var until: Date
    public var channels: Int
    public var posts: Int

    public init(markdown: String, title: String, since: Date, until: Date, channels: Int, posts: Int) {
        self.markdown = markdown
        self.title = title
        self.since = since
        self.until = until
        self.channels = channels
        self.posts = posts
    }

    public init(_ result: DigestResult) {
        self.init(markdown: result.markdown, title: result.metadata.title, since: result.metadata.since, until: result.metadata.until,
                  channels: result.channels, posts: result.posts)
    }

    /// The archive entry of this digest delivered to `userID` for (`kind`, `period`).
    public func archived(userID: Int64, kind: String, period: String, at now: Date) -> ArchivedDigest {
        ArchivedDigest(userID: userID, kind: kind, period: period, since: since, until: until, title: title, markdown: markdown,
                       channels: channels, posts: posts, createdAt: now)
    }
}

/// The store roles the digest pipeline reads: channels and subscriptions, posts, the digest cache, the reader's
/// filters and language, and the stories a reader was sent.
public typealias DigestStore = ChannelStore & PostStore & DigestCacheStore & ReaderStore & DeliveredStoryStore & ImageCacheStore
    & SummaryCacheStore

/// What a digest may take from earlier ones (issue 28): summaries from the summary cache, stories this process clustered
/// for the same posts. `none` makes everything afresh (the demo, tests of the pipeline itself).
struct DigestReuse: Sendable {
    var summaries: SummaryCache?
    var stories: StoryReuse?
    var now: Date

    static func none(now: Date) -> DigestReuse { DigestReuse(summaries: nil, stories: nil, now: now) }

    func stories(_ groups: [ChannelPosts], options: StoryOptions) async -> [Story] {
        if let stories { return await stories.stories(groups, options: options, now: now) }
        return await DigestService.cluster(groups, options: options, now: now)
    }
}

/// The digest pipeline (SPEC §5): posts in the window → duplicates collapsed → one summary per channel →
/// markdown → PDF (cached) or text messages. Used by the bot, the MCP tools and `gazette digest`.
public struct DigestService: DigestProvider {
    public let store: any DigestStore
    public let summarizer: any Summarizer
    public let renderer: MeteredRenderer
    public let options: DigestOptions
    /// Where the pictures of a PDF come from (the image cache, else fetched); nil renders their alt text.
    public let images: (any ImageLoading)?
    /// Summaries shared with every process through the store, and this process's recent stories; nil when
    /// `options.summaryCache` is off.
    private let summaryCache: SummaryCache?
    private let storyReuse: StoryReuse?
    private let logger: Logger

    /// `summaryMetrics` receives the `summary_cache_*` metrics of this process.
    public init(store: any DigestStore, summarizer: any Summarizer, renderer: MeteredRenderer,
                options: DigestOptions = .init(), images: (any ImageLoading)? = nil, summaryMetrics: SummaryCacheMetrics? = nil,
                logger: Logger = Logger(label: "gazette.digest")) {
        if options.summaryCache.isOn {
            summaryCache = SummaryCache(store: store, settings: options.summaryCache, retention: options.retention,
                                        metrics: summaryMetrics, logger: logger)
            storyReuse = StoryReuse()
        } else {
            summaryCache = nil
            storyReuse = nil
        }
        self.images = images
        self.store = store
        self.summarizer = summarizer
        self.renderer = renderer
        self.options = options
        self.logger = logger
    }

    /// The markdown digest of a user's channels over the last `hours`.
    /// The reader's filters and language apply; with `notTwice`, stories the reader was sent before are left out
    /// unless new reports arrived (then marked as updated), and `deliveryRecords` says what to record once sent.
    public func digest(userID: Int64, hours: Int, now: Date = Date(), notTwice: Bool = false) async throws(DigestError) -> DigestResult {
        let since = try window(hours, now: now)
        return try await digest(userID: userID, since: since, now: now, notTwice: notTwice, reader: readerView(userID: userID))
    }

    /// `digest` for a reader view the caller already loaded (the PDF path needs it for the cache key too).
    private func digest(userID: Int64, since: Date, now: Date, notTwice: Bool, reader: ReaderView,
                        progress: SectionProgress? = nil) async throws(DigestError) -> DigestResult {
        let limits = WindowLimits(maxChannels: self.options.maxChannels, maxPostsPerChannel: self.options.maxPostsPerChannel)
        let groups = try await load("posts") { try await store.posts(forUser: userID, since: since, until: now, limits: limits) }
        let (kept, hidden) = reader.filter.apply(groups)
        var metadata = DigestMetadata(title: options.title, since: since, until: now, generatedAt: now,
                                      summarizer: summarizerKind, version: options.version, hiddenByFilters: hidden)
        metadata.unreadChannels = try await load("channels") { try await Self.unread(store, userID: userID) }
        var options = self.options
        if let language = reader.language { options.language = language }  // the reader's setting wins
        if let images = reader.images { options.images = images }
        let reuse = DigestReuse(summaries: summaryCache, stories: storyReuse, now: now)
        if options.byChannel || options.topStories <= 0 || !notTwice {
            return await Self.build(kept, metadata: metadata, summarizer: summarizer, options: options, reuse: reuse,
                                    progress: progress)
        }
        metadata.language = options.language ?? Self.majorityLanguage(kept)
        let all = await reuse.stories(kept, options: options.stories)
        let lookBack = since.addingTimeInterval(-Double(options.maxHours) * 3600)
        let delivered = try await load("delivered stories") { try await store.deliveredStories(userID: userID, since: lookBack) }
        let sent = Set(delivered.flatMap(\.postIDs))
        var fresh: [Story] = []
        var dropped = Set<String>()
        for var story in all {
            let ids = story.posts.map(\.id)
            let new = ids.filter { !sent.contains($0) }
            if new.isEmpty {
                dropped.formUnion(ids)
                continue
            }
            if new.count < ids.count { story.newPostIDs = new }
            fresh.append(story)
        }
        let remaining = kept.compactMap { g -> ChannelPosts? in
            let posts = g.posts.filter { !dropped.contains("\($0.channel)/\($0.messageID)") }
            return posts.isEmpty ? nil : ChannelPosts(channel: g.channel, posts: posts)
        }
        var result = await Self.assemble(remaining, top: Array(fresh.prefix(options.topStories)), all: fresh, metadata: metadata,
                                         summarizer: summarizer, options: options, reuse: reuse, progress: progress)
        result.nothingNew = fresh.isEmpty && !all.isEmpty
        result.deliveryRecords = fresh.map { DeliveredStory(userID: userID, storyKey: $0.key, postIDs: $0.posts.map(\.id), deliveredAt: now) }
        return result
    }

    /// The digest to send to a reader (bot command, daily schedule): never cached, since it depends on what the
    /// reader was sent before. Record `records` with `confirmDelivery` once the reader has it.
    public func deliver(userID: Int64, hours: Int, now: Date, format: UserSettings.Format) async throws(DigestError) -> DigestDelivery {
        guard try await hasPosts(userID: userID, hours: hours, now: now) else { return .empty }
        let result = try await digest(userID: userID, hours: hours, now: now, notTwice: true)
        if result.nothingNew { return .nothingNew }
        if result.posts == 0 { return .empty }
        switch format {
        case .text:
            return .text(TextSplitter.split(TextDigest.render(result, style: .plain), limit: TextSplitter.telegramLimit),
                         records: result.deliveryRecords)
        case .pdf:
            do throws(PDFError) {
                let rendered = try await renderPDF(markdown: result.markdown, info: Self.info(result.metadata),
                                                   pictureDates: result.pictureDates, now: now)
                return .pdf(DigestPDF(data: rendered.data, pages: rendered.pages, channels: result.channels, posts: result.posts,
                                      cacheHit: false), records: result.deliveryRecords)
            } catch {
                throw DigestError(error)
            }
        }
    }

    public func stories(userID: Int64, hours: Int, now: Date, limit: Int) async throws(DigestError) -> StoryList {
        let since = try window(hours, now: now)
        guard (1...1000).contains(limit) else {
            throw .invalidArgument(name: "limit", reason: "expected a whole number in 1…1000, got \(limit)")
        }
        let limits = WindowLimits(maxChannels: options.maxChannels, maxPostsPerChannel: options.maxPostsPerChannel)
        let groups = try await load("posts") { try await store.posts(forUser: userID, since: since, until: now, limits: limits) }
        let (kept, hidden) = try await readerView(userID: userID).filter.apply(groups)
        let all = await DigestReuse(summaries: nil, stories: storyReuse, now: now).stories(kept, options: options.stories)
        return StoryList(stories: Array(all.prefix(limit)), total: all.count, posts: kept.reduce(0) { $0 + $1.posts.count }, hidden: hidden)
    }

    /// Records that the reader was sent these stories.
    public func confirmDelivery(_ records: [DeliveredStory]) async throws(DigestError) {
        try await load("delivered stories") { try await store.recordDeliveredStories(records) }
    }

    struct ReaderView {
        var filter: PostFilter
        var language: DigestLanguage?
        /// The reader's pictures setting; nil follows `--images`.
        var images: Bool?
        /// Part of the PDF cache key: what the reader's settings change in the output.
        var variant: String
    }

    func readerView(userID: Int64) async throws(DigestError) -> ReaderView {
        let filters = try await load("reader filters") { try await store.readerFilters(userID: userID) }
        let language = try await load("reader language") { try await store.readerLanguage(userID: userID) }
        let images = try await load("reader pictures") { try await store.readerImages(userID: userID) }
        let described = filters.map { "\($0.kind.rawValue)=\($0.value)" }.joined(separator: "|") + "|lang=\(language ?? "")"
        return ReaderView(filter: PostFilter(filters), language: language.flatMap(DigestLanguage.init(rawValue:)), images: images,
                          variant: filters.isEmpty && language == nil ? "" : FNV1a.hex(FNV1a.hash(described)))
    }

    public func markdownDigest(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> String {
        try await digest(userID: userID, hours: hours, now: now).markdown
    }

    /// The PDF digest: from the cache when the key matches, else rendered and stored. `progress` hears each step of the
    /// work (nothing when the PDF comes from the cache).
    public func pdf(userID: Int64, hours: Int, now: Date = Date(), progress: DigestProgress? = nil) async throws(DigestError) -> DigestPDF {
        let since = try window(hours, now: now)
        let reader = try await readerView(userID: userID)
        let key = try await cacheKey(userID: userID, hours: hours, since: since, reader: reader)
        if options.cacheTTL > 0, let hit = try await cached(key, now: now) { return hit }
        let steps = progress.map { DigestSteps($0) }
        var sections: SectionProgress?
        if let steps { sections = { done, total in await steps.section(done, of: total) } }
        let result = try await digest(userID: userID, since: since, now: now, notTwice: false, reader: reader, progress: sections)
        let rendered: RenderedPDF
        do throws(PDFError) {
            rendered = try await renderPDF(markdown: result.markdown, info: Self.info(result.metadata),
                                           pictureDates: result.pictureDates, now: now)
        } catch {
            throw DigestError(error)
        }
        await steps?.rendered(pages: rendered.pages)
        if options.cacheTTL > 0 {
            await remember(CachedDigest(key: key.description, pdf: rendered.data, pages: rendered.pages, channels: result.channels,
                                        posts: result.posts, createdAt: now, expiresAt: now.addingTimeInterval(options.cacheTTL)))
        }
        return DigestPDF(data: rendered.data, pages: rendered.pages, channels: result.channels, posts: result.posts, cacheHit: false)
    }

    /// The digest as chat messages of at most `limit` characters (the fallback when a PDF cannot be made).
    public func textDigest(userID: Int64, hours: Int, now: Date, style: TextDigest.Style,
                           limit: Int = TextSplitter.telegramLimit) async throws(DigestError) -> [String] {
        let result = try await digest(userID: userID, hours: hours, now: now)
        return TextSplitter.split(TextDigest.render(result, style: style), limit: limit)
    }

    public func textDigest(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> [String] {
        try await textDigest(userID: userID, hours: hours, now: now, style: .plain)
    }

    public func hasPosts(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> Bool {
        let since = try window(hours, now: now)
        return try await load("newest post") { try await store.newestPostID(forUser: userID, since: since) } != nil
    }

    public func summarize(_ posts: [Post], channel: String, maxSentences: Int) async -> ChannelSummary {
        await summarizer.summarize(posts, channel: channel, maxSentences: maxSentences)
    }

    public func markdown(summaries: [ChannelSummary], title: String?, date: Date, hours: Int) -> String {
        let metadata = DigestMetadata(title: title ?? options.title, since: date.addingTimeInterval(-Double(hours) * 3600),
                                      until: date, generatedAt: date, version: options.version)
        return DigestFormatter().format(summaries: summaries, metadata: metadata).markdown
    }

    public func combine(sections: [String], template: String?, date: Date) throws(DigestError) -> String {
        try DigestFormatter().combine(sections: sections, template: template, title: options.title, date: date)
    }

    public func render(markdown: String, title: String?, author: String?, date: Date) async throws(DigestError) -> DigestDocument {
        do throws(PDFError) {
            let pdf = try await renderPDF(markdown: markdown,
                                          info: PDFDocumentInfo(title: title ?? "Gazette", author: author ?? "Gazette", creationDate: date))
            return DigestDocument(data: pdf.data, pages: pdf.pages)
        } catch {
            throw DigestError(error)
        }
    }

    /// Markdown → PDF with its pictures: the one function every surface that makes a PDF calls (the bot, the MCP tools,
    /// `gazette digest`, the web reader, email). The pictures the markdown names (`![alt](https://…)`) are loaded through
    /// `images` (the image cache, else fetched within the limits; docs/DIGEST.md, "Pictures") and handed to the
    /// renderer; one that cannot be had shows its alt text and is counted, never failing the document. Without a loader,
    /// or without pictures in the markdown, this is a plain render. `pictureDates` (`DigestResult.pictureDates`) says
    /// how long each picture stays cached: until the newest post showing it expires (else `now` + retention).
    public func renderPDF(markdown: String, info: PDFDocumentInfo, pictureDates: [String: Date] = [:],
                          now: Date = Date()) async throws(PDFError) -> RenderedPDF {
        guard let loader = images, !DigestPictures.destinations(in: markdown).isEmpty else {
            return try await renderer.render(markdown: markdown, info: info)
        }
        let retention = options.retention
        let pictures = await DigestPictures.load(markdown: markdown, loader: loader) { url in
            (pictureDates[url] ?? now).addingTimeInterval(retention)
        }
        await loader.maintain()
        let pdf = try await renderer.render(markdown: markdown, info: info, images: pictures)
        for skip in pdf.imageSkips {
            if case .success(_)? = pictures.loaded[skip.destination] {
                await loader.rendererRefused(url: skip.destination, reason: skip.reason.label)
            }
        }
        return pdf
    }

    /// One subscribed channel's summary over the last `hours`; `DigestError.notSubscribed` when the user does not follow it.
    public func channelDigest(userID: Int64, channel: ChannelRef, hours: Int, now: Date = Date()) async throws(DigestError) -> ChannelSummary {
        let since = try window(hours, now: now)
        guard let subscribed = try await load("subscription", { try await store.subscription(userID: userID, ref: channel) })?.channel else {
            throw .notSubscribed(channel.key)
        }
        let posts = try await load("posts") {
            try await store.posts(channelID: subscribed.id, since: since, until: now, limit: options.maxPostsPerChannel)
        }
        var summary = await summarizer.summarize(posts, channel: subscribed.key, maxSentences: options.maxSentences)
        summary.title = subscribed.displayName
        return summary
    }

    /// Groups → stories (or collapsed duplicates in the `--by-channel` layout) → summaries → markdown. Shared by the
    /// service and the offline demo.
    public static func build(_ groups: [ChannelPosts], metadata: DigestMetadata, summarizer: any Summarizer,
                             options: DigestOptions, progress: SectionProgress? = nil) async -> DigestResult {
        await build(groups, metadata: metadata, summarizer: summarizer, options: options, reuse: .none(now: metadata.until),
                    progress: progress)
    }

    static func build(_ groups: [ChannelPosts], metadata: DigestMetadata, summarizer: any Summarizer, options: DigestOptions,
                      reuse: DigestReuse, progress: SectionProgress?) async -> DigestResult {
        var metadata = metadata
        metadata.language = options.language ?? majorityLanguage(groups)
        if options.byChannel || options.topStories <= 0 {
            let (kept, collapsed) = DuplicateCollapser.collapse(groups)
            let summaries = await summarizeAll(kept, summarizer: summarizer, options: options, language: translation(options, metadata),
                                               reuse: reuse, progress: progress)
            note(summaries, in: &metadata)
            let markdown = DigestFormatter(images: options.images).format(summaries: summaries, metadata: metadata).markdown
            return DigestResult(markdown: markdown, summaries: summaries, metadata: metadata, collapsedDuplicates: collapsed)
        }
        let all = await reuse.stories(groups, options: options.stories)
        let top = Array(all.prefix(options.topStories))
        return await assemble(groups, top: top, all: all, metadata: metadata, summarizer: summarizer, options: options, reuse: reuse,
                              progress: progress)
    }

    /// Stories of the window's posts, off the cooperative pool (the clusterer is CPU work).
    static func cluster(_ groups: [ChannelPosts], options: StoryOptions, now: Date) async -> [Story] {
        await BlockingWork.run { StoryClusterer.stories(groups, options: options, now: now) }
    }

    /// The language summaries are asked for: the digest's with `--llm-translate`, else nil (the posts' own).
    private static func translation(_ options: DigestOptions, _ metadata: DigestMetadata) -> DigestLanguage? {
        options.llmTranslate ? metadata.language : nil
    }

    /// The stories layout from stories already chosen: channel sections summarize only the posts no top story shows.
    static func assemble(_ groups: [ChannelPosts], top: [Story], all: [Story], metadata: DigestMetadata, summarizer: any Summarizer,
                         options: DigestOptions, reuse: DigestReuse, progress: SectionProgress?) async -> DigestResult {
        var metadata = metadata
        var references: [String: [Int]] = [:]
        var shown = Set<String>()
        for (i, story) in top.enumerated() {
            for key in story.channels { references[key, default: []].append(i + 1) }
            for post in story.posts { shown.insert(post.id) }
        }
        let ordered = groups.filter { !$0.posts.isEmpty }.sorted { a, b in
            a.posts.count != b.posts.count ? a.posts.count > b.posts.count : a.channel.id < b.channel.id
        }
        let remaining = ordered.map { g in
            ChannelPosts(channel: g.channel, posts: g.posts.filter { !shown.contains("\($0.channel)/\($0.messageID)") })
        }
        let summarized = await summarizeAll(remaining.filter { !$0.posts.isEmpty }, summarizer: summarizer, options: options,
                                            language: translation(options, metadata), reuse: reuse, progress: progress)
        var byKey: [String: ChannelSummary] = [:]
        for s in summarized { byKey[s.channel] = s }
        let summaries = ordered.map { g -> ChannelSummary in
            var summary = byKey[g.channel.key]
                ?? ChannelSummary(channel: g.channel.key, title: g.channel.displayName, postCount: 0, summary: "", method: .extractive,
                                  language: metadata.language)
            summary.postCount = g.posts.count
            summary.totalViews = g.posts.reduce(0) { $0 + ($1.views ?? 0) }
            return summary
        }
        note(summarized, in: &metadata)
        let markdown = DigestFormatter(images: options.images).format(stories: top, summaries: summaries, references: references,
                                                                      metadata: metadata).markdown
        var result = DigestResult(markdown: markdown, summaries: summaries, metadata: metadata, collapsedDuplicates: 0, stories: top,
                                  references: references)
        result.allStories = all
        return result
    }

    /// The user's channels whose last fetch did not read them: waiting for the user account's login, not joined yet
    /// (a join request awaiting approval, a guard bot), or failed.
    static func unread(_ store: any DigestStore, userID: Int64) async throws -> [String] {
        try await store.subscriptions(userID: userID, limit: 500).compactMap { row in
            guard let error = row.lastError else { return nil }
            let why = row.accountJoin?.summary ?? (error.hasPrefix("waiting for login") ? "waiting for login" : "last fetch failed")
            return "\(row.channel.displayName) (\(why))"
        }
    }

    /// The language most posts are written in.
    static func majorityLanguage(_ groups: [ChannelPosts]) -> DigestLanguage {
        var russian = 0, english = 0
        for g in groups {
            for p in g.posts where !p.text.isEmpty {
                if DigestLanguage.detect([p.text]) == .russian { russian += 1 } else { english += 1 }
            }
        }
        return russian > english ? .russian : .english
    }

    private static func note(_ summaries: [ChannelSummary], in metadata: inout DigestMetadata) {
        if summaries.contains(where: { $0.method == .llm }) { metadata.summarizer = .llm }
        else if !summaries.isEmpty { metadata.summarizer = .extractive }
    }

    /// One summary per channel, in `groups` order: from the summary cache when it has the section's key, else made (at
    /// most `options.concurrency` at a time) and kept. `language` is what the summarizer is asked to write in (nil: the
    /// posts' own; `--llm-translate` asks for the digest's); it is part of the key. `progress` hears before the first,
    /// once for the sections the cache had, and after each one made.
    private static func summarizeAll(_ groups: [ChannelPosts], summarizer: any Summarizer, options: DigestOptions,
                                     language: DigestLanguage?, reuse: DigestReuse, progress: SectionProgress?) async -> [ChannelSummary] {
        await progress?(0, groups.count)
        let maxSentences = options.maxSentences
        let identity = summarizer.identity
        let cache = reuse.summaries
        let keys = cache == nil ? [] : groups.map {
            SummaryCache.key(channel: $0.channel.key, posts: $0.posts, identity: identity, language: language, maxSentences: maxSentences)
        }
        let found = await cache?.entries(keys, now: reuse.now) ?? [:]
        var results = [ChannelSummary?](repeating: nil, count: groups.count)
        var todo: [Int] = []
        for (index, group) in groups.enumerated() {
            if let cache, let entry = found[keys[index]], let summary = cache.usable(entry, now: reuse.now) {
                results[index] = summary.refreshed(title: group.channel.displayName, posts: group.posts)
                cache.metrics?.hit(identity.method, savedCalls: entry.isFailure ? 0 : entry.llmCalls)
            } else {
                cache?.metrics?.miss(identity.method)
                todo.append(index)
            }
        }
        let answers = cache?.answers(now: reuse.now)
        let task: @Sendable (Int) async -> (Int, SummaryAttempt) = { index in
            let channel = groups[index]
            var attempt = await summarizer.attempt(channel.posts, channel: channel.channel.key, maxSentences: maxSentences,
                                                   translatingTo: language, answers: answers)
            attempt.summary.title = channel.channel.displayName
            return (index, attempt)
        }
        let total = groups.count
        var done = total - todo.count
        if done > 0 { await progress?(done, total) }
        var made: [CachedSummary] = []
        await withTaskGroup(of: (Int, SummaryAttempt).self) { group in
            var next = 0
            while next < min(max(1, options.concurrency), todo.count) {
                let index = todo[next]
                group.addTask { await task(index) }
                next += 1
            }
            for await (index, attempt) in group {
                results[index] = attempt.summary
                if let cache, let entry = cache.entry(key: keys[index], attempt: attempt, method: identity.method,
                                                      posts: groups[index].posts, previous: found[keys[index]], now: reuse.now) {
                    made.append(entry)
                }
                made += cache?.entries(answers: attempt.answers, posts: groups[index].posts, now: reuse.now) ?? []
                done += 1
                await progress?(done, total)
                if next < todo.count {
                    let index = todo[next]
                    group.addTask { await task(index) }
                    next += 1
                }
            }
        }
        await cache?.keep(made, now: reuse.now)
        return results.compactMap { $0 }
    }

    // MARK: Pieces

    private var summarizerKind: SummaryMethod { summarizer.identity.method }

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

    private func cacheKey(userID: Int64, hours: Int, since: Date, reader: ReaderView) async throws(DigestError) -> DigestCacheKey {
        let channelIDs = try await load("subscriptions") { try await store.subscribedChannelIDs(userID: userID) }
        let newest = try await load("newest post") { try await store.newestPostID(forUser: userID, since: since) }
        let variant = reader.variant
        let pictures = (reader.images ?? options.images) ? "-img" : ""
        let layout = (options.byChannel || options.topStories <= 0 ? "by-channel" : "t\(options.topStories)") + pictures
        return DigestCacheKey(userID: userID, hours: hours, channelIDs: channelIDs,
                              newestPostID: newest, summarizer: summarizerKind,
                              variant: variant.isEmpty ? layout : layout + "-r" + variant)
    }

    private func cached(_ key: DigestCacheKey, now: Date) async throws(DigestError) -> DigestPDF? {
        guard let hit = try await load("cache", { try await store.cachedDigest(key: key.description, now: now) }) else { return nil }
        return DigestPDF(data: hit.pdf, pages: hit.pages, channels: hit.channels, posts: hit.posts, cacheHit: true)
    }

    /// Caching is an optimization: a failure to store is logged, and the rendered PDF is still returned.
    private func remember(_ digest: CachedDigest) async {
        do {
            try await store.storeDigest(digest)
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
