import Foundation
import Hummingbird
import HTTPTypes
import MCP

/// JSON responses and error bodies of the REST API: `{"error": {"code", "message"}}`.
enum JSONResponse {
    static func value(_ value: Value, status: HTTPResponse.Status = .ok) -> Response {
        data(encode(value), status: status)
    }

    static func error(_ status: HTTPResponse.Status, code: String, message: String, argument: String? = nil,
                      headers: HTTPFields = [:]) -> Response {
        var body: [String: Value] = ["code": .string(code), "message": .string(message)]
        if let argument { body["argument"] = .string(argument) }
        var response = data(encode(["error": .object(body)]), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func toolError(_ error: ToolError) -> Response {
        var argument: String?
        if case .invalidArguments(let name, _) = error { argument = name }
        return self.error(HTTPResponse.Status(code: error.httpStatus), code: error.code, message: error.description, argument: argument)
    }

    static func data(_ data: Data, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Encodes a tool result. `Value` holds only JSON-representable cases, so a failure here is a bug in a tool;
    /// it is reported as a JSON error object rather than an empty body.
    static func encode(_ value: Value) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            return Data(#"{"error":{"code":"encoding_failed","message":"the result could not be encoded as JSON"}}"#.utf8)
        }
    }
}

/// Reading request bodies with the 8 MB cap and a nesting limit, so no body can exhaust memory or the stack.
enum RequestBody {
    static let maxBytes = 8 * 1024 * 1024
    static let maxDepth = 64

    enum Failure: Error, Equatable {
        case tooLarge
        case tooDeep
    }

    static func collect(_ request: Request) async throws(Failure) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes { throw .tooLarge }
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch {
            throw .tooLarge
        }
    }

    /// Depth of `[`/`{` nesting outside strings; decoders recurse per level, so deep input is refused before decoding.
    static func checkDepth(_ buffer: ByteBuffer) throws(Failure) {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in buffer.readableBytesView {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { throw .tooDeep }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
    }

    static func failureResponse(_ failure: Failure) -> Response {
        switch failure {
        case .tooLarge:
            JSONResponse.error(.contentTooLarge, code: "body_too_large", message: "request body is larger than 8 MB")
        case .tooDeep:
            JSONResponse.error(.badRequest, code: "invalid_json", message: "JSON is nested deeper than \(maxDepth) levels")
        }
    }
}
