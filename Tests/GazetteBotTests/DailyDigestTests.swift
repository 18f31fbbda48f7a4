import Foundation
import GazetteCore
import GazetteTestSupport
import Testing
@testable import GazetteBot

@Suite("Daily digest")
struct DailyDigestTests {
    let user = Updates.userID
    /// 2024-05-17 20:05 UTC.
    static let evening = Date(timeIntervalSince1970: 1_715_976_300)

    @Test func twoBotProcessesSendOneDailyDigest() async throws {
        let clock = ManualClock(Self.evening, advancesOnSleep: true)
        let api = try await FakeBotAPI.start(token: BotHarness.token)
        let first = try await BotHarness.make(clock: clock, api: api)
        try await using(try await BotHarness.make(clock: clock, directory: first.directory, api: api), close: { await $0.shutdown(removeFiles: false, stopAPI: false); await first.shutdown() }) { second in
            try await first.seed("durov", posts: 4, now: Self.evening)
            try await first.store.saveUserSettings(UserSettings(userID: user, chatID: user, dailyDigest: true))
            #expect(first.runtime.scheduler.owner != second.runtime.scheduler.owner)

            async let a = first.runtime.scheduler.runOnce()
            async let b = second.runtime.scheduler.runOnce()
            let (sentA, sentB) = await (a, b)
            #expect(sentA + sentB == 1)
            // Later ticks of both processes do not send it again.
            #expect(await first.runtime.scheduler.runOnce() == 0)
            #expect(await second.runtime.scheduler.runOnce() == 0)
            let documents = await api.state.calls("sendDocument")
            #expect(documents.count == 1)
            #expect(documents.first?.chatID == user)
            #expect(documents.first?.fileName == "digest_2024-05-17.pdf")
            let row = try #require(try await first.store.delivery(userID: user, kind: "daily", period: "2024-05-17"))
            #expect(row.status == .sent)
            // The delivered digest is archived once (the web reader and the Atom feed read it).
            let archived = try await first.store.archivedDigests(userID: user, limit: 10)
            #expect(archived.count == 1)
            #expect(archived.first?.kind == "daily" && archived.first?.period == "2024-05-17" && archived.first?.posts == 4)
            #expect(archived.first?.markdown.contains("durov") == true)
            #expect(archived.first.map { $0.until.timeIntervalSince($0.since) } == 86_400)
        }
    }

    @Test func dueTimeFollowsHourTimeZoneAndQuietHours() async throws {
        try await BotHarness.with() { h in
            let scheduler = h.runtime.scheduler
            func at(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
            let utc = UserSettings(userID: 1, chatID: 1, dailyDigest: true)
            #expect(scheduler.period(for: utc, now: at("2024-05-17T19:59:00Z")) == nil)
            #expect(scheduler.period(for: utc, now: at("2024-05-17T20:00:00Z")) == "2024-05-17")
            #expect(scheduler.period(for: utc, now: at("2024-05-17T22:30:00Z")) == "2024-05-17", "late but not quiet")
            #expect(scheduler.period(for: utc, now: at("2024-05-17T23:30:00Z")) == nil, "late and quiet: wait")
            let moscow = UserSettings(userID: 1, chatID: 1, dailyDigest: true, dailyHour: 9, timeZone: "Europe/Moscow")
            #expect(scheduler.period(for: moscow, now: at("2024-05-17T05:59:00Z")) == nil)
            #expect(scheduler.period(for: moscow, now: at("2024-05-17T06:00:00Z")) == "2024-05-17")
            let night = UserSettings(userID: 1, chatID: 1, dailyDigest: true, dailyHour: 23, timeZone: "Asia/Tokyo")
            #expect(scheduler.period(for: night, now: at("2024-05-17T14:10:00Z")) == "2024-05-17", "the chosen hour is sent even in quiet hours")
        }
    }

    @Test func aFailedDeliveryIsRetriedWithBackoff() async throws {
        let clock = ManualClock(Self.evening, advancesOnSleep: true)
        try await BotHarness.with(clock: clock) { h in
            try await h.seed("durov", posts: 2, now: Self.evening)
            try await h.store.saveUserSettings(UserSettings(userID: user, chatID: user, dailyDigest: true))
            for _ in 0..<5 { await h.api.state.fail("sendDocument", status: 502, body: "{\"ok\":false,\"error_code\":502,\"description\":\"Bad Gateway\"}") }
            #expect(await h.runtime.scheduler.runOnce() == 0)
            #expect(try await h.store.delivery(userID: user, kind: "daily", period: "2024-05-17")?.status == .failed)
            #expect(h.metric("bot_digest_errors_total{error_type=\"send_failed\"}") == 1)
            #expect(await h.runtime.scheduler.runOnce() == 0, "not before the backoff")
            clock.set(clock.now().addingTimeInterval(61))
            #expect(await h.runtime.scheduler.runOnce() == 1)
            let row = try #require(try await h.store.delivery(userID: user, kind: "daily", period: "2024-05-17"))
            #expect(row.status == .sent)
            #expect(row.attempts == 2)
            // Only the delivery that reached the reader is archived.
            #expect(try await h.store.archivedDigests(userID: user, limit: 10).count == 1)
        }
    }

    @Test func anEmptyDayIsRecordedWithoutAMessage() async throws {
        let clock = ManualClock(Self.evening, advancesOnSleep: true)
        try await BotHarness.with(clock: clock) { h in
            try await h.store.saveUserSettings(UserSettings(userID: user, chatID: user, dailyDigest: true))
            #expect(await h.runtime.scheduler.runOnce() == 1)
            #expect(await h.api.state.calls("sendMessage").isEmpty)
            #expect(await h.api.state.calls("sendDocument").isEmpty)
            #expect(try await h.store.archivedDigests(userID: user, limit: 10).isEmpty, "nothing delivered, nothing archived")
        }
    }
}
