import Foundation
import GazetteCore
import Testing
@testable import GazetteBot

@Suite("Digest on demand")
struct DigestFlowTests {
    let user = Updates.userID

    @Test func digestSendsAPDFToTheRightChatThenSaysNothingNewUntilNewPostsArrive() async throws {
        try await BotHarness.with() { h in
            try await h.seed("durov", posts: 5)
            try await h.push(Updates.text(1, "/digest"))
            try await h.poll(until: "first document") { await h.api.state.calls("sendDocument").count == 1 }
            let action = try #require(await h.api.state.calls("sendChatAction").first)
            #expect(action.fields["action"] == "upload_document")
            #expect(action.chatID == user)
            let document = try #require(await h.api.state.calls("sendDocument").first)
            #expect(document.chatID == user)
            let file = try #require(document.file)
            #expect(file.starts(with: Data("%PDF-".utf8)), "a real PDF is uploaded")
            #expect(document.fileName?.range(of: #"^digest_\d{4}-\d{2}-\d{2}\.pdf$"#, options: .regularExpression) != nil)
            let caption = try #require(document.fields["caption"])
            #expect(caption.contains("1 channel") && caption.contains("5 posts"))
            #expect(caption.utf16.count <= 1024)
            #expect(h.metric("bot_digest_requests_total") == 1)
            #expect(h.metric("bot_digest_cache_hits_total") == 0)

            // Not twice: the same stories are not sent again.
            try await h.push(Updates.text(2, "/digest"))
            try await h.poll(until: "nothing new") { await h.api.state.calls("sendMessage").contains { $0.text == "Nothing new since your last digest." } }
            #expect(await h.api.state.calls("sendDocument").count == 1)
            #expect(h.metric("bot_digest_cache_hits_total") == 1, "the answer needed no build")

            try await h.seed("meduzalive", posts: 3, firstID: 500)
            try await h.push(Updates.callback(3, data: "digest"))
            try await h.poll(until: "second document") { await h.api.state.calls("sendDocument").count == 2 }
            #expect(h.metric("bot_digest_requests_total") == 3)
            // The new channel reports the same (seeded) story: it comes back as an update, with every report.
            let second = try #require(await h.api.state.calls("sendDocument")[1].fields["caption"])
            #expect(second.contains("2 channels"), "\(second)")
        }
    }

    @Test func emptyWindowSaysSoAndHoursAreValidated() async throws {
        try await BotHarness.with() { h in
            // Posts older than the window do not count.
            try await h.seed("durov", posts: 2, now: Date().addingTimeInterval(-10 * 3600))
            try await h.push(Updates.text(1, "/digest 6"))
            try await h.push(Updates.text(2, "/digest 500"))
            try await h.push(Updates.text(3, "/digest many"))
            try await h.poll(until: "answers") { await h.api.state.calls("sendMessage").count == 3 }
            let texts = await h.api.state.calls("sendMessage").compactMap(\.text)
            #expect(texts[0] == "No new posts in the last 6 hours.")
            #expect(texts[1].contains("from 1 to 168"))
            #expect(texts[2].contains("from 1 to 168"))
            #expect(await h.api.state.calls("sendDocument").isEmpty)
        }
    }

    @Test func pdfFailureFallsBackToTextSplitUnder4096() async throws {
        try await BotHarness.with(renderer: FailingRenderer()) { h in
            for (i, name) in ["durov", "meduzalive", "bbcrussian", "rian_ru", "tass_agency"].enumerated() {
                try await h.seed(name, posts: 40, firstID: Int64(i * 1000 + 1))
            }
            try await h.push(Updates.text(1, "/digest"))
            try await h.poll(until: "update handled") { await h.handled(through: 1) }
            #expect(h.metric("bot_digest_errors_total{error_type=\"render_failed\"}") == 1)
            let messages = await h.api.state.calls("sendMessage")
            #expect(await h.api.state.calls("sendDocument").isEmpty)
            #expect(messages[0].text?.contains("as text") == true)
            #expect(messages.count >= 2)
            #expect(messages.allSatisfy { ($0.text?.count ?? 0) <= 4096 && ($0.text?.utf16.count ?? 0) <= 4096 })
            #expect(messages.dropFirst().allSatisfy { $0.fields["parse_mode"] == nil }, "digest text is sent without a parse mode")
            #expect(messages.allSatisfy { $0.chatID == user })
        }
    }

    @Test func textFormatSettingSendsText() async throws {
        try await BotHarness.with() { h in
            try await h.seed("durov", posts: 3)
            try await h.store.saveUserSettings(UserSettings(userID: user, chatID: user, format: .text))
            try await h.push(Updates.text(1, "/digest"))
            try await h.poll(until: "text") { await h.api.state.calls("sendMessage").count >= 1 }
            #expect(await h.api.state.calls("sendDocument").isEmpty)
            #expect(await h.api.state.calls("sendMessage")[0].text?.contains("durov") == true)
            #expect(h.metric("bot_digest_errors_total{error_type=\"render_failed\"}") == 0)
        }
    }
}
