import Foundation
import MCP
import Testing
@testable import GazetteMCP

/// The tools with the production services: real t.me parsing (from a fake t.me on loopback), the extractive
/// summarizer, the PDF renderer and the digest service, with their metrics on the server's `/metrics`.
@Suite struct LiveToolsTests {
    @Test func fetchSummarizeAndRenderWithRealServices() async throws {
        try await FakeTelegram.with { preview in
            try await TestServer.with(previewBaseURL: preview) { server in
                let meta = try await server.call("get_channel_metadata", ["channel_username": "t.me/topwar_official"])
                #expect(meta.json?["result"]?["title"] == "Военное обозрение", "\(meta.text)")
                #expect(meta.json?["result"]?["subscribers"] == 109000)

                let collected = try await server.call("collect_posts", ["channel_username": "topwar_official", "user_id": 1, "hours": 48])
                let saved = try #require(collected.json?["result"]?["saved"]?.intValue, "\(collected.text)")
                #expect(saved > 0)
                let again = try await server.call("collect_posts", ["channel_username": "topwar_official", "user_id": 1, "hours": 48])
                #expect(again.json?["result"]?["skipped"]?.intValue == saved)

                let missing = try await server.call("get_posts", ["channel_username": "nosuchchannel"])
                #expect(missing.status == 404)

                let digest = try await server.call("get_channel_digest", ["user_id": 1, "hours": 48])
                #expect(digest.json?["result"]?["channels_count"] == 1)
                #expect(digest.json?["result"]?["digests"]?.arrayValue?.first?["summary"]?.stringValue?.isEmpty == false)

                let pdf = try await server.call("generate_pdf_digest", ["user_id": 1, "hours": 48])
                let encoded = try #require(pdf.json?["result"]?["pdf_bytes"]?.stringValue, "\(pdf.text.prefix(300))")
                let data = try #require(Data(base64Encoded: encoded))
                #expect(data.starts(with: Data("%PDF-".utf8)))
                #expect(pdf.json?["result"]?["file_size"]?.intValue == data.count)
                #expect((pdf.json?["result"]?["pages"]?.intValue ?? 0) >= 1)
                #expect(pdf.json?["result"]?["posts"]?.intValue == saved)

                let converted = try await server.call("convert_markdown_to_pdf", ["markdown": "# Привет\n\nHello, **world** 🚀"])
                #expect(converted.json?["result"]?["pages"] == 1, "\(converted.text.prefix(300))")
                let badTemplate = try await server.call("combine_markdown_sections", ["sections": ["a"], "template": "no placeholder"])
                #expect(badTemplate.status == 400)
                #expect(badTemplate.text.contains("template"))

                let metrics = try await server.request(.GET, "/metrics").text
                #expect(metrics.contains("pdf_generation_duration_seconds_count 2"))
                #expect(metrics.contains("source_requests_total"))
                #expect(metrics.contains(#"mcp_tool_calls_total{tool="collect_posts",outcome="ok"} 2"#))
            }
        }
    }
}
