import Foundation
import GazetteCore

/// Checks of reader input shared by both stores.
enum ReaderInput {
    static func filter(_ f: ReaderFilter) throws {
        do {
            let normalized = try ReaderFilter.make(kind: f.kind, value: f.value)
            guard normalized == f || f.kind == .mute else { throw StoreError.invalidInput(field: f.kind.rawValue, reason: "not normalized") }
        } catch let error as ReaderInputError {
            throw StoreError.invalidInput(field: error.field, reason: error.reason)
        }
    }

    static func language(_ language: String?) throws {
        guard let language else { return }
        guard ["ru", "en"].contains(language) else {
            throw StoreError.invalidInput(field: "language", reason: "expected ru or en, got '\(language.prefix(20))'")
        }
    }

    static func delivered(_ s: DeliveredStory) throws {
        try InputValidation.text(s.storyKey, field: "story key")
        guard s.postIDs.count <= 10_000, s.postIDs.allSatisfy({ !$0.isEmpty && !$0.contains("\n") && $0.utf8.count <= 2100 }) else {
            throw StoreError.invalidInput(field: "post ids", reason: "expected at most 10000 non-empty ids without line breaks")
        }
    }

    static func joined(_ ids: [String]) -> String { ids.joined(separator: "\n") }
    static func split(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }
}
