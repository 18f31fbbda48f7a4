import Foundation
import GazetteText
import Mustache

/// The mustache templates of the web reader, the Atom feed and the digest e-mail, parsed once. Every page is a
/// template filled with one of the context values below; no HTML is assembled in code.
public struct WebTemplates: Sendable {
    let library: MustacheLibrary

    /// Parses the built-in templates; an error names the template (a bug in the binary, caught by the tests).
    public init() throws(WebError) {
        var library = MustacheLibrary()
        let templates = ["layout": Self.layout, "home": Self.home, "digest": Self.digest, "notice": Self.notice,
                         "search": Self.search, "feed": Self.feed, "email": Self.email]
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(text, named: name)
            } catch {
                throw .template("\(name): \(error)")
            }
        }
        self.library = library
    }

    func render(_ context: Any, _ name: String) throws(WebError) -> String {
        guard let out = library.render(context, withTemplate: name) else { throw .template("no template named \(name)") }
        return out
    }

    // MARK: Contexts (read by mustache through reflection; the names are the templates' keys)

    public struct Link: Sendable {
        public var label: String
        public var url: String
    }

    struct Page {
        var lang = "en"
        var homeURL: String?
        var feedURL: String?
    }

    struct HomePage {
        struct Digest {
            var title: String
            var url: String
            var pdfURL: String
            var window: String
            /// `1 channel · 12 posts`.
            var counts: String
        }
        struct Channel {
            var name: String
            var url: String
            var detail: String?
        }
        var lang = "en"
        var homeURL: String?
        var feedURL: String?
        /// Where the search box sends its query (every reader page has it).
        var searchURL: String?
        var windows: [Link]
        var pdfURL: String
        var digests: [Digest]
        var channels: [Channel]
        var moreChannels: Int?
        // Stored, not computed: mustache reads values through reflection, which sees stored properties only.
        var hasDigests: Bool
        var hasChannels: Bool

        init(homeURL: String, feedURL: String, searchURL: String, windows: [Link], pdfURL: String, digests: [Digest], channels: [Channel],
             moreChannels: Int?) {
            self.homeURL = homeURL
            self.feedURL = feedURL
            self.searchURL = searchURL
            self.windows = windows
            self.pdfURL = pdfURL
            self.digests = digests
            self.channels = channels
            self.moreChannels = moreChannels
            hasDigests = !digests.isEmpty
            hasChannels = !channels.isEmpty
        }
    }

    struct DigestPage {
        var lang = "en"
        var homeURL: String?
        var feedURL: String?
        var searchURL: String?
        var title: String
        var windows: [Link]
        var pdfURL: String
        var note: String?
        /// The fragment from `DigestHTML` (the only unescaped value of any page).
        var html: String
    }

    struct NoticePage {
        var lang = "en"
        var homeURL: String?
        var feedURL: String?
        var searchURL: String?
        var heading: String
        var message: String
    }

    struct SearchPage {
        struct Hit {
            var channel: String
            var channelURL: String
            var date: String
            var url: String?
            var parts: [SearchSnippet.Part]
        }
        struct Range {
            var label: String
            var url: String
            var current: Bool
        }
        var lang = "en"
        var homeURL: String?
        var feedURL: String?
        var searchURL: String?
        /// What was typed (the search box keeps it); nil before a search.
        var query: String?
        var error: String?
        var ranges: [Range]
        var channelName: String?
        var allChannelsURL: String?
        var hits: [Hit]
        /// The number of the first hit on this page.
        var first: Int
        var nextURL: String?
        // Stored, not computed: mustache reads values through reflection, which sees stored properties only.
        var hasQuery: Bool
        var hasHits: Bool
        var noHits: Bool
    }

    struct Feed {
        struct Entry {
            var id: String
            var title: String
            var published: String
            var updated: String
            var url: String
            var pdfURL: String
            var summary: String
            /// Escaped by the template: `content type="html"` carries the HTML as text.
            var html: String
        }
        var feedID: String
        var title: String
        var updated: String
        var version: String
        var selfURL: String
        var homeURL: String
        var entries: [Entry]
    }

    struct Email {
        var lang: String
        var title: String
        var html: String
        var footer: String?
    }

    // MARK: Rendering

    func home(_ page: HomePage) throws(WebError) -> String { try render(page, "home") }
    func digest(_ page: DigestPage) throws(WebError) -> String { try render(page, "digest") }
    func notice(_ page: NoticePage) throws(WebError) -> String { try render(page, "notice") }
    func search(_ page: SearchPage) throws(WebError) -> String { try render(page, "search") }
    func feed(_ feed: Feed) throws(WebError) -> String { try render(feed, "feed") }

    /// A digest e-mail's HTML part: the fragment from `DigestHTML.fragment` in the e-mail template. `lang` is the
    /// digest's language (`en`, `ru`); `footer` is a line of plain text (escaped) under the digest.
    public func emailHTML(title: String, fragment: String, lang: String = "en", footer: String? = nil) throws(WebError) -> String {
        try render(Email(lang: lang, title: title, html: fragment, footer: footer), "email")
    }
}
