import Foundation
import GazetteCore
import Hummingbird
import HTTPTypes
import MCP

/// `/mcp`: MCP Streamable HTTP (POST messages, GET the server stream, DELETE the session) through the SDK transport.
struct MCPRoute: Sendable {
    let sessions: MCPSessions
    let auth: BearerAuth?
    let origins: OriginPolicy

    func add<Context: Hummingbird.RequestContext>(to router: Router<Context>) {
        let route = self
        let handler: @Sendable (Request, Context) async throws -> Response = { request, _ in await route.handle(request) }
        router.post("/mcp", use: handler)
        router.get("/mcp", use: handler)
        router.delete("/mcp", use: handler)
    }

    func handle(_ request: Request) async -> Response {
        if let refusal = origins.check(origin: request.headers[.origin], authority: request.head.authority) { return refusal }
        var caller = Caller.admin
        if let auth {
            guard let known = auth.caller(request) else { return BearerAuth.unauthorized }
            caller = known
        }
        let body: ByteBuffer
        do throws(RequestBody.Failure) {
            body = try await RequestBody.collect(request)
            try RequestBody.checkDepth(body)
        } catch {
            return RequestBody.failureResponse(error)
        }
        var headers: [String: String] = [:]
        for field in request.headers {
            headers[field.name.canonicalName] = field.value
        }
        if let authority = request.head.authority { headers["host"] = authority }
        let mcpRequest = MCP.HTTPRequest(method: request.method.rawValue, headers: headers,
                                         body: body.readableBytes > 0 ? Data(body.readableBytesView) : nil, path: request.uri.path)
        return Self.response(await sessions.handle(mcpRequest, caller: caller))
    }

    static func response(_ r: MCP.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in r.headers {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        let status = HTTPResponse.Status(code: r.statusCode)
        if case .stream(let stream, _) = r {
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                for try await chunk in stream {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            })
        }
        let body = (errorBody(r) ?? r.bodyData).map { ResponseBody(byteBuffer: ByteBuffer(bytes: $0)) } ?? ResponseBody()
        return Response(status: status, headers: fields, body: body)
    }

    /// An HTTP-level error as a JSON-RPC error without an id: the SDK writes `"id": null`, which no MCP schema allows
    /// (an id is a string or a number); the request that failed is the HTTP request itself (issue 23, item 6).
    static func errorBody(_ r: MCP.HTTPResponse) -> Data? {
        guard case .error(_, let error, _, _) = r else { return nil }
        return WireError(error: error, id: nil).encoded(nullID: false)
    }
}
