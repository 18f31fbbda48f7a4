import Foundation
import GazetteCore
import MCP

/// Builds an MCP `Server` whose tools are the registry's; used for every HTTP session and for stdio.
public enum MCPServerFactory {
    /// `caller` is whose token opened the session (stdio: the local operator, an admin).
    public static func make(registry: ToolRegistry, caller: Caller = .admin, embedLimit: Int = defaultEmbedLimit,
                            watchInterval: Duration = .seconds(5)) async -> Server {
        let server = Server(
            name: "gazette", version: GazetteVersion.current, title: "Gazette",
            instructions: "Tools to subscribe to public Telegram channels, collect and read their posts, summarize them "
                + "and produce text or PDF digests. Resources: gazette://users/{user_id}/channels, "
                + "gazette://users/{user_id}/digest{?hours,format} and gazette://channels/{channel}/posts{?hours}.",
            capabilities: .init(logging: .init(), prompts: .init(listChanged: false),
                                resources: .init(subscribe: true, listChanged: false), tools: .init(listChanged: false)))
        let tools = registry.mcpTools
        let shelf = DocumentShelf()
        let session = SessionState()
        let resources = MCPResources(registry: registry, caller: caller, shelf: shelf)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: tools) }
        await server.withMethodHandler(CallTool.self) { [weak server] params in
            var progress: ToolProgress?
            if let token = params._meta?.progressToken, let server {
                progress = ToolProgress { done, total, message in
                    // A client that went away must not fail the tool: the notification is best-effort.
                    try? await server.notify(ProgressNotification.message(
                        .init(progressToken: token, progress: Double(done), total: Double(total), message: message)))
                }
            }
            let start = ContinuousClock.now
            let outcome = await registry.call(params.name, arguments: params.arguments, caller: caller, progress: progress)
            if let server {
                await session.log(server, tool: params.name, outcome: outcome, seconds: (ContinuousClock.now - start).inSeconds)
            }
            return await result(of: outcome, tool: params.name, shelf: shelf, embedLimit: embedLimit)
        }
        await server.withMethodHandler(SetLoggingLevel.self) { params in
            await session.setLevel(params.level)
            return Empty()
        }
        await server.withMethodHandler(ListResources.self) { _ in ListResources.Result(resources: try await resources.list()) }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in ListResourceTemplates.Result(templates: MCPResources.templates) }
        await server.withMethodHandler(ReadResource.self) { params in ReadResource.Result(contents: try await resources.read(params.uri)) }
        let watch = ResourceWatch(interval: watchInterval)
        await server.withMethodHandler(ResourceSubscribe.self) { [weak server] params in
            let fingerprint = try await resources.fingerprint(params.uri)
            await watch.subscribe(params.uri, fingerprint: fingerprint) { [weak server] uri in
                // The session is gone, or its client no longer listens: the watch ends.
                guard let server else { return false }
                do {
                    try await server.notify(ResourceUpdatedNotification.message(.init(uri: uri)))
                    return true
                } catch {
                    return false
                }
            } fingerprint: { uri in try? await resources.fingerprint(uri) }
            return Empty()
        }
        await server.withMethodHandler(ResourceUnsubscribe.self) { params in
            await watch.unsubscribe(params.uri)
            return Empty()
        }
        await server.withMethodHandler(ListPrompts.self) { _ in ListPrompts.Result(prompts: MCPPrompts.all) }
        await server.withMethodHandler(GetPrompt.self) { params in
            try MCPPrompts.get(params.name, arguments: params.arguments ?? [:], caller: caller, now: registry.context.now())
        }
        return server
    }

    /// PDFs up to this size travel embedded in the result; larger ones are kept on the session's shelf and linked.
    public static let defaultEmbedLimit = 4 * 1024 * 1024

    /// A success carries the JSON both as text (for clients that read text) and as structured content. A PDF
    /// (`pdf_bytes`, base64 over REST) leaves the JSON and travels as binary content: an embedded resource blob of
    /// type application/pdf, or above `embedLimit` a `resource_link` to a document the session can read.
    static func result(of outcome: Result<Value, ToolError>, tool: String = "", shelf: DocumentShelf? = nil,
                       embedLimit: Int = defaultEmbedLimit) async -> CallTool.Result {
        switch outcome {
        case .success(var value):
            var extra: [Tool.Content] = []
            if case .object(var object) = value, case .string(let encoded)? = object["pdf_bytes"], let pdf = Data(base64Encoded: encoded) {
                object.removeValue(forKey: "pdf_bytes")
                let name = tool == "generate_pdf_digest" ? "digest.pdf" : "document.pdf"
                if pdf.count > embedLimit, let shelf {
                    let uri = await shelf.put(pdf)
                    object["resource_uri"] = .string(uri)
                    extra.append(.resourceLink(uri: uri, name: name, title: "PDF (\(pdf.count) bytes)",
                                               description: "Read it with resources/read in this session.", mimeType: "application/pdf"))
                } else {
                    extra.append(.resource(resource: .binary(pdf, uri: "gazette://documents/\(name)", mimeType: "application/pdf")))
                }
                value = .object(object)
            }
            let text = String(decoding: JSONResponse.encode(value), as: UTF8.self)
            let structured: Value? = value
            return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)] + extra, structuredContent: structured,
                                   isError: false)
        case .failure(let error):
            return CallTool.Result(content: [.text(text: error.description, annotations: nil, _meta: nil)], isError: true)
        }
    }
}

