import Foundation
import GazetteCore
@testable import GazetteSources
import GazetteTestSupport
import Hummingbird
import Testing

/// t.me's service messages ("Channel created", a new photo or title, a pin) are never posts.
@Suite("t.me service messages")
struct ServiceMessageTests {
    let base = URL(string: "https://t.me")!

    func channelPage(_ data: Data, channel: String) throws -> PreviewPage {
        let content = try TelegramPreviewParser.parse(data, channel: channel, baseURL: base)
        guard case .channel(let page) = content else {
            Issue.record("expected a channel page, got \(content)")
            throw CancellationError()
        }
        return page
    }

    @Test func fixtureParsesToExactlyTheOrdinaryPosts() throws {
        let page = try channelPage(TestFixtures.data("telegram-preview/service_messages.html"), channel: "gazette_sample")
        #expect(page.posts.map(\.messageID) == [3, 5, 7])
        #expect(page.serviceMessages == 5)
        #expect(page.messageBlocks == 3)
        #expect(page.before == nil)
        #expect(page.posts.map(\.views) == [1200, 987, 2400])
        #expect(page.posts.map(\.text) == [
            "Welcome to Gazette Sample: one short digest of the week every Friday.",
            "The new name says what the channel is: a weekly digest.\nFirst issue on Friday.",
            "Issue 1 is out. Read it at example.com/gazette/issue-1",
        ])
        #expect(page.posts[1].media == [MediaSummary(kind: "photo", count: 1)])
        #expect(page.posts[0].date == Fixtures.utc("2024-05-01T09:05:00Z"))
        #expect(page.posts[2].url == "https://t.me/gazette_sample/7")
        let serviceTexts = ["Channel created", "Channel photo", "Channel name was changed", "pinned «"]
        #expect(!page.posts.contains { post in serviceTexts.contains { post.text.contains($0) } })
        // The header is read as on any page: the title after the rename, no photo after its removal.
        #expect(page.metadata?.title == "Gazette Sample Weekly")
        #expect(page.metadata?.subscribers == 2300)
        #expect(page.metadata?.photoURL == nil)
    }

    @Test func pageOfOnlyServiceMessagesIsAChannelWithoutPosts() throws {
        let date = Fixtures.utc("2024-05-01T09:00:00Z")
        let html = SyntheticPreviewPage.html(channel: "newchannel", title: "New Channel", messages: [
            .init(id: 1, date: date, text: "Channel created", isService: true),
            .init(id: 2, date: date.addingTimeInterval(60), text: "Channel photo updated", isService: true),
            .init(id: 3, date: date.addingTimeInterval(120), text: "Channel name was changed to «New Channel»", isService: true),
        ], before: nil)
        let page = try channelPage(Data(html.utf8), channel: "newchannel")
        #expect(page.posts.isEmpty)
        #expect(page.serviceMessages == 3)
        #expect(page.messageBlocks == 0)
        #expect(page.metadata?.title == "New Channel")
    }

    /// The class is matched as a whole token wherever it sits in the list, never as a substring.
    @Test(arguments: [
        ("service_message tgme_widget_message", true),
        ("tgme_widget_message js-widget_message service_message", true),
        ("tgme_widget_message\tservice_message\njs-widget_message", true),
        ("tgme_widget_message js-widget_message service_message_wrap", false),
        ("tgme_widget_message js-widget_message no_service_message", false),
    ])
    func serviceClassIsATokenOfTheClassList(classes: String, isService: Bool) throws {
        let html = """
        <section class="tgme_channel_history"><div class="\(classes)" data-post="durov/5">
        <div class="tgme_widget_message_text">Channel created</div>
        <a class="tgme_widget_message_date" href="https://t.me/durov/5"><time datetime="2024-05-01T09:00:00+00:00"></time></a>
        </div></section>
        """
        let page = try channelPage(Data(html.utf8), channel: "durov")
        #expect(page.posts.count == (isService ? 0 : 1))
        #expect(page.serviceMessages == (isService ? 1 : 0))
    }

    /// Newest page: only service messages (a run of pins); the posts are on the page before it.
    static func serviceFirstRouter(_ log: RequestLog) -> Router<BasicRequestContext> {
        let start = Fixtures.utc("2024-05-01T09:00:00Z")
        let posts = (10...14).map { SyntheticPreviewPage.Message(id: Int64($0), date: start.addingTimeInterval(Double($0) * 60), text: "post \($0)") }
        let pins = (15...19).map {
            SyntheticPreviewPage.Message(id: Int64($0), date: start.addingTimeInterval(Double($0) * 60), text: "Sample pinned «post \($0 - 5)»",
                                         isService: true)
        }
        let router = Router()
        router.get("/s/:name") { request, _ -> Response in
            await log.record(request.uri.description)
            switch request.uri.queryParameters.get("before") {
            case .none: return FakeServer.html(SyntheticPreviewPage.html(channel: "pinchan", title: "Pins", messages: pins, before: 15))
            case "15": return FakeServer.html(SyntheticPreviewPage.html(channel: "pinchan", title: "Pins", messages: posts, before: nil))
            default: return FakeServer.html("", status: .badRequest)
            }
        }
        return router
    }

    @Test func pagingGoesPastAPageOfOnlyServiceMessages() async throws {
        let log = RequestLog()
        let result = try await FakeServer.run(Self.serviceFirstRouter(log)) { base in
            try await PreviewSourceTests.withSources(base) { sources in
                try await sources.fetch(.telegram(username: "pinchan"), since: .distantPast, state: nil)
            }
        }
        #expect(result.pages == 2)
        #expect(result.posts.map(\.messageID) == [10, 11, 12, 13, 14])
        #expect(await log.paths == ["/s/pinchan", "/s/pinchan?before=15"])
    }
}
