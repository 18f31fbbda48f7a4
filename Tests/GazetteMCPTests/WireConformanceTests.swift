import Foundation
import Testing
@testable import GazetteMCP

/// The checks made before the SDK sees a message, and the rewrites of what the server sends, per protocol version
/// (issue 23, item 6). The end-to-end proof is tests/python/test_mcp_schema.py against the official schemas.
@Suite struct WireConformanceTests {
    static func check(_ text: String, version: String? = "2025-06-18") -> IncomingMessage {
        IncomingMessage.check(Data(text.utf8), version: version)
    }

    static func rejected(_ text: String, version: String? = "2025-06-18") -> WireError? {
        if case .reject(let error) = check(text, version: version) { return error }
        return nil
    }

    @Test(arguments: [
        (#"{"jsonrpc":"2.0","id":1,"method":"ping""#, -32700, WireID?.none),
        (#"{"jsonrpc":"2.0","id":7}"#, -32600, WireID.int(7)),
        (#"{"jsonrpc":"1.0","id":7,"method":"ping"}"#, -32600, WireID.int(7)),
        (#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#, -32600, nil),
        (#"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, -32600, nil),
        (#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, -32600, nil),
        (#"{"jsonrpc":"2.0","id":"a","method":7}"#, -32600, WireID.string("a")),
        (#"42"#, -32600, nil),
        (#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"arguments":{}}}"#, -32602, WireID.int(3)),
        (#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":[1]}}"#, -32602, WireID.int(3)),
        (#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":"x"}"#, -32602, WireID.int(3)),
        (#"{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{}}"#, -32602, WireID.int(3)),
        (#"{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{"name":"p","arguments":{"hours":24}}}"#, -32602, WireID.int(3)),
        (#"{"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"loud"}}"#, -32602, WireID.int(3)),
    ] as [(String, Int, WireID?)])
    func malformedMessagesGetTheCodeTheSpecificationNames(text: String, code: Int, id: WireID?) {
        let error = Self.rejected(text)
        #expect(error?.code == code, "\(text)")
        #expect(error?.id == id, "\(text)")
    }

    @Test func wellFormedMessagesGoToTheSDK() {
        #expect(Self.check(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_channels","arguments":{}}}"#) == .forward)
        #expect(Self.check(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == .forward)
        #expect(Self.check(#"{"jsonrpc":"2.0","id":"x","method":"ping"}"#) == .forward)
        #expect(Self.check(#"{"jsonrpc":"2.0","id":4,"result":{}}"#) == .forward)
    }

    @Test func batchesOnlyIn20250326() {
        let batch = #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]"#
        for version in ["2024-11-05", "2025-06-18", "2025-11-25", nil] as [String?] {
            #expect(Self.rejected(batch, version: version)?.code == -32600)
            #expect(Self.rejected(batch, version: version)?.id == nil)
        }
        guard case .batch(let items) = Self.check(batch, version: "2025-03-26") else {
            Issue.record("a batch in 2025-03-26 is split into its items")
            return
        }
        #expect(items.count == 2)
        #expect(Self.rejected("[]", version: "2025-03-26")?.code == -32600)
    }

    @Test func errorsWithoutAReadableIdSayNullOverStdioAndNothingOverHTTP() throws {
        let error = WireError.parse()
        let stdio = try #require(try JSONSerialization.jsonObject(with: error.encoded(nullID: true)) as? [String: Any])
        #expect(stdio["id"] is NSNull)
        let http = try #require(try JSONSerialization.jsonObject(with: error.encoded(nullID: false)) as? [String: Any])
        #expect(http["id"] == nil)
        #expect((http["error"] as? [String: Any])?["code"] as? Int == -32700)
    }

    static let promptWithLink = Data(#"""
        {"jsonrpc":"2.0","id":5,"result":{"messages":[{"role":"user","content":{"type":"text","text":"hi"}},
        {"role":"user","content":{"type":"resource_link","uri":"gazette://users/1/digest?hours=24","name":"digest",
        "title":"Digest","mimeType":"text/markdown"}}]}}
        """#.utf8)

    @Test func resourceLinksBecomeTextBeforeTheVersionsThatHaveThem() throws {
        for version in ["2024-11-05", "2025-03-26"] {
            let out = OutgoingConformance.conform(Self.promptWithLink, version: version, answering: "prompts/get")
            let text = String(decoding: out, as: UTF8.self)
            #expect(!text.contains("resource_link"), "\(version)")
            #expect(text.contains("gazette://users/1/digest?hours=24"), "the link's URI stays, as text")
        }
        for version in ["2025-06-18", "2025-11-25"] {
            #expect(OutgoingConformance.conform(Self.promptWithLink, version: version, answering: "prompts/get") == Self.promptWithLink)
        }
        // Only results of the requests that carry content blocks are touched.
        #expect(OutgoingConformance.conform(Self.promptWithLink, version: "2024-11-05", answering: "resources/read") == Self.promptWithLink)
    }

    @Test func toolResultLinksBecomeText() throws {
        let result = Data(#"{"jsonrpc":"2.0","id":9,"result":{"content":[{"type":"resource_link","uri":"gazette://documents/a.pdf","name":"digest.pdf"}],"isError":false}}"#.utf8)
        let out = OutgoingConformance.conform(result, version: "2025-03-26", answering: "tools/call")
        let object = try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        let content = try #require((object["result"] as? [String: Any])?["content"] as? [[String: Any]])
        #expect(content.first?["type"] as? String == "text")
        #expect((content.first?["text"] as? String)?.contains("gazette://documents/a.pdf") == true)
    }

    @Test func theNegotiatedVersionIsReadFromTheInitializeAnswer() {
        let answer = Data(#"{"jsonrpc":"2.0","id":0,"result":{"protocolVersion":"2025-03-26","capabilities":{},"serverInfo":{"name":"g","version":"1"}}}"#.utf8)
        #expect(OutgoingConformance.negotiatedVersion(in: answer) == "2025-03-26")
        #expect(OutgoingConformance.negotiatedVersion(in: Data(#"{"jsonrpc":"2.0","id":1,"result":{}}"#.utf8)) == nil)
    }

    @Test func sseBodiesYieldTheirDataPayloads() {
        let body = "id: a\nretry: 1\ndata: \n\nevent: message\ndata: {\"a\":1}\n\nevent: message\r\ndata: {\"b\":2}\r\n\r\n"
        #expect(SSEText.messages(body).map { String(decoding: $0, as: UTF8.self) } == [#"{"a":1}"#, #"{"b":2}"#])
    }
}
