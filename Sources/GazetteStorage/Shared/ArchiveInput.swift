import Foundation
import GazetteCore

/// Checks of archived digests and web tokens shared by both stores, run before anything is written.
enum ArchiveInput {
    static func digest(_ d: ArchivedDigest) throws {
        try InputValidation.userID(d.userID)
        try InputValidation.text(d.kind, field: "kind", maxLength: 64)
        try InputValidation.text(d.period, field: "period", maxLength: 64)
        guard d.title.count <= ArchivedDigest.maxTitleLength, !d.title.utf8.contains(0) else {
            throw StoreError.invalidInput(field: "title", reason: "at most \(ArchivedDigest.maxTitleLength) characters without NUL")
        }
        guard d.markdown.utf8.count <= ArchivedDigest.maxMarkdownBytes, !d.markdown.utf8.contains(0) else {
            throw StoreError.invalidInput(field: "markdown",
                                          reason: "at most \(ArchivedDigest.maxMarkdownBytes) bytes without NUL, got \(d.markdown.utf8.count)")
        }
        guard d.since.timeIntervalSince1970.isFinite, d.until.timeIntervalSince1970.isFinite, d.since <= d.until else {
            throw StoreError.invalidInput(field: "window", reason: "since must not be after until")
        }
        guard d.channels >= 0, d.posts >= 0 else {
            throw StoreError.invalidInput(field: "counts", reason: "channels and posts must not be negative")
        }
    }

    static func limit(_ limit: Int) throws {
        guard (1...1000).contains(limit) else {
            throw StoreError.invalidInput(field: "limit", reason: "expected 1…1000, got \(limit)")
        }
    }

    static func tokenHash(_ hash: String) throws {
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw StoreError.invalidInput(field: "token_hash", reason: "expected 64 lower-case hex digits (SHA-256)")
        }
    }
}
