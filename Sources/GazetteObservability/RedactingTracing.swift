import Hummingbird
import HTTPTypes

/// Paths that carry a secret: the web reader's `/u/<token>/…` (issue 18). What is recorded about a request (span
/// attributes, logs) uses `redact(_:)`; metrics use the route pattern (`/u/{token}/…`), which never holds the token.
public enum SecretPaths {
    public static let placeholder = "{token}"

    /// `/u/<token>/digest` → `/u/{token}/digest`; other paths are returned unchanged.
    public static func redact(_ path: String) -> String {
        guard path.hasPrefix("/u/") else { return path }
        let rest = path.dropFirst(3)
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/u/" + placeholder }
        return "/u/" + placeholder + rest[slash...]
    }
}

/// Hummingbird's `TracingMiddleware` (a span per request, route and status), shown the request with its path
/// redacted (`url.path` would otherwise hold a web token); the route itself runs on the real request.
public struct RedactingTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracing = TracingMiddleware<Context>()

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.head.path ?? ""
        let redacted = SecretPaths.redact(path)
        guard redacted != path else { return try await tracing.handle(request, context: context, next: next) }
        var head = request.head
        head.path = redacted
        let shown = Request(head: head, body: .init(buffer: ByteBuffer()))
        return try await tracing.handle(shown, context: context) { _, context in try await next(request, context) }
    }
}
