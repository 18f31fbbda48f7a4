import Foundation
import GazetteCore

/// The language a channel's posts are written in, as far as the summarizers care.
public enum DigestLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case russian = "ru"
    case english = "en"

    /// Cyrillic letters outnumbering Latin ones means Russian; everything else is treated as English.
    public static func detect(_ texts: some Sequence<String>) -> DigestLanguage {
        var cyrillic = 0
        var latin = 0
        for text in texts {
            for scalar in text.unicodeScalars where scalar.fastIsAlphabetic {
                switch scalar.value {
                case 0x0400...0x04FF: cyrillic += 1
                case 0x41...0x5A, 0x61...0x7A: latin += 1
                default: break
                }
            }
        }
        return cyrillic > latin ? .russian : .english
    }
}

/// Which summarizer produced a summary (shown in the digest footer).
public enum SummaryMethod: String, Sendable, Hashable, Codable {
    case extractive
    case llm
}

/// A post picked to be shown with a link under a channel's summary.
public struct TopPost: Sendable, Hashable, Codable {
    public var messageID: Int64
    public var url: String?
    public var views: Int?
    public var date: Date
    /// The post's first sentence, shortened.
    public var excerpt: String
    /// The post's first picture a digest can show, when it has one (issue 16).
    public var imageURL: String?

    public init(messageID: Int64, url: String?, views: Int?, date: Date, excerpt: String, imageURL: String? = nil) {
        self.imageURL = imageURL
        self.messageID = messageID
        self.url = url
        self.views = views
        self.date = date
        self.excerpt = excerpt
    }
}

/// One point of a summary: plain text (not markdown) and the links of the posts it comes from.
public struct SummaryPoint: Sendable, Hashable, Codable {
    public var text: String
    public var links: [String]
    public init(text: String, links: [String] = []) {
        self.text = text
        self.links = links
    }

    /// The markdown bullet list of points, cut to `ChannelSummary.maxCharacters`.
    public static func markdown(_ points: [SummaryPoint]) -> String {
        var lines: [String] = []
        var total = 0
        for point in points {
            var line = "- " + MarkdownText.escape(point.text)
            for link in point.links { line += " [→](\(MarkdownText.escapeURL(link)))" }
            if total + line.count + 1 > ChannelSummary.maxCharacters { break }
            lines.append(line)
            total += line.count + 1
        }
        return lines.joined(separator: "\n")
    }
}

/// What a summarizer says about one channel's posts in a window.
public struct ChannelSummary: Sendable, Hashable, Codable {
    /// The channel key (`ChannelRef.key`).
    public var channel: String
    /// What people see as the channel's name; the key until the caller knows the title.
    public var title: String
    public var postCount: Int
    /// Sum of the posts' views (posts without a view count add nothing).
    public var totalViews: Int
    /// Markdown bullet list, at most `ChannelSummary.maxCharacters` characters; links point at the posts.
    public var summary: String
    /// The same summary as structured points (empty when the summary came as free text, e.g. from an MCP client).
    public var points: [SummaryPoint]
    public var topPosts: [TopPost]
    public var method: SummaryMethod
    public var language: DigestLanguage

    public static let maxCharacters = 3000

    public init(channel: String, title: String? = nil, postCount: Int, totalViews: Int = 0, summary: String,
                points: [SummaryPoint] = [], topPosts: [TopPost] = [], method: SummaryMethod = .extractive,
                language: DigestLanguage? = nil) {
        self.points = points
        self.channel = channel
        self.title = title ?? channel
        self.postCount = postCount
        self.totalViews = totalViews
        self.summary = summary
        self.topPosts = topPosts
        self.method = method
        self.language = language ?? DigestLanguage.detect([summary])
    }
}

/// Which summarizer made a summary, with what model and prompt: part of the summary cache's key (issue 28).
public struct SummarizerIdentity: Sendable, Hashable {
    public var method: SummaryMethod
    /// The model and whatever else shapes its answers (the LLM's input budget); empty for the extractive summarizer.
    public var model: String
    /// Raised whenever the prompt (or the extractive algorithm) changes what it writes, so summaries made by the
    /// earlier one are not reused.
    public var version: Int

    public init(method: SummaryMethod, model: String, version: Int) {
        self.method = method
        self.model = model
        self.version = version
    }
}

/// A summary and what making it took.
public struct SummaryAttempt: Sendable {
    public var summary: ChannelSummary
    /// Requests sent to the LLM for it (none by the extractive summarizer, or when no post had text).
    public var llmCalls: Int
    /// The summarizer could not make its own summary and returned the extractive fallback (an LLM failure): the summary
    /// cache must not keep it as the summarizer's.
    public var fellBack: Bool
    /// The model's answers to the requests it was sent (the map and reduce steps), to be kept for reuse: they stay good
    /// answers to those requests even when a later step failed.
    public var answers: [LLMAnswer]

    public init(summary: ChannelSummary, llmCalls: Int = 0, fellBack: Bool = false, answers: [LLMAnswer] = []) {
        self.summary = summary
        self.llmCalls = llmCalls
        self.fellBack = fellBack
        self.answers = answers
    }
}

/// One answer of the LLM, named by everything its request said (`key`).
public struct LLMAnswer: Sendable, Hashable {
    public var key: String
    public var text: String

    public init(key: String, text: String) {
        self.key = key
        self.text = text
    }
}

/// Answers the LLM gave before, looked up by their request's key (issue 28): a chunk of posts summarized for an earlier
/// digest is not sent again, so a new post costs the request of its own chunk and the merge of its section, not the
/// whole section. The summary cache keeps them in the database for every process.
public protocol LLMAnswerMemo: Sendable {
    func answer(_ key: String) async -> String?
}

/// Turns one channel's posts into a summary. Never fails: a summarizer that can fail falls back to one that cannot, and
/// says so in its attempt.
public protocol Summarizer: Sendable {
    var identity: SummarizerIdentity { get }
    /// `translatingTo` is the language the digest asks for when it translates (`--llm-translate`); nil keeps the posts'
    /// language. Only a summarizer that writes its own text (the LLM) can translate; the extractive one quotes the posts.
    /// `answers` are the LLM's earlier answers to reuse (nil: ask for everything).
    func attempt(_ posts: [Post], channel: String, maxSentences: Int, translatingTo: DigestLanguage?,
                 answers: (any LLMAnswerMemo)?) async -> SummaryAttempt
}

extension Summarizer {
    /// A summary in the posts' own language.
    public func summarize(_ posts: [Post], channel: String, maxSentences: Int = 5) async -> ChannelSummary {
        await attempt(posts, channel: channel, maxSentences: maxSentences, translatingTo: nil, answers: nil).summary
    }
}

extension Post {
    /// The post's link: the stored URL, else the public t.me link when the channel is a Telegram username.
    var link: String? {
        if let url, !url.isEmpty { return url }
        do {
            return "https://t.me/\(try ChannelRef.validateUsername(channel))/\(messageID)"
        } catch {
            return nil  // feeds and Bot API chats have no public t.me link
        }
    }
}
