import Foundation
import Logging
import MCP

/// A session's SDK transport (stdio or Streamable HTTP) behind Gazette's own checks (issue 23, item 6):
///
/// - with `checksIncoming` (stdio), every message a client sends is checked first (`IncomingMessage`) and a malformed
///   one is answered here with the code the specification names; over HTTP `MCPSessions` makes the same checks, since
///   its answer is an HTTP response;
/// - every message the server sends is made to fit the session's protocol version (`OutgoingConformance`);
/// - over Streamable HTTP, a notification sent while a request is handled (its progress, its log line) goes out on that
///   request's own SSE stream (`RequestStreams`); the SDK would send it to the standalone GET stream, which a client
///   need not open.
actor ConformingTransport: Transport, HTTPContextProviding {
    nonisolated let logger = Logger(label: "gazette.mcp.transport")
    private let inner: any Transport
    private let checksIncoming: Bool
    private let streams: RequestStreams?
    /// The protocol version `initialize` settled on; nil before.
    private(set) var version: String?
    /// Requests the server has not answered yet: id → method, so a response's shape can follow its request.
    private var pending: [String: String] = [:]
    private let incoming: AsyncThrowingStream<Data, any Error>
    private let incomingContinuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var pump: Task<Void, Never>?

    init(_ inner: any Transport, checksIncoming: Bool, streams: RequestStreams? = nil) {
        self.inner = inner
        self.checksIncoming = checksIncoming
        self.streams = streams
        let pair = AsyncThrowingStream<Data, any Error>.makeStream()
        incoming = pair.stream
        incomingContinuation = pair.continuation
    }

    func connect() async throws {
        try await inner.connect()
        let source = await inner.receive()
        let continuation = incomingContinuation
        pump = Task { [weak self] in
            do {
                for try await data in source {
                    guard let self else { break }
                    await self.take(data)
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
    }

    func disconnect() async {
        pump?.cancel()
        incomingContinuation.finish()
        await inner.disconnect()
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { incoming }

    func httpRequestContext(for id: ID) async -> MCP.HTTPRequest? {
        await (inner as? any HTTPContextProviding)?.httpRequestContext(for: id)
    }

    /// The version a message arriving now is checked against (`MCPSessions` asks before handing a POST to the SDK).
    func negotiatedVersion() -> String? { version }

    /// Each message is parsed once here (a tool's answer can hold a 4 MB PDF), and what follows reads the parsed form.
    func send(_ data: Data) async throws {
        let message = Self.object(data)
        if let streams, let message, Self.isNotification(message), let request = RelatedRequest.current(),
           await streams.send(data, about: request) {
            return
        }
        try await inner.send(conform(data, message))
    }

    // MARK: Incoming

    private func take(_ data: Data) async {
        guard checksIncoming else {
            remember(data)
            incomingContinuation.yield(data)
            return
        }
        switch IncomingMessage.check(data, version: version) {
        case .forward:
            remember(data)
            incomingContinuation.yield(data)
        case .reject(let error):
            try? await inner.send(error.encoded(nullID: true))
        case .batch(let items):
            // Well-formed items go to the SDK together (it answers a batch with one array); each malformed one is
            // answered on its own.
            var kept: [Any] = []
            for item in items {
                switch (try? JSONDecoder().decode(JSONShape.self, from: item)).map(IncomingMessage.checkOne) {
                case .reject(let error)?:
                    try? await inner.send(error.encoded(nullID: true))
                default:
                    remember(item)
                    if let object = try? JSONSerialization.jsonObject(with: item) { kept.append(object) }
                }
            }
            if !kept.isEmpty, let batch = try? JSONSerialization.data(withJSONObject: kept) { incomingContinuation.yield(batch) }
        }
    }

    /// Notes a request's method under its id.
    private func remember(_ data: Data) {
        guard let message = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let method = message["method"] as? String, let key = Self.idKey(message["id"]) else { return }
        pending[key] = method
    }

    // MARK: Outgoing

    /// `data` fitted to the session's version; an array (a batch answer) element by element. `message` is `data` parsed,
    /// when it is an object.
    private func conform(_ data: Data, _ message: [String: Any]?) -> Data {
        if let message { return conformOne(data, message) }
        guard data.first == UInt8(ascii: "["), let items = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else { return data }
        let conformed = items.compactMap { item -> Any? in
            guard let object = item as? [String: Any], let one = try? JSONSerialization.data(withJSONObject: object) else { return item }
            return try? JSONSerialization.jsonObject(with: conformOne(one, object))
        }
        return (try? JSONSerialization.data(withJSONObject: conformed, options: [.withoutEscapingSlashes])) ?? data
    }

    private func conformOne(_ data: Data, _ message: [String: Any]) -> Data {
        guard message["method"] == nil, let key = Self.idKey(message["id"]) else { return data }
        let method = pending.removeValue(forKey: key)
        if method == "initialize", let negotiated = OutgoingConformance.negotiatedVersion(of: message) { version = negotiated }
        return OutgoingConformance.conform(data, message: message, version: version, answering: method)
    }

    /// `data` as a JSON object; nil for anything else (a batch is an array).
    static func object(_ data: Data) -> [String: Any]? {
        guard data.first != UInt8(ascii: "[") else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func isNotification(_ message: [String: Any]) -> Bool {
        message["method"] != nil && message["id"] == nil
    }

    /// A JSON-RPC id as a dictionary key (the SDK keys its streams the same way).
    static func idKey(_ id: Any?) -> String? {
        switch id {
        case let s as String: s
        case let n as Int: String(n)
        default: nil
        }
    }
}

/// The request whose handler is running: read from the SDK's handler context, which carries the HTTP request (its body
/// is the JSON-RPC request). Nil over stdio and outside a handler.
enum RelatedRequest {
    static func current() -> String? {
        guard let body = Server.currentHandlerContext?.httpContext?.body,
              let message = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return nil }
        return ConformingTransport.idKey(message["id"])
    }
}

/// The SSE answer streams of a session's requests in flight (Streamable HTTP), so that a notification about a request
/// goes out on the request's own stream, before its response.
actor RequestStreams {
    private struct Open {
        let stream: AsyncThrowingStream<Data, any Error>
        let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    }
    private var open: [String: Open] = [:]

    /// Opens request `id`'s stream before the SDK sees the request, so that nothing the handler sends can come too early.
    func prepare(_ id: String) {
        let (stream, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        open[id] = Open(stream: stream, continuation: continuation)
    }

    /// The stream the client reads: the SDK's answer stream for request `id`, with the notifications about it.
    func relay(_ source: AsyncThrowingStream<Data, any Error>, id: String) -> AsyncThrowingStream<Data, any Error> {
        guard let entry = open[id] else { return source }
        Task {
            do {
                for try await chunk in source { entry.continuation.yield(chunk) }
                await self.close(id)
                entry.continuation.finish()
            } catch {
                await self.close(id)
                entry.continuation.finish(throwing: error)
            }
        }
        return entry.stream
    }

    /// Forgets a prepared stream the SDK did not answer with a stream (an HTTP error).
    func close(_ id: String) {
        open.removeValue(forKey: id)?.continuation.finish()
    }

    /// Sends `message` on request `id`'s stream; false when it has none (then the caller sends it the usual way).
    func send(_ message: Data, about id: String) -> Bool {
        guard let entry = open[id] else { return false }
        entry.continuation.yield(Data("event: message\ndata: ".utf8) + message + Data("\n\n".utf8))
        return true
    }
}

/// The `data:` payloads of an SSE body (events without data, such as the SDK's priming event, carry none).
enum SSEText {
    static func messages(_ text: String) -> [Data] {
        text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n").compactMap { event in
            let data = event.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { $0.hasPrefix("data:") }
                .map { $0.dropFirst(5).drop { $0 == " " } }
                .joined(separator: "\n")
            return data.isEmpty ? nil : Data(data.utf8)
        }
    }
}
