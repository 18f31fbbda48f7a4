import Foundation
import Synchronization

/// A TDLib client over a `TDJSONTransport`: one receive loop on its own thread (TDLib asks for `td_receive` from one
/// thread only), answers matched to their requests by `@extra`, the authorization state kept and awaited, every other
/// update delivered through `updates`.
public final class TDClient: Sendable {
    /// Updates other than the authorization state, as raw JSON with their `@type`. Consumers decode what they use.
    public let updates: AsyncStream<TDRawUpdate>

    private let transport: any TDJSONTransport
    private let sink: AsyncStream<TDRawUpdate>.Continuation
    private let state = Mutex(State())

    private struct State {
        var nextExtra = 1
        var pending: [String: CheckedContinuation<Data, any Error>] = [:]
        var authorization: AuthorizationState?
        var authorizationVersion = 0
        var authorizationWaiters: [(after: Int, continuation: CheckedContinuation<(Int, AuthorizationState), any Error>)] = []
        var stopped = false
    }

    public init(transport: any TDJSONTransport, updateBuffer: Int = 10_000) {
        self.transport = transport
        (updates, sink) = AsyncStream.makeStream(of: TDRawUpdate.self, bufferingPolicy: .bufferingNewest(updateBuffer))
        let thread = Thread { [self] in receiveLoop() }
        thread.name = "tdlib-receive"
        thread.start()
    }

    /// Sends a request and waits for its answer: the answer's JSON, or `AccountError.telegram` for TDLib's `error`
    /// (`.floodWait` when Telegram asks to wait).
    public func call(_ request: TDRequest) async throws(AccountError) -> Data {
        let extra = state.withLock { s -> String in
            defer { s.nextExtra += 1 }
            return "g\(s.nextExtra)"
        }
        let data: Data
        do {
            data = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
                let accepted = state.withLock { s -> Bool in
                    guard !s.stopped else { return false }
                    s.pending[extra] = continuation
                    return true
                }
                guard accepted else { return continuation.resume(throwing: AccountError.closed) }
                transport.send(request.json(extra: extra))
            }
        } catch let error as AccountError {
            throw error
        } catch {
            throw .closed
        }
        if let envelope = try? JSONDecoder().decode(TDEnvelope.self, from: data), envelope.type == TDType.error.rawValue {
            let error = (try? JSONDecoder().decode(TDError.self, from: data)) ?? TDError(code: 0, message: "unreadable error")
            if let seconds = error.retryAfter { throw .floodWait(method: request.type, seconds: seconds) }
            throw .telegram(error)
        }
        return data
    }

    /// Sends a request and decodes its answer.
    public func call<Answer: Decodable>(_ request: TDRequest, as: Answer.Type) async throws(AccountError) -> Answer {
        let data = try await call(request)
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw .telegram(TDError(code: 0, message: "unexpected answer to \(request.type): \(error)"))
        }
    }

    /// The latest authorization state once its version is above `version` (0: whatever TDLib has sent first).
    public func authorizationState(after version: Int = 0) async throws(AccountError) -> (version: Int, state: AuthorizationState) {
        do {
            let answer = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, AuthorizationState), any Error>) in
                let ready = state.withLock { s -> Result<(Int, AuthorizationState), AccountError>? in
                    if let current = s.authorization, s.authorizationVersion > version { return .success((s.authorizationVersion, current)) }
                    if s.stopped { return .failure(.closed) }
                    s.authorizationWaiters.append((version, continuation))
                    return nil
                }
                if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
            }
            return (answer.0, answer.1)
        } catch let error as AccountError {
            throw error
        } catch {
            throw .closed
        }
    }

    /// The latest authorization state, nil before TDLib sent one.
    public var currentAuthorizationState: AuthorizationState? {
        state.withLock { $0.authorization }
    }

    /// Stops the receive loop; pending requests and waiters fail with `.closed`.
    public func stop() {
        let (pending, waiters) = state.withLock { s in
            s.stopped = true
            defer { s.pending = [:]; s.authorizationWaiters = [] }
            return (Array(s.pending.values), s.authorizationWaiters.map(\.continuation))
        }
        pending.forEach { $0.resume(throwing: AccountError.closed) }
        waiters.forEach { $0.resume(throwing: AccountError.closed) }
        sink.finish()
    }

    private func receiveLoop() {
        let decoder = JSONDecoder()
        while !state.withLock({ $0.stopped }) {
            guard let text = transport.receive(timeout: 0.2) else { continue }
            dispatch(Data(text.utf8), decoder: decoder)
        }
    }

    private func dispatch(_ data: Data, decoder: JSONDecoder) {
        guard let envelope = try? decoder.decode(TDEnvelope.self, from: data) else { return }
        if let extra = envelope.extra {
            if let continuation = state.withLock({ $0.pending.removeValue(forKey: extra) }) {
                continuation.resume(returning: data)
            }
            return
        }
        if envelope.type == TDType.updateAuthorizationState.rawValue {
            guard let update = try? decoder.decode(TDAuthorizationUpdate.self, from: data) else { return }
            let ready = state.withLock { s -> [(CheckedContinuation<(Int, AuthorizationState), any Error>, (Int, AuthorizationState))] in
                s.authorization = update.state
                s.authorizationVersion += 1
                let value = (s.authorizationVersion, update.state)
                let due = s.authorizationWaiters.filter { $0.after < s.authorizationVersion }
                s.authorizationWaiters.removeAll { $0.after < s.authorizationVersion }
                return due.map { ($0.continuation, value) }
            }
            ready.forEach { $0.0.resume(returning: $0.1) }
            return
        }
        sink.yield(TDRawUpdate(type: envelope.type, json: data))
    }
}

/// An update as TDLib sent it: its `@type` and JSON.
public struct TDRawUpdate: Sendable {
    public let type: String
    public let json: Data
}
