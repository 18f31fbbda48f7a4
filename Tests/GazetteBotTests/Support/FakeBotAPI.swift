import Foundation
import Hummingbird
import Logging
import NIOCore

/// One request the fake Bot API received.
struct RecordedCall: Sendable {
    var method: String
    /// Top-level JSON fields (objects re-encoded as JSON) or multipart text fields.
    var fields: [String: String]
    var fileName: String?
    var file: Data?
    /// The raw request body, to check that the token never travels outside the path.
    var rawBody: Data

    var chatID: Int64? { fields["chat_id"].flatMap { Int64($0) } }
    var text: String? { fields["text"] }
}

/// A fake Telegram Bot API on 127.0.0.1 (random port): serves queued updates to `getUpdates` honouring `offset`,
/// answers send methods like Telegram, can be told to fail the next call of a method, and records everything.
actor FakeBotState {
    let token: String
    private(set) var calls: [RecordedCall] = []
    private var updates: [(id: Int64, json: Data)] = []
    private var scripted: [String: [(status: Int, body: String)]] = [:]
    private var nextMessageID: Int64 = 1000
    private(set) var paths: [String] = []

    init(token: String) { self.token = token }

    func push(updatesJSON data: Data) throws {
        let object = try JSONSerialization.jsonObject(with: data)
        let list: [Any]
        if let envelope = object as? [String: Any], let result = envelope["result"] as? [Any] { list = result } else { list = object as? [Any] ?? [object] }
        for item in list {
            guard let dict = item as? [String: Any], let id = (dict["update_id"] as? NSNumber)?.int64Value else { continue }
            updates.append((id, try JSONSerialization.data(withJSONObject: dict)))
        }
        updates.sort { $0.id < $1.id }
    }

    /// The next call of `method` answers with this status and body (the fixture of an error, typically).
    func fail(_ method: String, status: Int, body: String) {
        scripted[method, default: []].append((status, body))
    }

    func calls(_ method: String) -> [RecordedCall] { calls.filter { $0.method == method } }

    func pendingUpdates(from offset: Int64?) -> [Data] {
        updates.filter { offset == nil || $0.id >= offset! }.map(\.json)
    }

    func record(_ call: RecordedCall, path: String) {
        calls.append(call)
        paths.append(path)
    }

    func scriptedAnswer(_ method: String) -> (Int, String)? {
        guard var queue = scripted[method], !queue.isEmpty else { return nil }
        let first = queue.removeFirst()
        scripted[method] = queue
        return (first.status, first.body)
    }

    func newMessageID() -> Int64 {
        nextMessageID += 1
        return nextMessageID
    }
}

struct FakeBotAPI: Sendable {
    let state: FakeBotState
    let port: Int
    private let task: Task<Void, any Error>

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static func start(token: String) async throws -> FakeBotAPI {
        let state = FakeBotState(token: token)
        let router = Router()
        router.post("/{bot}/{method}") { request, context -> Response in
            let bot = try context.parameters.require("bot")
            let method = try context.parameters.require("method")
            let body = try await request.body.collect(upTo: 50 << 20)
            let data = Data(buffer: body)
            let contentType = request.headers[.contentType] ?? ""
            let call = try RecordedCall.parse(method: method, contentType: contentType, body: data)
            await state.record(call, path: request.uri.path)
            guard bot == "bot" + state.token else { return json(401, Fixtures.text("error_401_unauthorized.json")) }
            if let (status, text) = await state.scriptedAnswer(method) { return json(status, text) }
            return try await answer(method: method, call: call, state: state)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "fake-bot-api", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.runService() }
        var port = 0
        for await p in stream { port = p; break }
        return FakeBotAPI(state: state, port: port, task: task)
    }

    /// Servers are left running until the test process ends: a Hummingbird server that is cancelled while a client
    /// (e.g. a pooled connection of the shared HTTP client) connects trips a NIO precondition in debug builds.
    func stop() {}

