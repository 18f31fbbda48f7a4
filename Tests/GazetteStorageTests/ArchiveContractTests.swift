import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: digest archive and web tokens")
struct ArchiveContractTests {
    static func digest(user: Int64, period: String, at until: Date, markdown: String = "# Digest\n\nText.") -> ArchivedDigest {
        ArchivedDigest(userID: user, kind: "daily", period: period, since: until - day, until: until, title: "Gazette digest",
                       markdown: markdown, channels: 2, posts: 7, createdAt: until)
    }

    @Test("a delivered digest is recorded once per (user, kind, period) with a stable id, listed newest first",
          arguments: StoreKind.available)
    func record(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let first = Self.digest(user: 1, period: "2026-12-01", at: t0)
            let id1 = try await store.recordArchivedDigest(first)
            let id2 = try await store.recordArchivedDigest(Self.digest(user: 1, period: "2026-12-02", at: t0 + day))
            let other = try await store.recordArchivedDigest(Self.digest(user: 2, period: "2026-12-01", at: t0))
            #expect(Set([id1, id2, other]).count == 3)
            // A retried delivery of the same period keeps the id and takes the new content.
            let again = try await store.recordArchivedDigest(Self.digest(user: 1, period: "2026-12-01", at: t0 + 60, markdown: "# New"))
            #expect(again == id1)
            let list = try await store.archivedDigests(userID: 1, limit: 10)
            #expect(list.map(\.id) == [id2, id1])
            #expect(list[1].markdown == "# New" && list[1].until == t0 + 60 && list[1].since == t0 + 60 - day)
            #expect(list[1].channels == 2 && list[1].posts == 7 && list[1].kind == "daily" && list[1].period == "2026-12-01")
            #expect(try await store.archivedDigests(userID: 1, limit: 1).map(\.id) == [id2])
            #expect(try await store.archivedDigest(userID: 1, id: id2)?.period == "2026-12-02")
            // Another user's id is not found.
            #expect(try await store.archivedDigest(userID: 1, id: other) == nil)
            #expect(try await store.archivedDigest(userID: 1, id: 999_999) == nil)
            #expect(try await store.archivedDigests(userID: 3, limit: 10).isEmpty)
        }
    }

    @Test("archived digests expire with the retention and bad input stores nothing", arguments: StoreKind.available)
    func retentionAndBadInput(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            _ = try await store.recordArchivedDigest(Self.digest(user: 1, period: "old", at: t0))
            let kept = try await store.recordArchivedDigest(Self.digest(user: 1, period: "new", at: t0 + 2 * day))
            #expect(try await store.deleteArchivedDigests(olderThan: t0 + day) == 1)
            #expect(try await store.archivedDigests(userID: 1, limit: 10).map(\.id) == [kept])
            var bad = Self.digest(user: 1, period: "", at: t0)
            await #expect(throws: StoreError.self) { _ = try await store.recordArchivedDigest(bad) }
            bad = Self.digest(user: 0, period: "p", at: t0)
            await #expect(throws: StoreError.self) { _ = try await store.recordArchivedDigest(bad) }
            bad = Self.digest(user: 1, period: "p", at: t0, markdown: "a\u{0}b")
            await #expect(throws: StoreError.self) { _ = try await store.recordArchivedDigest(bad) }
            bad = Self.digest(user: 1, period: "p", at: t0)
            bad.since = bad.until + 1
            await #expect(throws: StoreError.self) { _ = try await store.recordArchivedDigest(bad) }
            await #expect(throws: StoreError.self) { _ = try await store.archivedDigests(userID: 1, limit: 0) }
            #expect(try await store.archivedDigests(userID: 1, limit: 10).count == 1)
        }
    }

    @Test("a web token is stored as its hash, found by it and replaced on rotation", arguments: StoreKind.available)
    func webTokens(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64)
            #expect(try await store.webToken(userID: 1) == nil)
            try await store.setWebToken(WebTokenRecord(userID: 1, tokenHash: a, createdAt: t0))
            #expect(try await store.webTokenUser(tokenHash: a) == 1)
            #expect(try await store.webToken(userID: 1) == WebTokenRecord(userID: 1, tokenHash: a, createdAt: t0))
            try await store.setWebToken(WebTokenRecord(userID: 1, tokenHash: b, createdAt: t0 + 60))
            #expect(try await store.webTokenUser(tokenHash: a) == nil)
            #expect(try await store.webTokenUser(tokenHash: b) == 1)
            #expect(try await store.webTokenUser(tokenHash: String(repeating: "c", count: 64)) == nil)
            await #expect(throws: StoreError.self) {
                try await store.setWebToken(WebTokenRecord(userID: 2, tokenHash: "not-a-hash", createdAt: t0))
            }
            await #expect(throws: StoreError.self) {
                try await store.setWebToken(WebTokenRecord(userID: 2, tokenHash: String(repeating: "A", count: 64), createdAt: t0))
            }
            // Two users never share a hash.
            await #expect(throws: StoreError.self) {
                try await store.setWebToken(WebTokenRecord(userID: 2, tokenHash: b, createdAt: t0))
            }
            #expect(try await store.webToken(userID: 2) == nil)
        }
    }
}
