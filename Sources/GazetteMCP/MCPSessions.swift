import Foundation
import GazetteCore
import Logging
import MCP
import ServiceLifecycle

/// Streamable HTTP sessions: one MCP `Server` and one stateful transport per session, created on `initialize`,
/// dropped on DELETE, after `idleTimeout` without requests, or oldest-first beyond `maxSessions`.
///
/// The table is a service of the process's group: it sweeps idle sessions every `sweepInterval` and, on shutdown,
/// closes every session after the HTTP server has stopped taking requests. Idle sessions are also looked for on a
/// request when a sweep is due, so a table that is not run as a service (tests) still expires them.
public actor MCPSessions: Service {
    private struct Session {
        let server: Server
        /// Whose token opened the session; every later request must carry a token of the same caller.
        let caller: Caller
        let transport: StatefulHTTPServerTransport
        /// What the server sends, fitted to the session's protocol version; knows that version.
        let conforming: ConformingTransport
        /// The answer streams of the session's requests in flight.
        let streams: RequestStreams
        var lastUsed: ContinuousClock.Instant
    }

    private var sessions: [String: Session] = [:]
    private let makeServer: @Sendable (Caller) async -> Server
    private let logger: Logger
    let idleTimeout: Duration
    let maxSessions: Int
    private let sweepInterval: Duration
    private var lastSweep = ContinuousClock.now

    init(idleTimeout: Duration = .seconds(1800), maxSessions: Int = 256, logger: Logger,
         makeServer: @escaping @Sendable (Caller) async -> Server) {
        self.idleTimeout = idleTimeout
        self.maxSessions = maxSessions
        sweepInterval = min(idleTimeout, .seconds(60))
        self.logger = logger
        self.makeServer = makeServer
    }

    var count: Int { sessions.count }

    public func run() async throws {
        let interval = sweepInterval
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    try await Task.sleep(for: interval)
                    await self.evictIdle()
                }
            }
        } catch is CancellationError {
            // Graceful shutdown ended the sweeping.
        }
        await closeAll()
    }

    /// The transport's own checks minus Origin/Host, which `OriginPolicy` does for every request first.
    private static let pipeline = StandardValidationPipeline(validators: [
        AcceptHeaderValidator(mode: .sseRequired),
        ContentTypeValidator(),
        ProtocolVersionValidator(),
        SessionValidator(),
    ])

    func handle(_ request: MCP.HTTPRequest, caller: Caller = .admin) async -> MCP.HTTPResponse {
        if ContinuousClock.now - lastSweep >= sweepInterval { await evictIdle() }
        if let id = request.header(HTTPHeaderName.sessionID) {
            guard var session = sessions[id] else {
                return .error(statusCode: 404, .invalidRequest("Not Found: unknown or expired session; initialize a new one"))
            }
            guard session.caller == caller else {
                return .error(statusCode: 403, .invalidRequest("Forbidden: this session was opened with another user's token"))
            }
            session.lastUsed = .now
            sessions[id] = session
            let response = await post(request, to: session, id: id)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                await close(id)
            }
            return response
        }
        guard request.method.uppercased() == "POST", Self.isInitialize(request.body) else {
            return .error(statusCode: 400, .invalidRequest("Bad Request: missing \(HTTPHeaderName.sessionID) header; send initialize first"))
        }
        if let body = request.body, case .reject(let error) = IncomingMessage.check(body, version: nil) {
            return Self.answer(error, sessionID: nil)
        }
        return await startSession(request, caller: caller)
    }

    /// A request of an open session: checked first (issue 23, item 6), then handed to the SDK; a request's answer
    /// stream also carries the notifications about it; a batch (protocol 2025-03-26) is answered with one array.
    private func post(_ request: MCP.HTTPRequest, to session: Session, id sessionID: String) async -> MCP.HTTPResponse {
        guard request.method.uppercased() == "POST", let body = request.body, !body.isEmpty else {
            return await session.transport.handleRequest(request)
        }
        switch IncomingMessage.check(body, version: await session.conforming.negotiatedVersion()) {
        case .reject(let error):
            return Self.answer(error, sessionID: sessionID)
        case .batch(let items):
            return await batch(items, of: request, in: session, id: sessionID)
        case .forward:
            guard let key = Self.requestKey(body) else { return await session.transport.handleRequest(request) }
            await session.streams.prepare(key)
            let response = await session.transport.handleRequest(request)
            guard case .stream(let source, let headers) = response else {
                await session.streams.close(key)
                return response
            }
            return .stream(await session.streams.relay(source, id: key), headers: headers)
        }
    }

    /// A JSON-RPC batch: each item handed to the SDK on its own, the responses answered together as one JSON array
    /// (202 when the batch held only notifications).
    private func batch(_ items: [Data], of request: MCP.HTTPRequest, in session: Session, id sessionID: String) async -> MCP.HTTPResponse {
        var answers: [Any] = []
        for item in items {
            if let shape = try? JSONDecoder().decode(JSONShape.self, from: item), case .reject(let error) = IncomingMessage.checkOne(shape) {
                answers.append((try? JSONSerialization.jsonObject(with: error.encoded(nullID: true))) ?? [String: Any]())
                continue
            }
            let single = MCP.HTTPRequest(method: request.method, headers: request.headers, body: item, path: request.path)
            let response = await session.transport.handleRequest(single)
            guard case .stream(let stream, _) = response, let key = Self.requestKey(item) else { continue }
            var text = ""
            do {
                for try await chunk in stream { text += String(decoding: chunk, as: UTF8.self) }
            } catch {
                continue
            }
            for message in SSEText.messages(text) {
                if let object = (try? JSONSerialization.jsonObject(with: message)) as? [String: Any], object["method"] == nil,
                   ConformingTransport.idKey(object["id"]) == key {
                    answers.append(object)
                }
            }
        }
        guard !answers.isEmpty, let data = try? JSONSerialization.data(withJSONObject: answers, options: [.withoutEscapingSlashes]) else {
            return .accepted(headers: [HTTPHeaderName.sessionID: sessionID])
        }
        return .data(data, headers: [HTTPHeaderName.contentType: "application/json", HTTPHeaderName.sessionID: sessionID])
    }

    /// A JSON-RPC error answered in place of the SDK: HTTP 400 when the request itself cannot be read (no id; the body
    /// leaves the id out, `MCPRoute`), else the error response to the request, as JSON.
    static func answer(_ error: WireError, sessionID: String?) -> MCP.HTTPResponse {
        guard error.id != nil else { return .error(statusCode: 400, error.error, sessionID: sessionID) }
        var headers = [HTTPHeaderName.contentType: "application/json"]
        if let sessionID { headers[HTTPHeaderName.sessionID] = sessionID }
        return .data(error.encoded(nullID: false), headers: headers)
    }

    /// The id of a request, as the SDK keys its streams; nil for notifications and responses.
    static func requestKey(_ body: Data) -> String? {
        guard let message = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], message["method"] is String else { return nil }
        return ConformingTransport.idKey(message["id"])
    }

    private func startSession(_ request: MCP.HTTPRequest, caller: Caller) async -> MCP.HTTPResponse {
        await evictIdle()
        while sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            await close(oldest)
        }
        let id = UUID().uuidString
        let transport = StatefulHTTPServerTransport(sessionIDGenerator: FixedSessionID(id: id), validationPipeline: Self.pipeline,
                                                    logger: logger)
        let streams = RequestStreams()
        let conforming = ConformingTransport(transport, checksIncoming: false, streams: streams)
        let server = await makeServer(caller)
        do {
            try await server.start(transport: conforming)
        } catch {
            logger.error("MCP session could not start", metadata: ["error": "\(error)"])
            return .error(statusCode: 503, .internalError("the MCP session could not be started"))
        }
        sessions[id] = Session(server: server, caller: caller, transport: transport, conforming: conforming, streams: streams,
                               lastUsed: .now)
        let response = await transport.handleRequest(request)
        if response.statusCode >= 400 {
            await close(id)  // a refused initialize leaves no session behind
        }
        return response
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
    }

    /// Drops the sessions idle for longer than `idleTimeout`.
    func evictIdle() async {
        let now = ContinuousClock.now
        lastSweep = now
        for (id, session) in sessions where now - session.lastUsed > idleTimeout {
            await close(id)
        }
    }

    func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    static func isInitialize(_ body: Data?) -> Bool {
        guard let body, let kind = JSONRPCKind(body) else { return false }
        return kind.method == "initialize" && kind.hasID
    }
}

/// The session id chosen by `MCPSessions`, handed to the transport.
struct FixedSessionID: SessionIDGenerator {
    let id: String
    func generateSessionID() -> String { id }
}

/// Just enough of a JSON-RPC message to route it.
struct JSONRPCKind: Decodable {
    let method: String?
    let hasID: Bool

    private enum Keys: String, CodingKey { case method, id }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        method = try c.decodeIfPresent(String.self, forKey: .method)
        hasID = c.contains(.id)
    }

    init?(_ data: Data) {
        do {
            self = try JSONDecoder().decode(JSONRPCKind.self, from: data)
        } catch {
            return nil  // not a JSON-RPC object: not an initialize request
        }
    }
}
