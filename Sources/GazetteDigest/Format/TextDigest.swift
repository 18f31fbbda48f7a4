import Foundation
import GazetteCore

/// The digest as chat text: plain (for files and MCP) or Telegram HTML (escaped, links as `<a>`).
/// Every paragraph is self-contained, so `TextSplitter` can cut between any two of them.
public enum TextDigest {
    public enum Style: String, Sendable, CaseIterable {
        case plain
        case telegramHTML = "html"
    }

    /// A digest in the same order as its markdown: heading, top stories, then the channels.
    public static func render(_ result: DigestResult, style: Style) -> String {
        render(result.summaries, metadata: result.metadata, style: style, stories: result.stories, references: result.references)
    }

    public static func render(_ summaries: [ChannelSummary], metadata: DigestMetadata, style: Style,
                              stories: [Story]? = nil, references: [String: [Int]] = [:]) -> String {
        let w = DigestWords(metadata.language)
        let posts = summaries.reduce(0) { $0 + $1.postCount }
        var paragraphs: [String] = []
        paragraphs.append(bold("\(w.title(metadata.title)) — \(w.long(metadata.until))", style) + "\n"
            + escape("\(w.window(metadata.hours)) · \(w.channels(summaries.count)) · \(w.posts(posts))", style))
        if summaries.isEmpty {
            paragraphs.append(escape(w.noPosts(metadata.hours), style))
        }
        if let stories, !stories.isEmpty {
            paragraphs.append(bold(w.topStories, style))
            for (i, story) in stories.enumerated() { paragraphs += self.story(story, number: i + 1, words: w, style: style) }
        }
        for summary in summaries {
            paragraphs += channel(summary, style: style, references: references[summary.channel] ?? [], words: w)
        }
        if metadata.hiddenByFilters > 0 { paragraphs.append(escape(w.hidden(metadata.hiddenByFilters), style)) }
        if !metadata.unreadChannels.isEmpty { paragraphs.append(escape(w.unread(metadata.unreadChannels), style)) }
        return paragraphs.joined(separator: "\n\n")
    }

    /// One story: its headline with who reported it, then one line per post with its link.
    static func story(_ story: Story, number: Int, words w: DigestWords, style: Style) -> [String] {
        var head = bold("\(number). \(story.title)", style) + "\n"
        var facts = "\(w.channels(story.corroboration)): \(story.channelTitles.joined(separator: ", ")) · \(w.firstReport) \(w.short(story.firstReport))"
        if story.isUpdate { facts = "\(w.updated) · " + facts }
        head += escape(facts, style)
        var paragraphs = [head]
        if !story.summary.isEmpty { paragraphs.append(escape(story.summary, style)) }
        let fresh = Set(story.newPostIDs ?? [])
        // Link lines in groups small enough for one message each.
        var lines: [String] = []
        for post in story.posts {
            let label = "\(post.channelTitle), \(w.short(post.date))" + (fresh.contains(post.id) ? " (\(w.new))" : "")
            lines.append(post.url.map { link($0, text: label, style) } ?? escape(label, style))
        }
        for start in stride(from: 0, to: lines.count, by: 20) {
            paragraphs.append(lines[start..<min(lines.count, start + 20)].joined(separator: "\n"))
        }
        return paragraphs
    }

    /// One channel: a heading paragraph, then one paragraph per summary point and one for the top posts.
    public static func channel(_ summary: ChannelSummary, style: Style, references: [Int] = [],
                               words w: DigestWords = DigestWords(.english)) -> [String] {
        var paragraphs = [bold(summary.title, style) + escape(" — \(w.posts(summary.postCount))", style)]
        let allInStories = !references.isEmpty && summary.summary.isEmpty && summary.topPosts.isEmpty
        if !references.isEmpty { paragraphs.append(escape(w.inTopStories(references, all: allInStories), style)) }
        if allInStories { return paragraphs }
        if summary.points.isEmpty {
            paragraphs.append(escape(summary.summary, style))
        } else {
            for point in summary.points {
                var line = escape("• " + point.text, style)
                for url in point.links { line += " " + link(url, text: "→", style) }
                paragraphs.append(line)
            }
        }
        if !summary.topPosts.isEmpty {
            let lines = summary.topPosts.map { post in
                let views = post.views.map { " (\(w.views($0)))" } ?? ""
                let text = ExtractiveSummarizer.shorten(post.excerpt, to: 80)
                return post.url.map { link($0, text: text, style) + escape(views, style) } ?? escape(text + views, style)
            }
            paragraphs.append(escape("\(w.topPosts):", style) + "\n" + lines.joined(separator: "\n"))
        }
        return paragraphs
    }

    private static func link(_ url: String, text: String, _ style: Style) -> String {
        switch style {
        case .plain: text == "→" ? url : "\(text) — \(url)"
        case .telegramHTML: "<a href=\"\(html(url, quote: true))\">\(html(text, quote: false))</a>"
        }
    }

    private static func bold(_ text: String, _ style: Style) -> String {
        style == .plain ? text : "<b>\(html(text, quote: false))</b>"
    }

    private static func escape(_ text: String, _ style: Style) -> String {
        style == .plain ? text : html(text, quote: false)
    }

    static func html(_ text: String, quote: Bool) -> String {
        HTMLEscaping.escape(text, quotes: quote)
    }
}
