import Foundation
import GazetteCore

/// What one `t.me/s/<channel>` response turned out to be.
public enum PreviewPageContent: Sendable, Equatable {
    /// A channel preview (possibly with no posts).
    case channel(PreviewPage)
    /// Telegram's "contact" page for a name that exists but has no public preview (a private-preview
    /// channel, a group, a user or a bot).
    case noPublicPreview(title: String)
    /// Telegram's page for a username nobody has.
    case notFound
}

/// The posts and header of one preview page.
public struct PreviewPage: Sendable, Equatable {
    /// Oldest first, as on the page.
    public var posts: [Post]
    public var metadata: ChannelMetadata?
    /// The `?before=` cursor of the "load more" link, nil on the channel's first page.
    public var before: Int64?
    /// How many message blocks the page had, including ones that could not be read; service messages not counted.
    public var messageBlocks: Int
    /// How many service messages ("Channel created", a new title or photo, a pin…) the page had. They are not posts
    /// and are left out of `posts`.
    public var serviceMessages: Int

    public init(posts: [Post], metadata: ChannelMetadata?, before: Int64?, messageBlocks: Int, serviceMessages: Int = 0) {
        self.posts = posts
        self.metadata = metadata
        self.before = before
        self.messageBlocks = messageBlocks
        self.serviceMessages = serviceMessages
    }
}

/// Parses Telegram's public channel preview HTML with libxml2's HTML parser and XPath (never regular expressions).
public enum TelegramPreviewParser {
    private static func c(_ name: String) -> String { MarkupDocument.hasClass(name) }

    /// - Parameters:
    ///   - channel: the channel key posts are attributed to (`Post.channel`).
    ///   - baseURL: used to resolve relative links (`?q=%23tag`, `/s/…`).
    public static func parse(_ data: Data, channel: String, baseURL: URL) throws(SourceError) -> PreviewPageContent {
        guard let doc = MarkupDocument(html: data) else {
            throw .layoutChanged(channel: channel, detail: "the page is empty or not HTML")
        }
        let allBlocks = doc.select("//div[\(c("tgme_widget_message")) and @data-post]")
        let history = doc.select("//section[\(c("tgme_channel_history"))]").first
        let info = doc.select("//div[\(c("tgme_channel_info"))]").first

        if allBlocks.isEmpty, history == nil, info == nil {
            // Not a preview: Telegram's stand-alone page for the name, or something else entirely.
            if doc.select("//div[\(c("tgme_page"))]").first != nil {
                let title = doc.select("//div[\(c("tgme_page_title"))]").first?.normalizedText ?? ""
                return title.isEmpty ? .notFound : .noPublicPreview(title: title)
            }
            throw .layoutChanged(channel: channel, detail: "no channel history, channel header or message blocks found")
        }

        // Service messages have the block markup of a post (id, date, a line of text) but are not content: never posts,
        // and never "unreadable" either, so a page of only service messages is a channel without posts.
        let blocks = allBlocks.filter { !isServiceMessage($0) }
        var posts: [Post] = []
        posts.reserveCapacity(blocks.count)
        for block in blocks {
            if let post = parsePost(block, channel: channel, baseURL: baseURL) { posts.append(post) }
        }
        if !blocks.isEmpty, posts.isEmpty {
            throw .layoutChanged(channel: channel, detail: "\(blocks.count) message blocks but none had an id and a date")
        }
        let before = doc.select("//a[\(c("tme_messages_more")) and @data-before]").first?.attribute("data-before").flatMap { Int64($0) }
        return .channel(PreviewPage(posts: posts, metadata: info.map(parseMetadata), before: before, messageBlocks: blocks.count,
                                    serviceMessages: allBlocks.count - blocks.count))
    }

    /// t.me marks service messages with a `service_message` class on the message block.
    static func isServiceMessage(_ block: MarkupNode) -> Bool {
        block.classes.contains("service_message")
    }

    static func parseMetadata(_ info: MarkupNode) -> ChannelMetadata {
        var meta = ChannelMetadata()
        meta.title = info.first(".//div[\(c("tgme_channel_info_header_title"))]")?.normalizedText.nonEmpty
        if let description = info.first(".//div[\(c("tgme_channel_info_description"))]") {
            meta.description = RichText.extract(description).text.nonEmpty
        }
        meta.photoURL = info.first(".//i[\(c("tgme_page_photo_image"))]//img/@src")?.content.nonEmpty
        for counter in info.select(".//div[\(c("tgme_channel_info_counter"))]") {
            let type = counter.first(".//span[\(c("counter_type"))]")?.normalizedText.lowercased() ?? ""
            if type.hasPrefix("subscriber") || type.hasPrefix("member") {
                meta.subscribers = counter.first(".//span[\(c("counter_value"))]").flatMap { TextNormalizer.compactCount($0.normalizedText) }
            }
        }
        return meta
    }

