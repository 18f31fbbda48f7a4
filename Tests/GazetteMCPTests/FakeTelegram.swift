import GazetteTestSupport
import Foundation
import Hummingbird
import Logging

/// A fake t.me on a random loopback port serving the real preview fixture for `topwar_official`, with the posts
/// moved to yesterday (the `?before=` page keeps the original 2023 dates, so paging stops), 404 for other names.
enum FakeTelegram {
    static let channel = "topwar_official"

    static func fixture() throws -> String {
        try TestFixtures.text("telegram-preview/full.html")
    }

    static func with<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let original = try fixture()
        let yesterday = Date().addingTimeInterval(-86400).formatted(.iso8601.year().month().day())
        let recent = original.replacingOccurrences(of: "2023-02-28T", with: "\(yesterday)T")
        let router = Router()
        router.get("/s/:name") { request, context -> Response in
            guard context.parameters.get("name") == channel else { return Response(status: .notFound) }
            let page = request.uri.queryParameters.get("before") == nil ? recent : original
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
        }
        return try await FakeServer.run(router, body)
    }
}
