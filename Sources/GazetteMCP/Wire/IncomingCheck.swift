import Foundation
import MCP

/// A JSON value as far as checking a message needs it: numbers that are whole are `int`, any other `number`.
indirect enum JSONShape: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONShape])
    case object([String: JSONShape])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Int.self) { self = .int(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .string(v) }
        else if let v = try? c.decode([JSONShape].self) { self = .array(v) }
        else { self = .object(try c.decode([String: JSONShape].self)) }
    }

    var object: [String: JSONShape]? { if case .object(let o) = self { o } else { nil } }
    var string: String? { if case .string(let s) = self { s } else { nil } }
}

/// A JSON-RPC id as MCP allows it: a string or a whole number (never null, a fraction, an object or an array).
enum WireID: Sendable, Equatable {
    case string(String)
    case int(Int)

    init?(_ shape: JSONShape?) {
        switch shape {
        case .string(let s)?: self = .string(s)
        case .int(let n)?: self = .int(n)
        default: return nil
        }
    }

    var json: Any {
        switch self {
        case .string(let s): return s
        case .int(let n): return n
        }
    }
}

/// An error answered in place of the SDK, with the request's id when it could be read.
struct WireError: Error, Sendable, Equatable {
    var error: MCPError
    var id: WireID?

    var code: Int { error.code }
    var message: String { error.errorDescription ?? "error \(error.code)" }

    static func parse() -> WireError { WireError(error: .parseError(nil), id: nil) }
    static func invalidRequest(_ why: String, id: WireID?) -> WireError { WireError(error: .invalidRequest(why), id: id) }
    static func invalidParams(_ why: String, id: WireID) -> WireError { WireError(error: .invalidParams(why), id: id) }

    static func == (a: WireError, b: WireError) -> Bool { a.code == b.code && a.message == b.message && a.id == b.id }

    /// The error response. Without a readable id, stdio answers `"id": null` (JSON-RPC 2.0, section 5) and HTTP leaves
    /// the id out (its answer is tied to the request by the HTTP exchange already).
    func encoded(nullID: Bool) -> Data {
        var body: [String: Any] = ["jsonrpc": "2.0", "error": ["code": code, "message": message]]
        if let id { body["id"] = id.json } else if nullID { body["id"] = NSNull() }
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}

/// What to do with one message a client sent, decided before the SDK sees it. The SDK (0.12.1) answers a message it
/// cannot decode with -32700 and an invented id, a malformed `tools/call` with -32603, an object id with nothing at all,
/// and takes batches in every protocol version (issue 23, item 6); these checks give each case the code the
/// specification names.
enum IncomingMessage: Sendable, Equatable {
    /// A well-formed message: the SDK handles it.
    case forward
    /// Answer with this error; nothing else happens.
    case reject(WireError)
    /// A JSON-RPC batch (protocol 2025-03-26 only): its items, each to be checked and handled on its own.
    case batch([Data])

    /// Batches belong to protocol 2025-03-26 alone: 2024-11-05 has none and 2025-06-18 removed them.
    static func batchesAllowed(in version: String?) -> Bool { version == "2025-03-26" }

    static func check(_ data: Data, version: String?) -> IncomingMessage {
        guard let shape = try? JSONDecoder().decode(JSONShape.self, from: data) else {
            return .reject(.parse())
        }
        if case .array(let items) = shape {
            guard batchesAllowed(in: version) else {
                return .reject(.invalidRequest("JSON-RPC batches are not part of protocol version \(version ?? "(before initialize)")", id: nil))
            }
            guard !items.isEmpty, let raw = try? JSONSerialization.jsonObject(with: data) as? [Any] else {
                return .reject(.invalidRequest("an empty batch", id: nil))
            }
            return .batch(raw.map { (try? JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed])) ?? Data() })
        }
        return checkOne(shape)
    }

    /// One message (not a batch).
    static func checkOne(_ shape: JSONShape) -> IncomingMessage {
        guard let message = shape.object else {
            return .reject(.invalidRequest("a message is a JSON object", id: nil))
        }
        let hasID = message["id"] != nil
        let id = WireID(message["id"])
        func invalid(_ why: String) -> IncomingMessage {
            .reject(.invalidRequest(why, id: id))
        }
        guard message["jsonrpc"] == .string("2.0") else { return invalid("\"jsonrpc\" must be \"2.0\"") }
        if hasID, id == nil { return invalid("\"id\" must be a string or a whole number") }
        guard let methodShape = message["method"] else {
            // A response to a request the server sent (Gazette sends none, but a response is a valid message).
            if id != nil, message["result"] != nil || message["error"] != nil { return .forward }
            return invalid("no \"method\"")
        }
        guard let method = methodShape.string else { return invalid("\"method\" must be a string") }
        guard let id else { return .forward }  // a notification: never answered
        func invalidParams(_ why: String) -> IncomingMessage {
            .reject(.invalidParams(why, id: id))
        }
        let params: [String: JSONShape]
        switch message["params"] {
        case nil, .null?: params = [:]
        case .object(let o)?: params = o
        default: return invalidParams("\"params\" of \(method) must be an object")
        }
        if let problem = paramsProblem(method: method, params: params) { return invalidParams(problem) }
        return .forward
    }

    /// What is wrong with the params of the requests Gazette serves, the way each version's schema has them.
    static func paramsProblem(method: String, params: [String: JSONShape]) -> String? {
        func string(_ key: String) -> String? {
            params[key]?.string == nil ? "\(method) needs \"\(key)\" (a string)" : nil
        }
        func object(_ key: String, optional: Bool) -> String? {
            switch params[key] {
            case .object?: return nil
            case nil where optional: return nil
            default: return "\"\(key)\" of \(method) must be an object"
            }
        }
        switch method {
        case "tools/call":
            return string("name") ?? object("arguments", optional: true)
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            return string("uri")
        case "prompts/get":
            if let problem = string("name") ?? object("arguments", optional: true) { return problem }
            if let arguments = params["arguments"]?.object, let key = arguments.keys.sorted().first(where: { arguments[$0]?.string == nil }) {
                return "prompt argument \"\(key.prefix(40))\" must be a string"
            }
            return nil
        case "logging/setLevel":
            let levels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"]
            guard let level = params["level"]?.string, levels.contains(level) else {
                return "logging/setLevel needs \"level\", one of \(levels.joined(separator: ", "))"
            }
            return nil
        case "initialize":
            return string("protocolVersion") ?? object("capabilities", optional: false) ?? object("clientInfo", optional: false)
        default:
            return nil
        }
    }
}
