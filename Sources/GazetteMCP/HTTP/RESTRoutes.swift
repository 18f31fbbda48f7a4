import Foundation
import GazetteCore
import Hummingbird
import HTTPTypes
import MCP

/// The REST compatibility API: `GET /`, `GET /tools`, `POST /call`.
struct RESTRoutes: Sendable {
    let registry: ToolRegistry
    let auth: BearerAuth?

    static let endpoints = ["/", "/health", "/health/live", "/health/ready", "/metrics", "/tools", "/call", "/mcp"]

    func add<Context: Hummingbird.RequestContext>(to router: Router<Context>) {
        let routes = self
        router.get("/") { _, _ -> Response in
            JSONResponse.value([
                "service": "gazette", "version": .string(GazetteVersion.current),
                "endpoints": .array(Self.endpoints.map { .string($0) }),
                "tools": .int(routes.registry.tools.count),
            ])
        }
        router.get("/tools") { request, _ -> Response in
            if let auth = routes.auth, !auth.isAuthorized(request) { return BearerAuth.unauthorized }
            return routes.toolList
        }
        router.post("/call") { request, _ -> Response in
            var caller = Caller.admin
            if let auth = routes.auth {
                guard let known = auth.caller(request) else { return BearerAuth.unauthorized }
                caller = known
            }
            return await routes.call(request, caller: caller)
        }
    }

    var toolList: Response {
        let tools: [Value] = registry.tools.map {
            ["name": .string($0.name), "description": .string($0.description), "input_schema": $0.inputSchema]
        }
        return JSONResponse.value(["tools": .array(tools), "count": .int(tools.count)])
    }

    /// `{"tool_name": "...", "arguments": {...}}` → `{"result": ...}`; every refusal names what is wrong.
    func call(_ request: Request, caller: Caller = .admin) async -> Response {
        let buffer: ByteBuffer
        do throws(RequestBody.Failure) {
            buffer = try await RequestBody.collect(request)
            try RequestBody.checkDepth(buffer)
        } catch {
            return RequestBody.failureResponse(error)
        }
        guard buffer.readableBytes > 0 else {
            return JSONResponse.error(.badRequest, code: "invalid_json", message: #"empty body; send {"tool_name": "...", "arguments": {...}}"#)
        }
        let body: Value
        do {
            body = try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch {
            return JSONResponse.error(.badRequest, code: "invalid_json", message: "the body is not valid JSON")
        }
        guard case .object(let object) = body else {
            return JSONResponse.error(.badRequest, code: "invalid_request", message: #"the body must be a JSON object {"tool_name", "arguments"}"#)
        }
        for key in object.keys.sorted() where key != "tool_name" && key != "arguments" {
            return JSONResponse.error(.badRequest, code: "invalid_request", message: "unknown field '\(ToolError.shorten(key, limit: 40))'; use tool_name and arguments",
                                      argument: ToolError.shorten(key, limit: 40))
        }
        guard case .string(let name) = object["tool_name"] ?? .null else {
            return JSONResponse.error(.badRequest, code: "invalid_request", message: "tool_name is required and must be a string",
                                      argument: "tool_name")
        }
        var arguments: [String: Value]?
        switch object["arguments"] ?? .null {
        case .null: arguments = nil
        case .object(let a): arguments = a
        default:
            return JSONResponse.error(.badRequest, code: "invalid_request", message: "arguments must be a JSON object", argument: "arguments")
        }
        switch await registry.call(name, arguments: arguments, caller: caller) {
        case .success(let value): return JSONResponse.value(["result": value])
        case .failure(let error): return JSONResponse.toolError(error)
        }
    }
}
