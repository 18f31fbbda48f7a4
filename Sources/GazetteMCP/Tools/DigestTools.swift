import Foundation
import GazetteCore
import GazetteDigest
import MCP
import Synchronization

/// Summaries, markdown, PDF and per-user digests.
enum DigestTools {
    static let all = [summarizePosts, formatDigestMarkdown, combineMarkdownSections, convertMarkdownToPDF,
                      getChannelDigest, getChannelDigestByName, generatePDFDigest]

    static let maxMarkdown = 2 * 1024 * 1024

    /// One channel's text digest (`channelDigest`).
    static let channelDigestFields: [String: Value] = [
        "channel": Schema.outString, "title": Schema.outString, "channel_id": Schema.outInt, "post_count": Schema.outInt,
        "summary": Schema.outString, "text": Schema.outString,
    ]
    static let channelDigestSchema = Schema.result(channelDigestFields)

    /// A PDF's facts; over MCP the document itself travels as a resource content beside them, over REST as
    /// `pdf_bytes` (base64).
    static func pdfResult(_ extra: [String: Value]) -> Value {
        Schema.result(extra.merging([
            "pdf_bytes": Schema.out("string", "The PDF in base64 (REST /call)."),
            "file_size": Schema.out("integer", "PDF size in bytes."), "pages": Schema.out("integer", "Page count."),
        ]) { a, _ in a }, optional: ["pdf_bytes"])
    }

    static let summarizePosts = ToolDefinition(
        name: "summarize_posts",
        title: "Summarize posts",
        hints: .readOnlyOpenWorld,
        description: "Summarize posts of one channel (Russian or English) into at most max_sentences sentences.",
        inputSchema: Schema.object([
            "posts": Schema.array("Posts to summarize.", items: Schema.post, maxItems: ToolJSON.maxPostsPerCall),
            "channel": Schema.string("Channel name shown with the summary.", maxLength: 2048),
            "max_sentences": Schema.integer("Most sentences in the summary.", minimum: 1, maximum: 20, default: 5),
        ], required: ["posts", "channel"]),
        outputSchema: Schema.result(["summary": Schema.outString, "post_count": Schema.outInt, "channel": Schema.outString,
                                     "method": Schema.out("string", "extractive, or the LLM that wrote it."), "language": Schema.outString])
    ) { args, ctx async throws(ToolError) in
        let channel = try args.string("channel", maxLength: 2048, allowEmpty: false)
        let maxSentences = try args.int("max_sentences", default: 5, in: 1...20)
        let posts = try ToolJSON.posts(try args.array("posts", maxCount: ToolJSON.maxPostsPerCall),
                                       argument: "posts", channel: channel)
        let summary = await ctx.digest.summarize(posts, channel: channel, maxSentences: maxSentences)
        return [
            "summary": .string(summary.summary), "post_count": .int(summary.postCount), "channel": .string(channel),
            "method": .string(summary.method.rawValue), "language": .string(summary.language.rawValue),
        ]
    }

    static let formatDigestMarkdown = ToolDefinition(
        name: "format_digest_markdown",
        title: "Digest as markdown",
        hints: .readOnly,
        description: "Format channel summaries as a digest in markdown (title, contents, one section per channel).",
        inputSchema: Schema.object([
            "summaries": Schema.array("One entry per channel.", items: .object([
                "type": "object",
                "properties": .object([
                    "channel": Schema.string("Channel name or username."),
                    "title": Schema.string("Channel title."),
                    "summary": Schema.string("Summary text (markdown)."),
                    "post_count": Schema.integer("Number of posts.", minimum: 0),
                    "views": Schema.integer("Total views.", minimum: 0),
                ]),
                "required": ["channel", "summary"],
            ]), maxItems: 200),
            "metadata": .object([
                "type": "object",
                "description": .string("Digest header: title, date (ISO 8601; generation_date is accepted too), hours. "
                    + "Other keys (such as user_id) are ignored."),
                "properties": .object([
                    "title": Schema.string("Digest title."),
                    "date": Schema.string("ISO 8601 date of the digest."),
                    "generation_date": Schema.string("ISO 8601 date of the digest (the earlier system's name for date)."),
                    "hours": Schema.integer("Window in hours.", minimum: 1, maximum: 168),
                ]),
            ]),
        ], required: ["summaries"]),
        outputSchema: Schema.result(["markdown": Schema.outString, "sections_count": Schema.outInt])
    ) { args, ctx async throws(ToolError) in
        let items = try args.array("summaries", maxCount: 200)
        var summaries: [ChannelSummary] = []
        for (i, item) in items.enumerated() {
            summaries.append(try section(item, name: "summaries[\(i)]"))
        }
        let info = try digestInfo(try args.optionalObject("metadata"), now: ctx.now())
        let markdown = ctx.digest.markdown(summaries: summaries, title: info.title, date: info.date, hours: info.hours)
        return ["markdown": .string(markdown), "sections_count": .int(summaries.count)]
    }