    /// One message block; nil when it has no readable id or date (unknown layout).
    static func parsePost(_ block: MarkupNode, channel: String, baseURL: URL) -> Post? {
        guard let dataPost = block.attribute("data-post"),
              let idPart = dataPost.split(separator: "/").last, let id = Int64(idPart), id > 0 else { return nil }
        let dateLink = block.first(".//a[\(c("tgme_widget_message_date"))]")
        guard let datetime = dateLink?.first(".//time/@datetime")?.content, let date = DateParsing.iso8601(datetime) else {
            return nil
        }
        // The replied-to message's excerpt is nested in the block with the same classes: skip it.
        let notInReply = "not(ancestor::*[\(c("tgme_widget_message_reply"))])"
        var text = ""
        var html: String?
        if let body = block.first(".//div[\(c("tgme_widget_message_text")) and \(notInReply)]") {
            let rich = RichText.extract(body, baseURL: baseURL)
            text = rich.text
            html = rich.html.nonEmpty
        }
        var media: [MediaSummary] = []
        for (kind, xpath) in mediaQueries {
            let n = block.select(".//\(xpath) and \(notInReply)]").count
            if n > 0 { media.append(MediaSummary(kind: kind, count: n)) }
        }
        if let poll = block.first(".//div[\(c("tgme_widget_message_poll"))]") {
            let pollText = pollDescription(poll)
            text = text.isEmpty ? pollText : text + "\n\n" + pollText
        }
        let forwarded = block.first(".//*[\(c("tgme_widget_message_forwarded_from_name"))]")?.normalizedText.nonEmpty
            ?? block.first(".//div[\(c("tgme_widget_message_forwarded_from"))]").map {
                TextNormalizer.collapse($0.content.replacingOccurrences(of: "Forwarded from", with: ""))
            }?.nonEmpty
        let previewTitle = block.first(".//a[\(c("tgme_widget_message_link_preview"))]//div[\(c("link_preview_title"))]")?.normalizedText.nonEmpty
            ?? block.first(".//a[\(c("tgme_widget_message_link_preview"))]//div[\(c("link_preview_site_name"))]")?.normalizedText.nonEmpty
        let views = block.first(".//span[\(c("tgme_widget_message_views"))]").flatMap { TextNormalizer.compactCount($0.normalizedText) }
        let url = dateLink?.attribute("href").flatMap { RichText.resolve($0, baseURL: baseURL) }
            ?? baseURL.appendingPathComponent(channel).appendingPathComponent(String(id)).absoluteString
        return Post(channel: channel, messageID: id, text: text, html: html, date: date, views: views, url: url,
                    media: media, forwardedFrom: forwarded, linkPreviewTitle: previewTitle,
                    images: ImageReferences.preview(block, baseURL: baseURL, notInReply: notInReply))
    }

    /// Media kinds and the XPath (without the closing `]`) of one element per item.
    private static let mediaQueries: [(String, String)] = [
        ("photo", "a[\(c("tgme_widget_message_photo_wrap"))"),
        ("video", "a[\(c("tgme_widget_message_video_player")) and not(\(c("tgme_widget_message_roundvideo_player")))"),
        ("round_video", "a[\(c("tgme_widget_message_roundvideo_player"))"),
        ("voice", "*[\(c("tgme_widget_message_voice_player"))"),
        ("document", "*[\(c("tgme_widget_message_document_wrap"))"),
        ("sticker", "*[\(c("tgme_widget_message_sticker_wrap"))"),
        ("location", "*[\(c("tgme_widget_message_location_wrap"))"),
        ("poll", "div[\(c("tgme_widget_message_poll"))"),
    ]

    /// `📊 Question (Anonymous Poll)` followed by one `• option — 16%` line per option.
    static func pollDescription(_ poll: MarkupNode) -> String {
        let question = poll.first(".//div[\(c("tgme_widget_message_poll_question"))]")?.normalizedText ?? ""
        let type = poll.first(".//div[\(c("tgme_widget_message_poll_type"))]")?.normalizedText ?? ""
        var lines = ["📊 " + question + (type.isEmpty ? "" : " (\(type))")]
        for option in poll.select(".//div[\(c("tgme_widget_message_poll_option"))]") {
            let label = option.first(".//div[\(c("tgme_widget_message_poll_option_text"))]")?.normalizedText ?? ""
            let percent = option.first(".//div[\(c("tgme_widget_message_poll_option_percent"))]")?.normalizedText ?? ""
            lines.append("• " + label + (percent.isEmpty ? "" : " — " + percent))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
