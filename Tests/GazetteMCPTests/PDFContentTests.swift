import Foundation
import GazetteCore
import MCP
import Testing
@testable import GazetteMCP

/// PDFs over MCP (issue 17): an embedded application/pdf blob, or above the limit a resource_link to a document the
/// session can read; never base64 inside the JSON.
@Suite struct PDFContentTests {
    static let pdf = Data("%PDF-1.4 a small test document %%EOF".utf8)
    static let value: Value = ["pdf_bytes": .string(pdf.base64EncodedString()), "file_size": .int(pdf.count), "pages": 1]

    @Test func smallPDFIsAnEmbeddedBlob() async throws {
        let result = await MCPServerFactory.result(of: .success(Self.value), tool: "convert_markdown_to_pdf", shelf: DocumentShelf())
        #expect(result.structuredContent?["pdf_bytes"] == nil)
        #expect(result.structuredContent?["file_size"] == .int(Self.pdf.count))
        guard case .resource(let resource, _, _) = try #require(result.content.last) else {
            Issue.record("no embedded resource: \(result.content)")
            return
        }
        #expect(resource.mimeType == "application/pdf")
        #expect(resource.blob.flatMap { Data(base64Encoded: $0) } == Self.pdf)
        if case .text(let text, _, _) = result.content[0] { #expect(!text.contains("pdf_bytes")) }
    }

    @Test func largePDFIsALinkToADocumentOfTheSession() async throws {
        let shelf = DocumentShelf(capacity: 2)
        let result = await MCPServerFactory.result(of: .success(Self.value), tool: "generate_pdf_digest", shelf: shelf, embedLimit: 8)
        guard case .resourceLink(let uri, _, _, _, let mimeType, _) = try #require(result.content.last) else {
            Issue.record("no resource link: \(result.content)")
            return
        }
        #expect(mimeType == "application/pdf")
        #expect(result.structuredContent?["resource_uri"] == .string(uri))
        #expect(await shelf.get(uri) == Self.pdf)
        #expect(await shelf.get(uri.replacingOccurrences(of: "-", with: "0")) == nil)
        // The oldest document leaves a full shelf.
        _ = await shelf.put(Data("b".utf8))
        _ = await shelf.put(Data("c".utf8))
        #expect(await shelf.get(uri) == nil)
    }

    @Test func restKeepsBase64() async throws {
        try await TestServer.with { server in
            let reply = try await server.call("convert_markdown_to_pdf", ["markdown": "# Title"])
            #expect(reply.json?["result"]?["pdf_bytes"]?.stringValue.flatMap { Data(base64Encoded: $0) } != nil, "\(reply.text.prefix(200))")
        }
    }
}
