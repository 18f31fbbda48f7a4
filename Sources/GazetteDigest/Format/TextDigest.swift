import Foundation
import GazetteCore

/// The digest as chat text: plain (for files and MCP) or Telegram HTML (escaped, links as `<a>`).
/// Every paragraph is self-contained, so `TextSplitter` can cut between any two of them.
public enum TextDigest {
    public enum Style: String, Sendable, CaseIterable {
        case plain
        case telegramHTML = "html"
    }

    public static func render(_ summaries: [ChannelSummary], metadata: DigestMetadata, style: Style) -> String {
        let posts = summaries.reduce(0) { $0 + $1.postCount }
        var paragraphs: [String] = []
        paragraphs.append(bold("\(metadata.title) — \(DigestDates.long(metadata.until))", style) + "\n"
            + escape("Last \(metadata.hours) hours · \(summaries.count) channels · \(posts) posts", style))
        if summaries.isEmpty {
            paragraphs.append(escape("No new posts in the last \(metadata.hours) hours.", style))
        }
        for summary in summaries {
            paragraphs += channel(summary, style: style)
        }
        return paragraphs.joined(separator: "\n\n")
    }

    /// One channel: a heading paragraph, then one paragraph per summary point and one for the top posts.
    public static func channel(_ summary: ChannelSummary, style: Style) -> [String] {
        var paragraphs = [bold(summary.title, style) + escape(" — \(summary.postCount) posts", style)]
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
                let views = post.views.map { " (\(DigestDates.count($0)) views)" } ?? ""
                let text = ExtractiveSummarizer.shorten(post.excerpt, to: 80)
                return post.url.map { link($0, text: text, style) + escape(views, style) } ?? escape(text + views, style)
            }
            paragraphs.append(escape("Top posts:", style) + "\n" + lines.joined(separator: "\n"))
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
