import Foundation
@testable import GazetteAccount
import GazetteTestSupport
import Testing

/// The TDLib JSON Gazette reads and writes, checked against TDLib's own schema (`td_api.tl` 1.8.66 in
/// `Tests/Fixtures/tdlib/schema/`): every object of the fixtures, every request the code builds, every `@type` the
/// decoders match. A fixture or request that drifts from the schema fails here with its path.
@Suite("TDLib JSON against td_api.tl")
struct SchemaTests {
    static let schema = Result { try TLSchema.fixture() }

    /// Every problem of one fixture file: objects (any `@type` not inside another object), and for a script's steps
    /// that `on` is a method and its answer is of the method's result type (or an error).
    static func fixtureProblems(_ value: TDJSONValue, path: String, schema: TLSchema) -> [String] {
        switch value {
        case .object where value.objectType != nil:
            return schema.problems(in: value, path: path)
        case .object(let fields):
            if case .string(let method)? = fields["on"] {
                guard let function = schema.functions[method] else { return ["\(path).on: no function \(method)"] }
                var out: [String] = []
                if case .object(var with)? = fields["with"] {
                    with["@type"] = .string(method)
                    out += schema.requestProblems(.object(with), path: "\(path).with(\(method))")
                }
                if let answer = fields["answer"] {
                    let expected: TLSchema.FieldType? = answer.objectType == "error" ? nil : .class(function.result)
                    out += schema.problems(in: answer, expected: expected, path: "\(path).answer(\(method))")
                }
                if case .array(let updates)? = fields["updates"] {
                    for (i, update) in updates.enumerated() {
                        out += schema.problems(in: update, expected: .class("Update"), path: "\(path).updates[\(i)]")
                    }
                }
                return out
            }
            return fields.keys.sorted().flatMap { key in
                key == "start"
                    ? Self.updates(fields[key]!, path: "\(path).start", schema: schema)
                    : fixtureProblems(fields[key]!, path: "\(path).\(key)", schema: schema)
            }
        case .array(let items):
            return items.enumerated().flatMap { fixtureProblems($1, path: "\(path)[\($0)]", schema: schema) }
        default:
            return []
        }
    }

    static func updates(_ value: TDJSONValue, path: String, schema: TLSchema) -> [String] {
        guard case .array(let items) = value else { return ["\(path): not a list of updates"] }
        return items.enumerated().flatMap { schema.problems(in: $1, expected: .class("Update"), path: "\(path)[\($0)]") }
    }

    static var fixtureFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestFixtures.url("tdlib").path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test("the schema is read: constructors, functions, classes and nullable fields")
    func schemaIsRead() throws {
        let schema = try Self.schema.get()
        #expect(schema.constructors.count > 1500 && schema.functions.count > 900)
        let message = try #require(schema.constructors["message"])
        #expect(message.result == "Message")
        #expect(message.field("content")?.type == .class("MessageContent") && message.field("content")?.nullable == false)
        #expect(message.field("forward_info")?.nullable == true)
        #expect(message.field("media_album_id")?.type == .int64)
        #expect(schema.functions["joinChatByInviteLink"]?.result == "ChatJoinResult")
        #expect(schema.classes["ChatJoinResult"] == ["chatJoinResultSuccess", "chatJoinResultRequestSent",
                                                     "chatJoinResultGuardBotApprovalRequired", "chatJoinResultDeclined"])
        // `@param_description` documents a field named `description`.
        #expect(schema.constructors["chatInviteLinkInfo"]?.field("description")?.type == .string)
        #expect(schema.constructors["chatInviteLinkInfo"]?.field("photo")?.nullable == true)
    }

    @Test("the checker finds each kind of drift")
    func checkerFindsDrift() throws {
        let schema = try Self.schema.get()
        func problems(_ json: String, expected: TLSchema.FieldType? = nil) throws -> [String] {
            schema.problems(in: try TDJSONValue.parse(Data(json.utf8)), expected: expected, path: "x")
        }
        let text = #"{"@type":"formattedText","text":"a","entities":[]}"#
        #expect(try problems(text).isEmpty)
        #expect(try problems(#"{"@type":"formattedText","text":"a","entities":[],"bold":true}"#) == ["x.bold: not a field of formattedText"])
        #expect(try problems(#"{"@type":"formattedText","text":1,"entities":[]}"#) == ["x.text: a number, not string"])
        #expect(try problems(#"{"@type":"formattedText","text":"a"}"#)
                == ["x.entities: missing (formattedText.entities is vector<textEntity>, never null)"])
        #expect(try problems(#"{"@type":"formattedTexts"}"#) == ["x: no constructor formattedTexts"])
        #expect(try problems(text, expected: .class("ChatJoinResult")) == ["x: formattedText is a FormattedText, not a ChatJoinResult"])
        #expect(try problems(#"{"@type":"chatJoinResultGuardBotApprovalRequired","bot_user_id":1,"query_id":2}"#)
                == ["x.query_id: TDLib writes int64 as a string, not a number"])
        #expect(try problems(#"{"@type":"textEntity","offset":0,"length":3000000000,"type":{"@type":"textEntityTypeBold"}}"#)
                == ["x.length: 3000000000 is out of int32's range"])
        // A nullable field may be left out or null; one that is never null may not be null.
        #expect(try problems(#"{"@type":"chatPhotoInfo","small":null}"#).contains("x.small: null, but chatPhotoInfo.small is never null"))

        func request(_ json: String) throws -> [String] { schema.requestProblems(try TDJSONValue.parse(Data(json.utf8)), path: "r") }
        #expect(try request(#"{"@type":"getChatHistory","chat_id":1,"limit":100}"#).isEmpty)
        #expect(try request(#"{"@type":"getChatHistory","chat":1}"#) == ["r.chat: not a field of getChatHistory"])
        #expect(try request(#"{"@type":"getChatHistory","only_local":"no"}"#) == ["r.only_local: a string, not Bool"])
        #expect(try request(#"{"@type":"getChatHistories"}"#) == ["r: no function getChatHistories"])
        #expect(try request(#"{"@type":"chat"}"#) == ["r: no function chat (it is an object, not a request)"])
    }

    @Test("every object in the TDLib fixtures follows the schema", arguments: fixtureFiles)
    func fixture(name: String) throws {
        let schema = try Self.schema.get()
        let value = try TDJSONValue.parse(TestFixtures.data("tdlib/\(name)"))
        let problems = Self.fixtureProblems(value, path: name, schema: schema)
        #expect(problems.isEmpty, "\(problems.count) mismatches:\n\(problems.joined(separator: "\n"))")
    }

    @Test("the fixture folder holds the scripts the tests replay")
    func fixturesFound() {
        #expect(Self.fixtureFiles.count >= 8)
    }

    @Test("every request the code builds names a function, with its parameters and their types")
    func requests() throws {
        let schema = try Self.schema.get()
        let shapes = TDRequest.everyShape
        #expect(Set(shapes.map(\.method)) == Set(TDMethod.allCases), "everyShape holds one request of each method")
        var problems: [String] = []
        for request in shapes {
            problems += schema.requestProblems(try TDJSONValue.parse(Data(request.json(extra: "x").utf8)), path: request.type)
        }
        #expect(problems.isEmpty, "\(problems.count) mismatches:\n\(problems.joined(separator: "\n"))")
    }

    @Test("every @type the decoders match is a constructor of the schema")
    func decoderTypes() throws {
        let schema = try Self.schema.get()
        let missing = TDType.allCases.map(\.rawValue).filter { schema.constructors[$0] == nil }
        #expect(missing.isEmpty, "not in td_api.tl: \(missing)")
    }
}