/// What one MCP session remembers besides its transport: the log level the client chose (`logging/setLevel`).
actor SessionState {
    private var level: LogLevel?

    func setLevel(_ level: LogLevel) { self.level = level }

    static let order: [LogLevel] = [.debug, .info, .notice, .warning, .error, .critical, .alert, .emergency]

    /// A `notifications/message` for a tool run, when the client asked for logs at that level: the tool, its outcome
    /// and duration, never its arguments (which may carry anything a client sent).
    func log(_ server: Server, tool: String, outcome: Result<Value, ToolError>, seconds: Double) async {
        guard let level else { return }
        let (messageLevel, outcomeLabel): (LogLevel, String) = switch outcome {
        case .success: (.info, ToolOutcome.ok.rawValue)
        case .failure(let error): (error.outcome == .error ? .error : .warning, error.outcome.rawValue)
        }
        guard let at = Self.order.firstIndex(of: messageLevel), let min = Self.order.firstIndex(of: level), at >= min else { return }
        var data: [String: Value] = ["tool": .string(ToolError.shorten(tool)), "outcome": .string(outcomeLabel),
                                     "seconds": .double((seconds * 1000).rounded() / 1000)]
        if case .failure(let error) = outcome { data["error"] = .string(error.description) }
        try? await server.log(level: messageLevel, logger: "gazette.tools", data: .object(data))
    }
}

/// The resources a session subscribed to (`resources/subscribe`): every `interval` each one's fingerprint (its user's
/// channels' post counts, or its channel's newest post) is taken again, and a change sends
/// `notifications/resources/updated`. New posts come from the worker in another process, so the database is
/// what is watched.
actor ResourceWatch {
    typealias Notify = @Sendable (String) async -> Bool
    typealias Fingerprint = @Sendable (String) async -> String?

    private var fingerprints: [String: String] = [:]
    private var task: Task<Void, Never>?
    let interval: Duration

    init(interval: Duration) {
        self.interval = interval
    }

    func subscribe(_ uri: String, fingerprint: String, notify: @escaping Notify, fingerprint take: @escaping Fingerprint) {
        fingerprints[uri] = fingerprint
        guard task == nil else { return }
        let interval = self.interval
        task = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                guard let self, await self.check(notify: notify, take: take) else { return }
            }
        }
    }

    func unsubscribe(_ uri: String) {
        fingerprints.removeValue(forKey: uri)
        if fingerprints.isEmpty {
            task?.cancel()
            task = nil
        }
    }

    /// One round; false when the session is gone (the watch stops).
    private func check(notify: Notify, take: Fingerprint) async -> Bool {
        for (uri, old) in fingerprints {
            guard let new = await take(uri), new != old else { continue }
            fingerprints[uri] = new
            guard await notify(uri) else {
                task = nil
                return false
            }
        }
        return true
    }

    deinit { task?.cancel() }
}
