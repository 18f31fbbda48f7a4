import Foundation
@testable import GazetteAccount
import Testing

/// Each field of every request Gazette sends, checked by the real TDLib (1.8.69, offline) through `td_execute`: the
/// library parses a request into its TL object before deciding it cannot run it synchronously, so a field given a
/// value of the wrong JSON type answers "Expected <the field's type>". An unknown field is ignored (no "Expected"),
/// an unknown method answers "Unknown class". `make test` requires the library (GAZETTE_TEST_REQUIRE_TDLIB=1).
enum LibraryProbe {
    struct Finding: Equatable {
        var field: String
        /// What the library expects there, from its answer (`String`, `Number`, `String or Number`, `Boolean`, …).
        var expected: String?
        var problem: String?
    }

    static func answer(_ request: TDRequest) -> String {
        TDJSONLibrary.execute(request.json(extra: nil)) ?? "no answer"
    }

    /// A value of another JSON type than `value`.
    static func wrong(for value: TDRequest.Value) -> TDRequest.Value {
        switch value {
        case .array: .int(0)
        default: .array([])
        }
    }

    /// The kinds the library may name for the value the code sends (`int53` and `int64` also take strings).
    static func accepted(for value: TDRequest.Value) -> [String] {
        switch value {
        case .string: ["String"]
        case .int: ["Number", "String or Number"]
        case .double: ["Number"]
        case .bool: ["Boolean"]
        case .array: ["Array"]
        case .object: ["Object"]
        }
    }

    /// The request as a whole, then each field (and each field of an object field) with a wrong value.
    static func probe(_ request: TDRequest) -> [Finding] {
        var findings: [Finding] = []
        let whole = answer(request)
        if whole.contains("Failed to parse") {
            findings.append(Finding(field: request.type, expected: nil, problem: "the request does not parse: \(whole)"))
        }
        probe(request.fields, path: request.type, into: &findings) { TDRequest(request.method, $0) }
        return findings
    }

    private static func probe(_ fields: [String: TDRequest.Value], path: String, into findings: inout [Finding],
                              rebuild: ([String: TDRequest.Value]) -> TDRequest) {
        for key in fields.keys.sorted() {
            let value = fields[key]!
            var changed = fields
            changed[key] = wrong(for: value)
            let reply = answer(rebuild(changed))
            let field = "\(path).\(key)"
            var finding = Finding(field: field, expected: nil, problem: nil)
            if let range = reply.range(of: "Expected "), let end = reply[range.upperBound...].range(of: ", but receive") {
                let expected = String(reply[range.upperBound..<end.lowerBound])
                finding.expected = expected
                if !accepted(for: value).contains(expected) {
                    finding.problem = "the library expects \(expected), the code sends \(accepted(for: value)[0])"
                }
            } else {
                finding.problem = "the library ignores it (not a field of \(path)): \(reply)"
            }
            findings.append(finding)
            if case .object(let type, let inner) = value {
                probe(inner, path: field, into: &findings) { innerFields in
                    var outer = fields
                    outer[key] = .object(type: type, innerFields)
                    return rebuild(outer)
                }
            }
        }
    }
}

@Suite("TDLib, the real library: every request field", .serialized, .enabled(if: RealTDLib.requirement.enabled))
struct LibraryProbeTests {
    @Test("the library knows every method and every field the code sends, with the JSON type the code sends")
    func everyRequest() throws {
        try TDJSONLibrary.load(configured: RealTDLib.path)
        #expect(TDJSONLibrary.version() == "1.8.69")
        var probed = 0
        for request in TDRequest.everyShape {
            let findings = LibraryProbe.probe(request)
            probed += findings.count
            let problems = findings.compactMap { f in f.problem.map { "\(f.field): \($0)" } }
            #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        }
        // Every field of every request was answered with its type.
        #expect(probed >= TDRequest.everyShape.reduce(0) { $0 + $1.fields.count })
    }

    @Test("the probe catches drift: an unknown method, a misspelled field, a field sent with another type")
    func probeCanFail() throws {
        try TDJSONLibrary.load(configured: RealTDLib.path)
        #expect(TDJSONLibrary.execute(#"{"@type":"getChatt","chat_id":1}"#)?.contains("Unknown class") == true)
        let misspelled = LibraryProbe.probe(TDRequest(.getChat, ["chatid": 1]))
        #expect(misspelled.first?.problem?.contains("ignores it") == true)
        let wrongType = LibraryProbe.probe(TDRequest(.searchPublicChat, ["username": 5]))
        #expect(wrongType.first { $0.field == "searchPublicChat.username" }?.problem == "the library expects String, the code sends Number")
    }
}
