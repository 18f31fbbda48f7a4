import Foundation

/// What the digest says about itself: title, window and how it was made.
public struct DigestMetadata: Sendable, Hashable, Codable {
    public var title: String
    public var since: Date
    public var until: Date
    public var generatedAt: Date
    public var summarizer: SummaryMethod
    public var version: String?

    public init(title: String = "Gazette digest", since: Date, until: Date, generatedAt: Date? = nil,
                summarizer: SummaryMethod = .extractive, version: String? = nil) {
        self.title = title
        self.since = since
        self.until = until
        self.generatedAt = generatedAt ?? until
        self.summarizer = summarizer
        self.version = version
    }

    /// The window in whole hours (at least 1).
    public var hours: Int { max(1, Int((until.timeIntervalSince(since) / 3600).rounded())) }
}

/// A formatted digest document.
public struct FormattedDigest: Sendable, Hashable {
    public var markdown: String
    public var sectionsCount: Int
}

/// Builds the digest's markdown: title with date and window, contents, an overview chart, one section per
/// channel (title, post count, summary, top posts with links and views) and a footer saying how it was made.
///
/// Everything that comes from posts or channel titles is escaped, so a post can never inject markup.
public struct DigestFormatter: Sendable {
    public static let chartTitle = "Posts and views per channel"
    public static let defaultTemplate = "# {title}\n\n{date}\n\n{sections}\n"
    /// Templates a client may ask for by name (the earlier system's `combine_markdown_sections` took a name,
    /// `"default"`). An unknown name falls back to the default template, as it did there.
    public static let namedTemplates: [String: String] = [
        "default": defaultTemplate,
        "plain": "{sections}\n",
        "dated": "{date}\n\n{sections}\n",
    ]

    public init() {}

    /// The whole digest document.
    public func format(summaries: [ChannelSummary], metadata: DigestMetadata) -> FormattedDigest {
        let posts = summaries.reduce(0) { $0 + $1.postCount }
        var blocks: [String] = []
        blocks.append("# \(MarkdownText.escape(metadata.title)) — \(DigestDates.long(metadata.until))")
        blocks.append("Last \(metadata.hours) \(metadata.hours == 1 ? "hour" : "hours"): "
            + "\(DigestDates.medium(metadata.since)) – \(DigestDates.medium(metadata.until)) UTC · "
            + "\(plural(summaries.count, "channel")) · \(plural(posts, "post"))")
        if summaries.isEmpty {
            blocks.append("No new posts in the last \(plural(metadata.hours, "hour")).")
        } else {
            blocks.append("## Contents")
            blocks.append(summaries.enumerated().map { i, s in
                "\(i + 1). \(MarkdownText.escape(s.title)) — \(plural(s.postCount, "post"))"
            }.joined(separator: "\n"))
            blocks.append("## Overview")
            blocks.append(chart(summaries))
            for summary in summaries { blocks.append(section(summary)) }
        }
        blocks.append("---")
        blocks.append(footer(metadata, channels: summaries.count, posts: posts))
        return FormattedDigest(markdown: blocks.joined(separator: "\n\n") + "\n", sectionsCount: summaries.count)
    }

    /// The sections alone (the MCP tool `format_digest_markdown`): one per channel with a heading line
    /// that carries the window, ready for `combine(sections:template:title:date:)`.
    public func formatSections(summaries: [ChannelSummary], metadata: DigestMetadata) -> FormattedDigest {
        let markdown = summaries.map(section).joined(separator: "\n\n")
        return FormattedDigest(markdown: markdown.isEmpty ? "" : markdown + "\n", sectionsCount: summaries.count)
    }

    /// One channel's section.
    public func section(_ summary: ChannelSummary) -> String {
        var parts: [String] = ["## \(MarkdownText.escape(summary.title))"]
        var facts = [plural(summary.postCount, "post")]
        if summary.totalViews > 0 { facts.append("\(DigestDates.count(summary.totalViews)) views") }
        if summary.title != summary.channel { facts.append(MarkdownText.escape(channelHandle(summary.channel))) }
        parts.append(facts.joined(separator: " · "))
        parts.append(summary.summary.isEmpty ? "_No summary._" : summary.summary)
        if !summary.topPosts.isEmpty {
            parts.append("**Top posts**")
            parts.append(summary.topPosts.enumerated().map { i, post in
                let excerpt = MarkdownText.escape(post.excerpt.isEmpty ? "Post \(post.messageID)" : post.excerpt)
                let linked = post.url.map { "[\(excerpt)](\(MarkdownText.escapeURL($0)))" } ?? excerpt
                var line = "\(i + 1). \(linked) — "
                if let views = post.views { line += "\(DigestDates.count(views)) views · " }
                return line + DigestDates.short(post.date)
            }.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n")
    }

    /// The overview chart the PDF renderer draws; as text it reads like a small table.
    public func chart(_ summaries: [ChannelSummary]) -> String {
        var lines = ["```gazette-chart", "title: \(Self.chartTitle)", "channel | posts | views"]
        for s in summaries { lines.append("\(MarkdownText.chartCell(s.title)) | \(s.postCount) | \(s.totalViews)") }
        lines.append("```")
        return lines.joined(separator: "\n")
    }

    /// Joins sections into one document (the MCP tool `combine_markdown_sections`). `template` is a name
    /// (`default`, `plain`, `dated`; any other name means `default`) or a template string that may use `{title}`,
    /// `{date}` and must use `{sections}`; placeholders inside the sections are left alone.
    public func combine(sections: [String], template: String? = nil, title: String = "Gazette digest",
                        date: Date) throws(DigestError) -> String {
        let template = Self.resolve(template)
        guard template.contains("{sections}") else {
            throw .invalidTemplate("it has no {sections} placeholder (placeholders: {title}, {date}, {sections})")
        }
        let values = [
            "title": MarkdownText.escape(title),
            "date": DigestDates.long(date),
            "sections": sections.map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }.joined(separator: "\n\n"),
        ]
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            if let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])] {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out.append("{")
                rest = rest[rest.index(after: open)...]
            }
        }
        return out + rest
    }

    /// A template string as given, or the template a name stands for. A name is a short word without braces or
    /// line breaks (`default`, `weekly-digest`); anything else is taken as a template string.
    static func resolve(_ template: String?) -> String {
        guard let template else { return defaultTemplate }
        let name = template.trimmingCharacters(in: .whitespaces)
        let isName = !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
        guard isName else { return template }
        return namedTemplates[name.lowercased()] ?? defaultTemplate
    }

    private func footer(_ metadata: DigestMetadata, channels: Int, posts: Int) -> String {
        var text = "_Generated by Gazette"
        if let version = metadata.version { text += " \(version)" }
        text += " on \(DigestDates.medium(metadata.generatedAt)) UTC · summarizer: \(metadata.summarizer.rawValue)"
        text += " · window \(metadata.hours) h · \(plural(channels, "channel")), \(plural(posts, "post"))_"
        return text
    }

    private func channelHandle(_ key: String) -> String {
        key.hasPrefix("http") || key.hasPrefix("botapi:") ? key : "@" + key
    }

    private func plural(_ n: Int, _ word: String) -> String {
        "\(DigestDates.count(n)) \(word)\(n == 1 ? "" : "s")"
    }
}
