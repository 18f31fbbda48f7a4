import Foundation
import GazetteCore
import GazetteDelivery
import GazetteDigest
import Synchronization
import GazetteTestSupport
import Testing
@testable import GazetteBot

/// A mail server stand-in (mail is an edge of the world): records messages, or refuses while told to.
final class RecordingMail: MailTransport {
    private let state = Mutex<(sent: [MailMessage], refusals: Int)>(([], 0))
    func refuse(_ times: Int) { state.withLock { $0.refusals = times } }
    var sent: [MailMessage] { state.withLock { $0.sent } }
    func send(_ message: MailMessage) async throws(MailError) {
        let refused = state.withLock { s -> Bool in
            if s.refusals > 0 { s.refusals -= 1; return true }
            s.sent.append(message)
            return false
        }
        if refused { throw MailError(.rejected, "451 try again later (server reply 451)") }
    }
}

/// The daily digest to several destinations through the bot's scheduler: built once, each destination once, a
/// failed destination retried alone, destinations a user cannot get skipped and counted.
@Suite("Delivery destinations")
struct DeliveryDestinationsTests {
    let user = Updates.userID
    static let evening = Date(timeIntervalSince1970: 1_715_976_300)

    func harness(_ clock: ManualClock, mail: RecordingMail) async throws -> BotHarness {
        var h = try await BotHarness.make(clock: clock)
        let sender = EmailDigestSender(transport: mail, from: "gazette@example.com", html: { "<p>\($0.content.posts) posts</p>" },
                                       metrics: h.runtime.scheduler.metrics, clock: clock)
        h.runtime.scheduler.senders.append(sender)
        return h
    }

    @Test func telegramAndEmailGetTheSameDigestOnce() async throws {
        let clock = ManualClock(Self.evening, advancesOnSleep: true)
        let mail = RecordingMail()
        try await using(try await harness(clock, mail: mail), close: { await $0.shutdown() }) { h in
            try await h.seed("durov", posts: 3, now: Self.evening)
            try await h.store.saveUserSettings(UserSettings(userID: user, chatID: user, dailyDigest: true,
                                                            destinations: [.telegram, .email], email: "reader@example.com"))
            #expect(await h.runtime.scheduler.runOnce() == 1)
            #expect(await h.runtime.scheduler.runOnce() == 0)
            let documents = await h.api.state.calls("sendDocument")
            #expect(documents.count == 1)
            #expect(mail.sent.count == 1)
            let message = try #require(mail.sent.first)
            #expect(message.to == "reader@example.com" && message.subject.contains("2024-05-17: 1 channel, 3 posts"))
            #expect(message.attachments.first?.fileName == "digest_2024-05-17.pdf")
            #expect(message.attachments.first?.data.starts(with: Data("%PDF-".utf8)) == true)
            #expect(message.html == "<p>3 posts</p>")
            #expect(h.metric("digest_deliveries_total{destination=\"telegram\",outcome=\"sent\"}") == 1)
            #expect(h.metric("digest_deliveries_total{destination=\"email\",outcome=\"sent\"}") == 1)
            for kind in ["daily", "daily.telegram", "daily.email"] {
                #expect(try await h.store.delivery(userID: user, kind: kind, period: "2024-05-17")?.status == .sent, "\(kind)")
            }
            #expect(try await h.store.archivedDigests(userID: user, limit: 10).isEmpty, "the feed was not chosen")
        }
    }

    @Test func aRefusedEmailIsRetriedAloneWithBackoff() async throws {
        let clock = ManualClock(Self.evening, advancesOnSleep: true)
        let mail = RecordingMail()
        try await using(try await harness(clock, mail: mail), close: { await $0.shutdown() }) { h in
            try await h.seed("durov", posts: 2, now: Self.evening)
            try await h.store.saveUserSettings(UserSettings(userID: user, chatID: user, dailyDigest: true,
                                                            destinations: [.telegram, .email], email: "reader@example.com"))
            mail.refuse(2)
            #expect(await h.runtime.scheduler.runOnce() == 0)
            #expect(try await h.store.delivery(userID: user, kind: "daily", period: "2024-05-17")?.status == .failed)
            #expect(h.metric("digest_deliveries_total{destination=\"email\",outcome=\"failed\"}") == 1)
            #expect(await h.runtime.scheduler.runOnce() == 0, "not before the backoff")
            clock.set(clock.now().addingTimeInterval(61))
            #expect(await h.runtime.scheduler.runOnce() == 0, "refused again")
            clock.set(clock.now().addingTimeInterval(121))
            #expect(await h.runtime.scheduler.runOnce() == 1)
            #expect(mail.sent.count == 1)
            #expect(await h.api.state.calls("sendDocument").count == 1, "Telegram had it after the first pass and is not sent again")
            #expect(h.metric("digest_deliveries_total{destination=\"email\",outcome=\"failed\"}") == 2)
            #expect(h.metric("digest_deliveries_total{destination=\"email\",outcome=\"sent\"}") == 1)
            #expect(try await h.store.delivery(userID: user, kind: "daily", period: "2024-05-17")?.attempts == 3)
            // The email, sent two retries later, still has the stories Telegram got: they count as delivered only now.
            #expect(mail.sent.first?.subject.contains("2 posts") == true)
        }
    }

    @Test func aUserWithoutTheBotGetsEmailAndTheRestIsSkipped() async throws {
        let clock = ManualClock(Self.evening, advancesOnSleep: true)
        let mail = RecordingMail()
        try await using(try await harness(clock, mail: mail), close: { await $0.shutdown() }) { h in
            let other: Int64 = 4242
            try await h.seed("durov", posts: 2, userID: other, now: Self.evening)
            // Never started the bot: no chat id. Telegram is chosen but impossible; email goes out.
            try await h.store.saveUserSettings(UserSettings(userID: other, dailyDigest: true, destinations: [.telegram, .email],
                                                            email: "cli@example.com"))
            #expect(await h.runtime.scheduler.runOnce() == 1)
            #expect(mail.sent.map(\.to) == ["cli@example.com"])
            #expect(await h.api.state.calls("sendDocument").isEmpty)
            #expect(h.metric("digest_deliveries_total{destination=\"telegram\",outcome=\"skipped\"}") == 1)
            // The feed alone, without the bot: the digest is archived for the user's Atom feed, once.
            let reader: Int64 = 4343
            try await h.seed("durov", posts: 2, userID: reader, now: Self.evening)
            try await h.store.saveUserSettings(UserSettings(userID: reader, dailyDigest: true, destinations: [.feed]))
            #expect(await h.runtime.scheduler.runOnce() == 1)
            #expect(await h.runtime.scheduler.runOnce() == 0)
            let archived = try await h.store.archivedDigests(userID: reader, limit: 10)
            #expect(archived.count == 1 && archived.first?.period == "2024-05-17" && archived.first?.markdown.contains("durov") == true)
            #expect(h.metric("digest_deliveries_total{destination=\"feed\",outcome=\"sent\"}") == 1)
            // Email only chosen, no address stored (a row from before): nothing to do, nothing claimed.
            try await h.store.saveUserSettings(UserSettings(userID: 5151, dailyDigest: true, destinations: [.email]))
            #expect(await h.runtime.scheduler.runOnce() == 0)
            #expect(try await h.store.delivery(userID: 5151, kind: "daily", period: "2024-05-17") == nil)
        }
    }
}
