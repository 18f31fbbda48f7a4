import Foundation
import GazetteCore

/// One post as a story shows it: where it was published and a link to it.
public struct StoryPost: Sendable, Hashable, Codable {
    /// The channel key (`ChannelRef.key`).
    public var channel: String
    public var channelTitle: String
    public var messageID: Int64
    public var url: String?
    public var date: Date
    public var views: Int?
    /// The post's first sentence, shortened.
    public var excerpt: String
    /// The post's first picture a digest can show (`Post.firstPicture`), when it has one.
    public var imageURL: String?

    public init(channel: String, channelTitle: String, messageID: Int64, url: String?, date: Date, views: Int?, excerpt: String,
                imageURL: String? = nil) {
        self.imageURL = imageURL
        self.channel = channel
        self.channelTitle = channelTitle
        self.messageID = messageID
        self.url = url
        self.date = date
        self.views = views
        self.excerpt = excerpt
    }

    /// "channel/messageID": unique within a store, stable across runs.
    public var id: String { "\(channel)/\(messageID)" }
}

/// Posts of the window that report the same event (SPEC §5, issue 15): one headline, a short summary, every post
/// with its link, the channels that reported it (its corroboration) and the time of the first report.
public struct Story: Sendable, Hashable, Codable {
    /// Stable across runs while the story's first post stays the same: the first post's `channel/messageID`.
    public var key: String
    /// The most informative sentence of the story's most central post.
    public var title: String
    /// A few more sentences of that post (may be empty).
    public var summary: String
    /// Every merged post, oldest first.
    public var posts: [StoryPost]
    /// Keys of the channels that reported it, in the order of their first report.
    public var channels: [String]
    /// The same channels' titles.
    public var channelTitles: [String]
    public var firstReport: Date
    /// Importance (higher first): corroboration, views relative to each channel's median, recency.
    public var score: Double
    public var language: DigestLanguage
    /// Set by the "not twice" check: the story was delivered before and these posts are new since then.
    public var newPostIDs: [String]?
    /// The one picture the story shows: the first picture of its best post (the one its headline comes from), else of
    /// its first post that has one (issue 16).
    public var picture: StoryPost?

    public init(key: String, title: String, summary: String, posts: [StoryPost], channels: [String], channelTitles: [String],
                firstReport: Date, score: Double, language: DigestLanguage, newPostIDs: [String]? = nil) {
        self.key = key
        self.title = title
        self.summary = summary
        self.posts = posts
        self.channels = channels
        self.channelTitles = channelTitles
        self.firstReport = firstReport
        self.score = score
        self.language = language
        self.newPostIDs = newPostIDs
    }

    /// How many channels reported it.
    public var corroboration: Int { channels.count }
    public var totalViews: Int { posts.reduce(0) { $0 + ($1.views ?? 0) } }
    public var isUpdate: Bool { newPostIDs != nil }
}
