import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: bad input")
struct BadInputContractTests {
    static let badChannels: [(String, ChannelRef)] = [
        ("empty username", .telegram(username: "")),
        ("10 KB username", .telegram(username: String(repeating: "a", count: 10_240))),
        ("SQL metacharacters", .telegram(username: "x'; DROP TABLE channels; --")),
        ("quote and semicolon", .telegram(username: "abc\"de;f")),
        ("not a feed", .feed(url: "javascript:alert(1)")),
    ]

    @Test("invalid channels are refused with a clear error and store nothing", arguments: StoreKind.available)
    func invalidChannels(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store async throws in
            for (label, ref) in Self.badChannels {
                let error = await #expect(throws: StoreError.self, "\(label)") {
                    _ = try await store.subscribe(userID: 1, ref: ref, tags: [])
                }
                guard case .invalidInput(let field, let reason)? = error else {
                    Issue.record("\(label): expected invalidInput, got \(String(describing: error))")
                    continue
                }
                #expect(field == "channel")
                #expect(reason.contains("invalid channel"), "\(label): \(reason)")
                #expect(reason.count < 600, "\(label): the message stays short even for huge input")
                await #expect(throws: StoreError.self, "\(label)") { _ = try await store.upsertChannel(ref) }
            }
            #expect(try await store.subscriptions(userID: 1, limit: 100).isEmpty)
            #expect(try await store.subscribedChannelCount() == 0)
            #expect(try await store.channel(id: 1) == nil)
        }
    }

    @Test("bad users and tags are refused; SQL metacharacters in valid values are stored verbatim", arguments: StoreKind.available)
    func invalidUsersAndTags(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let cases: [(Int64, [String], String)] = [
                (0, [], "user_id"), (-5, [], "user_id"),
                (1, (0..<21).map { "t\($0)" }, "tags"),
                (1, [String(repeating: "я", count: 65)], "tags"),
                (1, [""], "tags"),
            ]
            for (user, tags, field) in cases {
                let error = await #expect(throws: StoreError.self) { _ = try await store.subscribe(userID: user, ref: tg("valid_name"), tags: tags) }
                if case .invalidInput(let got, _)? = error { #expect(got == field) } else { Issue.record("\(String(describing: error))") }
            }
            #expect(try await store.channel(ref: tg("valid_name")) == nil, "a refused subscription creates no channel")

            let nasty = "'); DELETE FROM subscriptions; --"
            _ = try await store.subscribe(userID: 1, ref: tg("valid_name"), tags: [nasty])
            #expect(try await store.subscriptions(userID: 1, limit: 5).first?.subscription.tags == [nasty])
            try await store.setStateValue("k'; DROP TABLE kv_state; --", "v\"")
            #expect(try await store.stateValue("k'; DROP TABLE kv_state; --") == "v\"")
            await #expect(throws: StoreError.self) { try await store.setStateValue("", "x") }
            await #expect(throws: StoreError.self) { _ = try await store.claimDelivery(userID: 1, kind: "", period: "p", owner: "o", now: t0) }
            await #expect(throws: StoreError.self) {
                _ = try await store.posts(forUser: 1, since: t0, until: t0 - 1, limits: WindowLimits())
            }
        }
    }
}
