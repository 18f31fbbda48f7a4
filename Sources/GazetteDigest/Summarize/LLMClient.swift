import AsyncHTTPClient
import Foundation
import GazetteCore
import NIOCore

/// Why an LLM call failed; `outcome` is the metric label.
public struct LLMError: Error, Sendable, CustomStringConvertible {
    public let outcome: LLMOutcome
    public let detail: String

    public var description: String { "LLM request failed (\(outcome.rawValue)): \(detail)" }
}

/// A minimal client of an OpenAI-compatible `POST /v1/chat/completions`, with a per-request timeout and
/// retries with exponential backoff for timeouts, network errors, 429 and 5xx.
public struct LLMClient: Sendable {
    public struct Options: Sendable {
        public var timeout: Duration
        /// Attempts in total (1 = no retry).
        public var maxAttempts: Int
        /// Delay before the first retry; doubled for each further one.
        public var initialBackoff: Duration
        public var maxAnswerTokens: Int
        public init(timeout: Duration = .seconds(30), maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500),
                    maxAnswerTokens: Int = 800) {
            self.timeout = timeout
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxAnswerTokens = maxAnswerTokens
        }
    }

    public let endpoint: URL
    public let model: String
    private let apiKey: Secret?
    public let options: Options
    private let httpClient: HTTPClient
    private let metrics: LLMMetrics?
    private let clock: any GazetteClock

    /// `url` is the server's base (`http://host:port` or `…/v1`) or the full `/chat/completions` URL. The timeout and
    /// the pauses between attempts run on `clock`.
    public init(url: URL, model: String, apiKey: Secret?, options: Options = .init(), httpClient: HTTPClient = .shared,
                metrics: LLMMetrics?, clock: any GazetteClock = SystemClock()) {
        self.endpoint = Self.completionsURL(url)
        self.model = model
        self.apiKey = apiKey
        self.options = options
        self.httpClient = httpClient
        self.metrics = metrics
        self.clock = clock
    }

    static func completionsURL(_ url: URL) -> URL {
        let path = url.path
        if path.hasSuffix("/chat/completions") { return url }
        if path.hasSuffix("/v1") || path.hasSuffix("/v1/") { return url.appendingPathComponent("chat/completions") }
        return url.appendingPathComponent("v1/chat/completions")
    }

    /// Sends one system + user prompt and returns the answer's text.
    public func complete(system: String, user: String) async throws(LLMError) -> String {
        var attempt = 1
        var backoff = options.initialBackoff
        while true {
            do throws(Failure) {
                let answer = try await send(system: system, user: user)
                metrics?.request(.ok)
                return answer
            } catch {
                metrics?.request(error.outcome)
                guard attempt < options.maxAttempts, error.isRetryable else { throw error.error }
            }
            attempt += 1
            do {
                try await clock.sleep(seconds: backoff.inSeconds)
            } catch {
                throw LLMError(outcome: .timeout, detail: "cancelled while waiting to retry")
            }
            backoff *= 2
        }
    }

    private struct Failure: Error {
        var error: LLMError
        var isRetryable: Bool
        var outcome: LLMOutcome { error.outcome }
    }

    private func send(system: String, user: String) async throws(Failure) -> String {
        let body: Data
        do {
            body = try JSONEncoder().encode(ChatRequest(model: model, messages: [.init(role: "system", content: system),
                                                                                  .init(role: "user", content: user)],
                                                        temperature: 0.2, max_tokens: options.maxAnswerTokens))
        } catch {
            throw Failure(error: LLMError(outcome: .invalidResponse, detail: "could not encode the request"), isRetryable: false)
        }
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Gazette digest")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey.value)") }
        request.body = .bytes(ByteBuffer(bytes: body))

        let prepared = request
        let httpClient = self.httpClient
        let timeout = options.timeout
        let responseBytes: ByteBuffer
        let status: UInt
        do {
            // The timeout runs on the clock (tests expire it by moving time). The client's own deadline, the same length,
            // only ends its internal retries of a refused connection (the injected client may be the shared one, whose
            // pool retries connecting until the request's deadline).
            guard let answer = try await clock.withTimeout(seconds: timeout.inSeconds, { () async throws -> (UInt, ByteBuffer) in
                let response = try await httpClient.execute(prepared, deadline: .now() + .nanoseconds(Int64(timeout.inSeconds * 1e9)))
                return (response.status.code, try await response.body.collect(upTo: 4 << 20))
            }) else {
                throw Self.timedOut
            }
            (status, responseBytes) = answer
        } catch let error as Failure {
            throw error
        } catch let error as HTTPClientError {
            throw Self.classify(error)
        } catch {
            throw Failure(error: LLMError(outcome: .network, detail: Self.describe(error)), isRetryable: true)
        }
        guard (200..<300).contains(status) else {
            let retry = status == 429 || status >= 500
            throw Failure(error: LLMError(outcome: .httpError, detail: "the server answered HTTP \(status)"), isRetryable: retry)
        }
        let answer: ChatResponse
        do {
            answer = try JSONDecoder().decode(ChatResponse.self, from: Data(responseBytes.readableBytesView))
        } catch {
            throw Failure(error: LLMError(outcome: .invalidResponse, detail: "the answer is not chat completion JSON"),
                          isRetryable: false)
        }
        guard let text = answer.choices.first?.message.content?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw Failure(error: LLMError(outcome: .invalidResponse, detail: "the answer has no message content"), isRetryable: false)
        }
        return text
    }

    private static let timedOut = Failure(error: LLMError(outcome: .timeout, detail: "no answer within the timeout"), isRetryable: true)

    private static func classify(_ error: HTTPClientError) -> Failure {
        let timeouts: [HTTPClientError] = [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout,
                                           .getConnectionFromPoolTimeout, .tlsHandshakeTimeout]
        if timeouts.contains(error) { return timedOut }
        return Failure(error: LLMError(outcome: .network, detail: describe(error)), isRetryable: true)
    }

    /// Error text without the request (whose headers carry the API key).
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    struct ChatRequest: Encodable {
        struct Message: Codable { var role: String; var content: String }
        var model: String
        var messages: [Message]
        var temperature: Double
        var max_tokens: Int
    }

    struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        var choices: [Choice]
    }
}
