import Foundation
import GazetteMarkdown

/// What the digest says about itself: title, window and how it was made.
public struct DigestMetadata: Sendable, Hashable, Codable {
    public var title: String
    public var since: Date
    public var until: Date
    public var generatedAt: Date
    public var summarizer: SummaryMethod
    public var version: String?
    /// The language of the digest's own words.
    public var language: DigestLanguage
    /// Posts the reader's filters left out (the footer says how many).
    public var hiddenByFilters: Int
    /// Subscribed channels the digest could not read, each with why (e.g. "Private Club (waiting for login)").
    public var unreadChannels: [String] = []

    public init(title: String = "Gazette digest", since: Date, until: Date, generatedAt: Date? = nil,
                summarizer: SummaryMethod = .extractive, version: String? = nil, language: DigestLanguage = .english,
                hiddenByFilters: Int = 0) {
        self.language = language
        self.hiddenByFilters = hiddenByFilters
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

/// Builds the digest's markdown: title with date and window, contents, an overview chart, the top stories (each a
/// `### ` block with the links of all its posts), one `## ` section per channel (title, post count, summary, top
/// posts with links and views; a story already shown is a one-line reference) and a footer saying how it was made.
/// `### ` headings are used for stories only. Without stories (`--by-channel`) the layout is the earlier one.
///
/// Everything that comes from posts or channel titles is escaped, so a post can never inject markup.
public struct DigestFormatter: Sendable {
    public static let defaultTemplate = "# {title}\n\n{date}\n\n{sections}\n"
    /// Templates a client may ask for by name (the earlier system's `combine_markdown_sections` took a name,
    /// `"default"`). An unknown name falls back to the default template, as it did there.
    public static let namedTemplates: [String: String] = [
        "default": defaultTemplate,
        "plain": "{sections}\n",
        "dated": "{date}\n\n{sections}\n",
    ]

    /// Whether stories and channel sections show a picture (`![alt](original URL)`, issue 16).
    public var images: Bool

    public init(images: Bool = false) {
        self.images = images
    }

    /// One picture as markdown: the alt text names the channel (it stands in when the picture cannot be shown) and the
    /// destination is the picture's original URL, so any markdown renderer can show it.
    func picture(_ url: String, channel: String, words w: DigestWords) -> String {
        "![\(MarkdownText.escape("\(w.photo) — \(channel)"))](\(MarkdownText.escapeURL(url)))"
    }

    /// The whole digest document, one section per channel (the `--by-channel` layout).
    public func format(summaries: [ChannelSummary], metadata: DigestMetadata) -> FormattedDigest {
        format(stories: nil, summaries: summaries, references: [:], metadata: metadata)
    }

    /// The whole digest document. `stories` (when not nil) are the top stories, shown first; `references` maps a
    /// channel key to the numbers of the top stories it reported; a channel whose summary counts no post left
    /// has all its posts in top stories.
    public func format(stories: [Story]?, summaries: [ChannelSummary], references: [String: [Int]],
                       metadata: DigestMetadata) -> FormattedDigest {
        let w = DigestWords(metadata.language)
        let posts = summaries.reduce(0) { $0 + $1.postCount }
        var blocks: [String] = []
        blocks.append("# \(MarkdownText.escape(w.title(metadata.title))) — \(w.long(metadata.until))")
        blocks.append("\(w.window(metadata.hours)): "
            + "\(w.medium(metadata.since)) – \(w.medium(metadata.until)) \(w.utc) · "
            + "\(w.channels(summaries.count)) · \(w.posts(posts))")
        if summaries.isEmpty {
            blocks.append(w.noPosts(metadata.hours))
        } else {
            blocks.append("## \(w.contents)")
            var contents: [String] = []
            if let stories, !stories.isEmpty { contents.append("\(w.topStories) — \(w.stories(stories.count))") }
            contents += summaries.map { "\(MarkdownText.escape($0.title)) — \(w.posts($0.postCount))" }
            blocks.append(contents.enumerated().map { "\($0 + 1). \($1)" }.joined(separator: "\n"))
            blocks.append("## \(w.overview)")
            blocks.append(chart(summaries, words: w))
            if let stories, !stories.isEmpty {
                blocks.append("## \(w.topStories)")
                for (i, story) in stories.enumerated() { blocks.append(block(story, number: i + 1, words: w)) }
            }
            for summary in summaries {
                blocks.append(section(summary, references: references[summary.channel] ?? [], words: w))
            }
        }
        if !metadata.unreadChannels.isEmpty {
            blocks.append("_" + MarkdownText.escape(w.unread(metadata.unreadChannels)) + "_")
        }
        blocks.append("---")
        blocks.append("_" + w.footer(version: metadata.version, generatedAt: metadata.generatedAt, method: metadata.summarizer,
                                     hours: metadata.hours, channels: summaries.count, posts: posts,
                                     stories: stories.map(\.count), hidden: metadata.hiddenByFilters) + "_")
        return FormattedDigest(markdown: blocks.joined(separator: "\n\n") + "\n", sectionsCount: summaries.count)
    }

    /// One story: a `### ` heading, who reported it and when, the summary, and a link to every post it merges.
    public func block(_ story: Story, number: Int, words w: DigestWords = DigestWords(.english)) -> String {
        var parts = ["### \(number). \(MarkdownText.escape(story.title))"]
        var facts = [w.channels(story.corroboration) + ": " + story.channelTitles.map(MarkdownText.escape).joined(separator: ", ")]
        facts.append("\(w.firstReport) \(w.short(story.firstReport)) \(w.utc)")
        if story.totalViews > 0 { facts.append(w.views(story.totalViews)) }
        if let new = story.newPostIDs { facts.insert("**\(w.updated)**", at: 0); _ = new }
        parts.append(facts.joined(separator: " · "))
        if images, let shown = story.picture, let url = shown.imageURL {
            parts.append(picture(url, channel: shown.channelTitle, words: w))
        }
        if !story.summary.isEmpty { parts.append(MarkdownText.escape(story.summary)) }
        let fresh = Set(story.newPostIDs ?? [])
        parts.append(story.posts.map { post in
            let label = MarkdownText.escape("\(post.channelTitle), \(w.short(post.date))")
            let linked = post.url.map { "[\(label)](\(MarkdownText.escapeURL($0)))" } ?? label
            var line = "- \(linked)"
            if fresh.contains(post.id) { line += " **\(w.new)**" }
            if !post.excerpt.isEmpty && !Self.repeats(post.excerpt, story.title) { line += " — " + MarkdownText.escape(post.excerpt) }
            return line
        }.joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }

    /// Whether a post's first line only repeats the story's headline (both may be shortened with "…"): then its link
    /// line shows the channel and time alone, so a single-post story does not print its headline twice (issue 25).
    static func repeats(_ excerpt: String, _ title: String) -> Bool {
        func core(_ s: String) -> String {
            var s = s.trimmingCharacters(in: .whitespaces)
            if s.hasSuffix("…") { s.removeLast() }
            return s.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)).lowercased()
        }
        let a = core(excerpt), b = core(title)
        return a.hasPrefix(b) || b.hasPrefix(a)
    }

    /// The sections alone (the MCP tool `format_digest_markdown`): one per channel with a heading line
    /// that carries the window, ready for `combine(sections:template:title:date:)`.
    public func formatSections(summaries: [ChannelSummary], metadata: DigestMetadata) -> FormattedDigest {
        let markdown = summaries.map { section($0) }.joined(separator: "\n\n")
        return FormattedDigest(markdown: markdown.isEmpty ? "" : markdown + "\n", sectionsCount: summaries.count)
    }

    /// One channel's section. `references` are the numbers of the top stories the channel reported; when the
    /// summary's points and top posts are empty, all of the channel's posts are in those stories.
    public func section(_ summary: ChannelSummary, references: [Int] = [], words w: DigestWords = DigestWords(.english)) -> String {
        var parts: [String] = ["## \(MarkdownText.escape(summary.title))"]
        var facts = [w.posts(summary.postCount)]
        if summary.totalViews > 0 { facts.append(w.views(summary.totalViews)) }
        if summary.title != summary.channel { facts.append(MarkdownText.escape(channelHandle(summary.channel))) }
        parts.append(facts.joined(separator: " · "))
        let allInStories = !references.isEmpty && summary.summary.isEmpty && summary.topPosts.isEmpty
        if !references.isEmpty { parts.append(w.inTopStories(references, all: allInStories)) }
        if allInStories { return parts.joined(separator: "\n\n") }
        parts.append(summary.summary.isEmpty ? "_\(w.noSummary)_" : summary.summary)
        if !summary.topPosts.isEmpty {
            parts.append("**\(w.topPosts)**")
            // One picture per channel: the first top post (the most viewed) that has one.
            if images, let url = summary.topPosts.lazy.compactMap(\.imageURL).first {
                parts.append(picture(url, channel: summary.title, words: w))
            }
            parts.append(summary.topPosts.enumerated().map { i, post in
                let excerpt = MarkdownText.escape(post.excerpt.isEmpty ? "\(w.language == .russian ? "Пост" : "Post") \(post.messageID)" : post.excerpt)
                let linked = post.url.map { "[\(excerpt)](\(MarkdownText.escapeURL($0)))" } ?? excerpt
                var line = "\(i + 1). \(linked) — "
                if let views = post.views { line += "\(w.views(views)) · " }
                return line + w.short(post.date)
            }.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n")
    }

    /// The overview chart (`ChartBlock`: bars in the PDF, a table on the web page); as text it reads like a small
    /// table. At most `ChartBlock.maxRows` channels, in the digest's order.
    public func chart(_ summaries: [ChannelSummary], words: DigestWords = DigestWords(.english)) -> String {
        ChartBlock(title: words.chartTitle, legend: words.chartLegend,
                   rows: summaries.map { ChartBlock.Row(label: $0.title, posts: $0.postCount, views: $0.totalViews) }).markdown
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

    private func channelHandle(_ key: String) -> String {
        key.hasPrefix("http") || key.hasPrefix("botapi:") ? key : "@" + key
    }
}