    static let combineMarkdownSections = ToolDefinition(
        name: "combine_markdown_sections",
        title: "Combine markdown sections",
        hints: .readOnly,
        description: "Join markdown sections into one document. `template` is a template name (default, plain, dated; "
            + "an unknown name uses default) or a template string with {sections}, {date} and {title}.",
        inputSchema: Schema.object([
            "sections": Schema.array("Markdown sections.", items: Schema.string("A section."), maxItems: 500),
            "template": Schema.string("A template name, or a template with {sections}, {date}, {title} placeholders.",
                                      maxLength: 65536),
        ], required: ["sections"]),
        outputSchema: Schema.result(["combined_markdown": Schema.outString, "total_chars": Schema.outInt])
    ) { args, ctx async throws(ToolError) in
        let sections = try args.stringList("sections", maxCount: 500, maxLength: maxMarkdown) ?? []
        if args.present("sections") == nil {
            throw .invalidArguments(argument: "sections", reason: "required (an array of strings)")
        }
        let template = try args.optionalString("template", maxLength: 65536)
        let combined: String
        do throws(DigestError) {
            combined = try ctx.digest.combine(sections: sections, template: template, date: ctx.now())
        } catch {
            throw ToolError.from(digest: error)
        }
        return ["combined_markdown": .string(combined), "total_chars": .int(combined.count)]
    }

    static let convertMarkdownToPDF = ToolDefinition(
        name: "convert_markdown_to_pdf",
        title: "Markdown to PDF",
        hints: .readOnly,
        description: "Render markdown (CommonMark + GFM tables) to an A4 PDF. Returns the PDF (over MCP an application/pdf "
            + "resource, over REST base64 pdf_bytes), its size and its true page count. `style` is accepted for compatibility; the built-in renderer has one style.",
        inputSchema: Schema.object([
            "markdown": Schema.string("Markdown, at most 2 MB.", maxLength: maxMarkdown),
            "style": Schema.string("Ignored (compatibility with the earlier CSS option).", maxLength: 65536),
            "metadata": .object([
                "type": "object",
                "description": "Document metadata: title and author; other keys are ignored.",
                "properties": .object(["title": Schema.string("Title."), "author": Schema.string("Author.")]),
            ]),
        ], required: ["markdown"]),
        outputSchema: pdfResult([:])
    ) { args, ctx async throws(ToolError) in
        // The renderer enforces the 2 MB limit (in UTF-8 bytes, exactly) and counts a refusal in
        // pdf_generation_errors_total{error_type="input_too_large"}; the 8 MB body cap bounds what reaches it.
        let markdown = try args.string("markdown", maxLength: 4 * maxMarkdown)
        _ = try args.optionalString("style", maxLength: 65536)
        var title: String?
        var author: String?
        // Keys other than title and author (an earlier client's generation_date, user_id, …) are ignored.
        if let metadata = try args.optionalObject("metadata") {
            if let v = metadata["title"], !v.isNull { title = try ToolArguments.string(v, name: "metadata.title", maxLength: 1024) }
            if let v = metadata["author"], !v.isNull { author = try ToolArguments.string(v, name: "metadata.author", maxLength: 1024) }
        }
        let pdf: DigestDocument
        do throws(DigestError) {
            pdf = try await ctx.digest.render(markdown: markdown, title: title, author: author, date: ctx.now())
        } catch {
            throw ToolError.from(digest: error, markdownArgument: "markdown")
        }
        return ["pdf_bytes": ToolJSON.base64(pdf.data), "file_size": .int(pdf.data.count), "pages": .int(pdf.pages)]
    }

