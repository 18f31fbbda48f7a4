import Crypto
import Foundation
import MCP

/// Cursors of list-like tools: the position of the next page, bound to the tool and the user it lists and signed
/// with HMAC-SHA256 under a key made when the process starts. A cursor cannot be edited into another user's data or
/// another tool's, and one from before a restart is refused (the client starts again without it).
enum PageCursor {
    private static let key = SymmetricKey(size: .bits256)

    static func make(tool: String, userID: Int64, offset: Int) -> String {
        let payload = "\(tool)|\(userID)|\(offset)"
        return encode(Data(payload.utf8)) + "." + encode(mac(payload))
    }

    /// The offset a cursor stands for; throws an `invalidArguments` naming `cursor` when it is not this server's
    /// cursor for this tool and user.
    static func offset(_ cursor: String, tool: String, userID: Int64) throws(ToolError) -> Int {
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payloadData = decode(String(parts[0])), let given = decode(String(parts[1])),
              let payload = String(data: payloadData, encoding: .utf8) else {
            throw .invalidArguments(argument: "cursor", reason: "not a cursor of this server; call again without cursor")
        }
        // Compared in constant time (Crypto's MAC comparison), before anything in the payload is believed.
        guard HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: Data(payload.utf8), using: key) else {
            throw .invalidArguments(argument: "cursor", reason: "not a cursor of this server (or from before a restart); call again without cursor")
        }
        let fields = payload.split(separator: "|").map(String.init)
        guard fields.count == 3, let offset = Int(fields[2]), offset >= 0 else {
            throw .invalidArguments(argument: "cursor", reason: "not a cursor of this server; call again without cursor")
        }
        guard fields[0] == tool, fields[1] == String(userID) else {
            throw .invalidArguments(argument: "cursor", reason: "belongs to another tool or user_id; call again without cursor")
        }
        return offset
    }

    private static func mac(_ payload: String) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key))
    }

    private static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ text: String) -> Data? {
        guard text.count <= 512 else { return nil }
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

extension ToolArguments {
    /// Where a page starts: 0, or the offset of a `cursor` this server gave for the same tool and user.
    func pageOffset(tool: String, userID: Int64) throws(ToolError) -> Int {
        guard let cursor = try optionalString("cursor", maxLength: 512), !cursor.isEmpty else { return 0 }
        return try PageCursor.offset(cursor, tool: tool, userID: userID)
    }
}

extension Schema {
    static let cursor = string("Opaque cursor from a previous answer's next_cursor, for the next page.", maxLength: 512)
    static let nextCursor = nullable("string", "Pass as cursor to get the next page; null on the last page.")
}