    /// A Bot API address where nothing listens (port 1 on loopback): every call fails to connect.
    static func unreachable(token: String) -> FakeBotAPI {
        FakeBotAPI(state: FakeBotState(token: token), port: 1, task: Task {})
    }

    private static func answer(method: String, call: RecordedCall, state: FakeBotState) async throws -> Response {
        switch method {
        case "getMe":
            return json(200, Fixtures.text("getMe_ok.json"))
        case "getUpdates":
            let offset = call.fields["offset"].flatMap { Int64($0) }
            let timeout = call.fields["timeout"].flatMap { Double($0) } ?? 0
            let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
            var pending = await state.pendingUpdates(from: offset)
            while pending.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
                pending = await state.pendingUpdates(from: offset)
            }
            let items = pending.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ",")
            return json(200, "{\"ok\":true,\"result\":[\(items)]}")
        case "sendMessage", "editMessageText":
            let id = await state.newMessageID()
            let chat = call.chatID ?? 0
            return json(200, "{\"ok\":true,\"result\":{\"message_id\":\(id),\"date\":1715934700,\"chat\":{\"id\":\(chat),\"type\":\"private\"}}}")
        case "sendDocument":
            return json(200, Fixtures.text("sendDocument_ok.json"))
        case "answerCallbackQuery", "sendChatAction":
            return json(200, "{\"ok\":true,\"result\":true}")
        default:
            return json(404, "{\"ok\":false,\"error_code\":404,\"description\":\"Not Found: method not found\"}")
        }
    }

    static func json(_ status: Int, _ text: String) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension RecordedCall {
    static func parse(method: String, contentType: String, body: Data) throws -> RecordedCall {
        var call = RecordedCall(method: method, fields: [:], rawBody: body)
        if contentType.hasPrefix("multipart/form-data"), let range = contentType.range(of: "boundary=") {
            let boundary = String(contentType[range.upperBound...])
            for part in Multipart.parts(body, boundary: boundary) {
                if let fileName = part.fileName {
                    call.fileName = fileName
                    call.file = part.body
                } else {
                    call.fields[part.name] = String(decoding: part.body, as: UTF8.self)
                }
            }
        } else if !body.isEmpty, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] {
            for (key, value) in object {
                switch value {
                case let s as String: call.fields[key] = s
                case let n as NSNumber: call.fields[key] = n.stringValue
                default: call.fields[key] = String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
                }
            }
        }
        return call
    }
}

enum Multipart {
    struct Part {
        var name: String
        var fileName: String?
        var body: Data
    }

    static func parts(_ data: Data, boundary: String) -> [Part] {
        let bytes = [UInt8](data)
        let delimiter = [UInt8](("--" + boundary).utf8)
        var parts: [Part] = []
        var starts: [Int] = []
        var i = 0
        while i + delimiter.count <= bytes.count {
            if bytes[i..<i + delimiter.count].elementsEqual(delimiter) { starts.append(i); i += delimiter.count } else { i += 1 }
        }
        for (n, start) in starts.enumerated() where n + 1 < starts.count {
            let from = start + delimiter.count + 2 // CRLF after the delimiter
            let to = starts[n + 1] - 2 // CRLF before the next delimiter
            guard from < to else { continue }
            let chunk = Array(bytes[from..<to])
            guard let split = find([13, 10, 13, 10], in: chunk) else { continue }
            let headers = String(decoding: chunk[..<split], as: UTF8.self)
            let body = Data(chunk[(split + 4)...])
            guard let name = attribute("name", in: headers) else { continue }
            parts.append(Part(name: name, fileName: attribute("filename", in: headers), body: body))
        }
        return parts
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<i + needle.count].elementsEqual(needle) { return i }
        return nil
    }

    private static func attribute(_ name: String, in headers: String) -> String? {
        guard let range = headers.range(of: "\(name)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
