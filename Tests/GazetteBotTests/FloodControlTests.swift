import Foundation
import GazetteCore
import GazetteTestSupport
import Testing
@testable import GazetteBot

@Suite("Flood control and Bot API errors")
struct FloodControlTests {
    @Test func a429OnSendMessageIsRetriedAfterRetryAfter() async throws {
        let clock = ManualClock(advancesOnSleep: true)
        try await BotHarness.with(clock: clock) { h in
            let body = #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#
            await h.api.state.fail("sendMessage", status: 429, body: body)
            try await h.runtime.messenger.send(chatID: 77, html: "hello")
            let calls = await h.api.state.calls("sendMessage")
            #expect(calls.count == 2, "retried once")
            #expect(calls.allSatisfy { $0.chatID == 77 && $0.text == "hello" })
            #expect(clock.sleeps.contains(1), "waited retry_after = 1 s: \(clock.sleeps)")
            #expect(h.metric("bot_messages_failed_total{error_type=\"rate_limited\"}") == 1)
            #expect(h.metric("bot_messages_sent_total{method=\"sendMessage\"}") == 1)
        }
    }

    @Test func theFixtures429RetryAfterIsHonouredOnASimulatedClock() async throws {
        let clock = ManualClock(advancesOnSleep: true)
        try await BotHarness.with(floodLimits: .init(), clock: clock) { h in
            await h.api.state.fail("sendDocument", status: 429, body: Fixtures.text("error_429_too_many_requests.json"))
            try await h.runtime.messenger.sendDocument(chatID: 5, data: Data("%PDF-1.4".utf8), fileName: "digest_2024-05-17.pdf", caption: "c")
            #expect(clock.sleeps.contains(3), "slept retry_after = 3 s: \(clock.sleeps)")
            #expect(await h.api.state.calls("sendDocument").count == 2)
        }
    }

    @Test func perChatAndGlobalLimits() async throws {
        let clock = ManualClock(advancesOnSleep: true)
        let gate = FloodGate(limits: .init(perChatInterval: 1, globalPerSecond: 25), clock: clock)
        for _ in 0..<3 { try await gate.acquire(chatID: 1) }
        #expect(clock.sleeps.reduce(0, +) >= 2, "three messages to one chat take at least 2 s: \(clock.sleeps)")
        let before = clock.now()
        for chat in 100..<150 { try await gate.acquire(chatID: Int64(chat)) }
        let spent = clock.now().timeIntervalSince(before)
        #expect(spent >= 49.0 / 25 - 0.001, "50 chats at ≤ 25/s take ≥ 1.96 s, took \(spent)")
    }

    @Test func badRequestIsNotRetriedAndLongMessagesAreSplit() async throws {
        try await BotHarness.with() { h in
            await h.api.state.fail("sendMessage", status: 400, body: Fixtures.text("error_400_message_too_long.json"))
            await #expect(throws: BotAPIError.self) { try await h.runtime.messenger.send(chatID: 1, html: "x") }
            #expect(await h.api.state.calls("sendMessage").count == 1)
            #expect(h.metric("bot_messages_failed_total{error_type=\"bad_request\"}") == 1)

            let paragraph = Array(repeating: "Слово 📈 word", count: 60).joined(separator: " ")
            let long = Array(repeating: paragraph, count: 20).joined(separator: "\n\n")
            try await h.runtime.messenger.send(chatID: 1, html: long)
            let parts = await h.api.state.calls("sendMessage").dropFirst().compactMap(\.text)
            #expect(parts.count > 1)
            #expect(parts.allSatisfy { $0.utf16.count <= 4096 })
            #expect(parts.joined(separator: "\n\n") == long, "split on paragraph boundaries only")
        }
    }

    @Test func captionsAreLimitedTo1024() {
        let caption = String(repeating: "дайджест ", count: 300)
        let limited = BotMessenger.limitCaption(caption)
        #expect(limited.utf16.count <= 1024)
        #expect(limited.hasSuffix("…"))
        #expect(BotMessenger.limitCaption("short") == "short")
    }

    @Test func theTokenNeverAppearsInLogsErrorsOrBodies() async throws {
        try await BotHarness.with() { h in
            try await h.seed("durov", posts: 3)
            await h.api.state.fail("sendMessage", status: 500, body: "{\"ok\":false,\"error_code\":500,\"description\":\"Internal error for \(BotHarness.token)\"}")
            try await h.api.state.push(updatesJSON: Fixtures.data("getUpdates_private_commands.json"))
            try await h.push(Updates.text(900_000_001, "/digest"))
            try await h.poll(until: "handled") { await h.handled(through: 900_000_001) }
            let calls = await h.api.state.calls
            #expect(calls.contains { $0.method == "sendDocument" })
            for call in calls {
                #expect(!String(decoding: call.rawBody, as: UTF8.self).contains(BotHarness.token))
            }
            #expect(await h.api.state.paths.allSatisfy { $0.hasPrefix("/bot\(BotHarness.token)/") }, "the token travels in the path only")
            let tokenTail = BotHarness.token.split(separator: ":")[1]
            #expect(!h.logs.all.isEmpty)
            #expect(h.logs.all.allSatisfy { !$0.contains(String(tokenTail)) })
            #expect(!h.registry.text().contains(String(tokenTail)))
            let error = BotAPIError.server(status: 500, h.runtime.api.redact("boom \(BotHarness.token)"))
            #expect(!error.description.contains(String(tokenTail)))
        }
    }
}