    static let getChannelDigest = ToolDefinition(
        name: "get_channel_digest",
        title: "Text digest of the user's channels",
        hints: .readOnlyOpenWorld,
        description: "Text digest of the user's channels for the last `hours`: one summary per channel.",
        inputSchema: Schema.object(["user_id": Schema.userID, "hours": Schema.hours(default: 24)], required: ["user_id"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "hours": Schema.outInt, "digests": Schema.list(of: channelDigestSchema),
                                     "channels_count": Schema.outInt, "total_posts": Schema.outInt, "text": Schema.outString])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let hours = try args.int("hours", default: 24, in: 1...168)
        let now = ctx.now()
        let groups: [ChannelPosts]
        do {
            groups = try await ctx.store.posts(forUser: userID, since: now.addingTimeInterval(-Double(hours) * 3600),
                                               until: now, limits: ctx.windowLimits)
        } catch {
            throw ToolError.from(store: error)
        }
        var digests: [Value] = []
        var texts: [String] = []
        var total = 0
        await ctx.report(0, of: groups.count, "summarizing \(groups.count) channels")
        for (done, group) in groups.enumerated() {
            try ctx.checkCancelled()
            let digest = await channelDigest(group.channel, posts: group.posts, ctx: ctx)
            await ctx.report(done + 1, of: groups.count, "\(group.channel.key) summarized")
            digests.append(digest)
            texts.append(digest.objectValue?["text"]?.stringValue ?? "")
            total += group.posts.count
        }
        let text = groups.isEmpty ? "No new posts in the last \(hours) hours." : texts.joined(separator: "\n\n")
        return ["user_id": ToolJSON.id(userID), "hours": .int(hours), "digests": .array(digests),
                "channels_count": .int(groups.count), "total_posts": .int(total), "text": .string(text)]
    }

