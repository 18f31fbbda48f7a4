import AsyncHTTPClient
import Foundation
import GazetteCore
import Logging
import NIOCore
import Tracing

/// A minimal Telegram Bot API client over async-http-client.
///
/// The token only ever appears in the request path (`/bot<token>/<method>`); it is kept as a `Secret`, never
/// logged, and error messages never carry the URL. One instance is shared by every part of the bot.
///
/// Tracing: AsyncHTTPClient would record each request's URL (with the token) in its span, so the bot's client is
/// made with its tracing off (`makeHTTPClient()`), and each call gets a `bot.api` span of its own that names the
/// method and the status only.
public struct BotAPIClient: Sendable {
    public let baseURL: URL
    private let token: Secret
    private let http: HTTPClient
    private let logger: Logger
    /// Upper bound on a non-polling call.
    public var requestTimeout: TimeAmount = .seconds(30)
    /// Bot API answers are small JSON; documents go the other way.
    private let maxResponseBytes = 4 << 20

    /// The HTTP client for the Bot API: AsyncHTTPClient's own request spans are off, because they carry the URL.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public init(baseURL: URL, token: Secret, httpClient: HTTPClient, logger: Logger) {
        self.baseURL = baseURL
        self.token = token
        self.http = httpClient
        self.logger = logger
    }

    // MARK: Methods

    public func getMe() async throws(BotAPIError) -> User {
        try await call("getMe", EmptyParams())
    }

    /// Long polling: waits up to `timeout` seconds for updates with `update_id >= offset`.
    public func getUpdates(offset: Int64?, timeout: Int, limit: Int = 100) async throws(BotAPIError) -> [Update] {
        struct Params: Encodable {
            var offset: Int64?
            var timeout: Int
            var limit: Int
            var allowedUpdates: [String]
        }
        return try await call("getUpdates", Params(offset: offset, timeout: timeout, limit: limit, allowedUpdates: Update.allowedKinds),
                              timeout: .seconds(Int64(timeout) + 15))
    }

    @discardableResult
    public func sendMessage(chatID: Int64, html: String, keyboard: InlineKeyboardMarkup? = nil) async throws(BotAPIError) -> Message {
        struct Params: Encodable {
            var chatId: Int64
            var text: String
            var parseMode = "HTML"
            var linkPreviewOptions = ["is_disabled": true]
            var replyMarkup: InlineKeyboardMarkup?
        }
        return try await call("sendMessage", Params(chatId: chatID, text: html, replyMarkup: keyboard))
    }

    /// Sends plain text without a parse mode (used for text digests, whose markdown is not HTML).
    @discardableResult
    public func sendPlainMessage(chatID: Int64, text: String) async throws(BotAPIError) -> Message {
        struct Params: Encodable {
            var chatId: Int64
            var text: String
            var linkPreviewOptions = ["is_disabled": true]
        }
        return try await call("sendMessage", Params(chatId: chatID, text: text))
    }

    public func editMessageText(chatID: Int64, messageID: Int64, html: String, keyboard: InlineKeyboardMarkup?) async throws(BotAPIError) {
        struct Params: Encodable {
            var chatId: Int64
            var messageId: Int64
            var text: String
            var parseMode = "HTML"
            var linkPreviewOptions = ["is_disabled": true]
            var replyMarkup: InlineKeyboardMarkup?
        }
        let _: MessageOrTrue = try await call("editMessageText", Params(chatId: chatID, messageId: messageID, text: html, replyMarkup: keyboard))
    }

    public func answerCallbackQuery(id: String, text: String? = nil) async throws(BotAPIError) {
        struct Params: Encodable {
            var callbackQueryId: String
            var text: String?
        }
        let _: Bool = try await call("answerCallbackQuery", Params(callbackQueryId: id, text: text))
    }

    public func sendChatAction(chatID: Int64, action: String) async throws(BotAPIError) {
        struct Params: Encodable {
            var chatId: Int64
            var action: String
        }
        let _: Bool = try await call("sendChatAction", Params(chatId: chatID, action: action))
    }

    /// Uploads a document with `multipart/form-data`. The caption is plain text.
    @discardableResult
    public func sendDocument(chatID: Int64, data: Data, fileName: String, mimeType: String = "application/pdf",
                             caption: String?) async throws(BotAPIError) -> Message {
        var form = MultipartForm()
        form.field("chat_id", String(chatID))
        if let caption { form.field("caption", caption) }
        form.file("document", fileName: fileName, mimeType: mimeType, data: data)
        return try await send("sendDocument", body: form.body(), contentType: form.contentType, timeout: .seconds(120))
    }

    // MARK: Transport

    private struct EmptyParams: Encodable {}

    /// `editMessageText` answers `true` for inline messages and the Message otherwise; either is success.
    private struct MessageOrTrue: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    func call<Params: Encodable, Result: Decodable>(_ method: String, _ params: Params,
                                                    timeout: TimeAmount? = nil) async throws(BotAPIError) -> Result {
        let body: Data
        do {
            body = try Self.encoder.encode(params)
        } catch {
            throw .invalidResponse("cannot encode the \(method) request: \(error)")
        }
        return try await send(method, body: body, contentType: "application/json", timeout: timeout ?? requestTimeout)
    }

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        return e
    }()

    private func send<Result: Decodable>(_ method: String, body: Data, contentType: String,
                                         timeout: TimeAmount) async throws(BotAPIError) -> Result {
        let span = startSpan("bot.api", ofKind: .client)
        span.attributes["gazette.bot.method"] = method
        defer { span.end() }
        do {
            return try await exchange(method, body: body, contentType: contentType, timeout: timeout, span: span)
        } catch {
            span.attributes["gazette.error_type"] = error.kind.rawValue
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    private func exchange<Result: Decodable>(_ method: String, body: Data, contentType: String, timeout: TimeAmount,
                                             span: any Span) async throws(BotAPIError) -> Result {
        var request = HTTPClientRequest(url: methodURL(method))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.headers.add(name: "User-Agent", value: "Gazette-Bot")
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let payload: ByteBuffer
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            span.attributes["http.status_code"] = status
            payload = try await response.body.collect(upTo: maxResponseBytes)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw .timeout
        } catch {
            throw .network(redact(String(describing: error)))
        }
        let decoded: APIResponse<Result>
        do {
            decoded = try JSONDecoder().decode(APIResponse<Result>.self, from: Data(payload.readableBytesView))
        } catch {
            if status == 401 { throw .unauthorized }
            if status >= 500 { throw .server(status: status, "HTTP \(status)") }
            throw .invalidResponse("\(method) answered HTTP \(status) with a body that is not Bot API JSON")
        }
        if decoded.ok, let result = decoded.result { return result }
        let code = decoded.errorCode ?? status
        let text = redact(decoded.description ?? "HTTP \(code)")
        logger.debug("bot api call failed", metadata: ["method": .string(method), "status": .stringConvertible(code)])
        switch code {
        case 401: throw .unauthorized
        case 409: throw .conflict(text)
        case 429: throw .tooManyRequests(retryAfter: max(1, decoded.parameters?.retryAfter ?? 1))
        case 400: throw .badRequest(text)
        case 403: throw .forbidden(text)
        default:
            if decoded.ok { throw .invalidResponse("\(method) answered ok without a result") }
            throw .server(status: code, text)
        }
    }

    private func methodURL(_ method: String) -> String {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return "\(base)/bot\(token.value)/\(method)"
    }

    /// Belt and braces: nothing that leaves this type may contain the token.
    func redact(_ text: String) -> String {
        token.value.isEmpty ? text : text.replacingOccurrences(of: token.value, with: Secret.mask)
    }
}