    static let getChannelDigestByName = ToolDefinition(
        name: "get_channel_digest_by_name",
        title: "Text digest of one channel",
        hints: .readOnlyOpenWorld,
        description: "Text digest of one of the user's subscribed channels for the last `hours` (default 72).",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "channel_username": Schema.channelUsername,
            "hours": Schema.hours(default: 72),
        ], required: ["user_id", "channel_username"]),
        outputSchema: Schema.result(channelDigestFields.merging(["hours": Schema.outInt]) { a, _ in a })
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let ref = try args.channel()
        let hours = try args.int("hours", default: 72, in: 1...168)
        let now = ctx.now()
        let posts: [Post]
        let channel: Channel
        do {
            guard let found = try await ctx.store.subscription(userID: userID, ref: ref)?.channel else {
                throw ToolError.notFound("user \(userID) is not subscribed to '\(ref.key)'")
            }
            channel = found
            posts = try await ctx.store.posts(channelID: found.id, since: now.addingTimeInterval(-Double(hours) * 3600),
                                              until: now, limit: ctx.windowLimits.maxPostsPerChannel)
        } catch {
            throw ToolError.from(store: error)
        }
        var result = await channelDigest(channel, posts: posts, ctx: ctx).objectValue ?? [String: Value]()
        result["hours"] = .int(hours)
        return .object(result)
    }

    static let generatePDFDigest = ToolDefinition(
        name: "generate_pdf_digest",
        title: "PDF digest",
        hints: .readOnlyOpenWorld,
        description: "PDF digest of the user's channels for the last `hours`. Returns the PDF (over MCP an application/pdf "
            + "resource, over REST base64 pdf_bytes), its size, "
            + "true page count, and the number of channels and posts in it.",
        inputSchema: Schema.object(["user_id": Schema.userID, "hours": Schema.hours(default: 24)], required: ["user_id"]),
        outputSchema: pdfResult(["channels": Schema.out("integer", "Channels in the digest."), "posts": Schema.out("integer", "Posts in the digest.")])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let hours = try args.int("hours", default: 24, in: 1...168)
        let pdf: DigestPDF
        // Progress is the digest's steps (posts gathered, each channel section summarized, PDF rendered); a digest from
        // the cache has none and reports once, done.
        let reported = ProgressCount()
        let steps = digestProgress(ctx.progress, counting: reported)
        switch await pdfDigest(ctx, userID: userID, hours: hours, progress: steps) {
        case .success(let made): pdf = made
        case .failure(let error): throw ToolError.from(digest: error, templateArgument: "hours")
        }
        try ctx.checkCancelled()
        if reported.value == 0 {
            await ctx.report(max(1, pdf.channels), of: max(1, pdf.channels), "\(pdf.channels) channels, \(pdf.posts) posts, \(pdf.pages) pages")
        }
        return ["pdf_bytes": ToolJSON.base64(pdf.data), "file_size": .int(pdf.data.count), "pages": .int(pdf.pages),
                "channels": .int(pdf.channels), "posts": .int(pdf.posts)]
    }

    // MARK: Helpers

    /// The digest's steps as the tool's progress, counted in `count`.
    static func digestProgress(_ progress: ToolProgress?, counting count: ProgressCount) -> DigestProgress? {
        guard let progress else { return nil }
        return { done, total, message in
            count.add()
            await progress.report(done, total, message)
        }
    }

    /// The user's PDF digest, telling `progress` (when given) each step of the work.
    static func pdfDigest(_ ctx: ToolContext, userID: Int64, hours: Int, progress: DigestProgress?) async -> Result<DigestPDF, DigestError> {
        do throws(DigestError) {
            return .success(try await ctx.digest.pdf(userID: userID, hours: hours, now: ctx.now(), progress: progress))
        } catch {
            return .failure(error)
        }
    }

    static func channelDigest(_ channel: Channel, posts: [Post], ctx: ToolContext) async -> Value {
        let summary = await ctx.digest.summarize(posts, channel: channel.key, maxSentences: 5)
        let text = posts.isEmpty
            ? "\(channel.displayName): no posts in this window."
            : "\(channel.displayName) (\(posts.count) posts)\n\(summary.summary)"
        return [
            "channel": .string(channel.key), "title": .string(channel.displayName), "channel_id": ToolJSON.id(channel.id),
            "post_count": .int(posts.count), "summary": .string(summary.summary), "text": .string(text),
        ]
    }

    /// One entry of `summaries`: channel and summary are required; title, post_count and views are used when
    /// given; any other key (the earlier system's clients send more) is ignored.
    static func section(_ value: Value, name: String) throws(ToolError) -> ChannelSummary {
        guard case .object(let o) = value else { throw .invalidArguments(argument: name, reason: "must be an object {channel, summary, ...}") }
        func str(_ key: String, required: Bool, max: Int) throws(ToolError) -> String? {
            guard let v = o[key], !v.isNull else {
                if required { throw .invalidArguments(argument: "\(name).\(key)", reason: "required (a string)") }
                return nil
            }
            return try ToolArguments.string(v, name: "\(name).\(key)", maxLength: max)
        }
        func count(_ key: String) throws(ToolError) -> Int? {
            guard let v = o[key], !v.isNull else { return nil }
            let n = try ToolArguments.integer(v, name: "\(name).\(key)")
            guard n >= 0, n < 1_000_000_000_000 else { throw .invalidArguments(argument: "\(name).\(key)", reason: "must be a non-negative integer") }
            return Int(n)
        }
        let summary = try str("summary", required: true, max: maxMarkdown)!
        return ChannelSummary(channel: try str("channel", required: true, max: 2048)!, title: try str("title", required: false, max: 1024),
                              postCount: try count("post_count") ?? 0, totalViews: try count("views") ?? 0, summary: summary)
    }

    /// The digest header a client asked for.
    struct DigestInfo {
        var title: String?
        var date: Date
        var hours: Int
    }

    /// `metadata` of `format_digest_markdown`: title, date (or the earlier system's `generation_date`) and hours are
    /// used; other keys (`user_id`, …) are ignored, as the earlier system did.
    static func digestInfo(_ object: [String: Value]?, now: Date) throws(ToolError) -> DigestInfo {
        var info = DigestInfo(title: nil, date: now, hours: 24)
        guard let o = object else { return info }
        if let v = o["title"], !v.isNull { info.title = try ToolArguments.string(v, name: "metadata.title", maxLength: 1024) }
        for key in ["date", "generation_date"] {
            guard let v = o[key], !v.isNull else { continue }
            let s = try ToolArguments.string(v, name: "metadata.\(key)", maxLength: 64)
            guard let d = ToolJSON.parseDate(s) else { throw .invalidArguments(argument: "metadata.\(key)", reason: "not an ISO 8601 date") }
            info.date = d
            break
        }
        if let v = o["hours"], !v.isNull {
            let n = try ToolArguments.integer(v, name: "metadata.hours")
            guard (1...168).contains(n) else { throw .invalidArguments(argument: "metadata.hours", reason: "must be in 1…168, got \(n)") }
            info.hours = Int(n)
        }
        return info
    }
}

/// How many progress notifications a call sent.
final class ProgressCount: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
