import Foundation
import GazetteAccount
import Synchronization

/// A stand-in for TDLib's JSON interface that replays a script of TDLib answers and updates (fixtures in
/// `Tests/Fixtures/tdlib/`): the same send/receive protocol as the real library, for everything that needs
/// Telegram's servers. Each request consumes the next step scripted for its `@type`; the step's updates are
/// delivered, then its answer with the request's `@extra`. A request without a step is answered with an error
/// naming it and is listed in `unscripted`.
public final class ScriptedTDJSON: TDJSONTransport {
    public struct Step: Sendable {
        public var on: String
        public var answer: String
        public var updates: [String]
    }

    private struct State {
        var steps: [Step]
        var start: [String]
        var started = false
        var outbox: [String] = []
        var sent: [String] = []
        var unscripted: [String] = []
    }

    private let state: Mutex<State>
    private let ready = NSCondition()

    /// A script from its JSON: `{"start": [update…], "steps": [{"on": type, "answer": object, "updates": [update…]}…]}`.
    public init(script: Data) throws {
        let root = try JSONSerialization.jsonObject(with: script) as? [String: Any] ?? [:]
        func text(_ object: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let start = try (root["start"] as? [Any] ?? []).map(text)
        var steps: [Step] = []
        for case let step as [String: Any] in root["steps"] as? [Any] ?? [] {
            guard let on = step["on"] as? String, let answer = step["answer"] else { continue }
            steps.append(Step(on: on, answer: try text(answer), updates: try (step["updates"] as? [Any] ?? []).map(text)))
        }
        state = Mutex(State(steps: steps, start: start))
    }

    /// A script from `Tests/Fixtures/tdlib/<name>`.
    public convenience init(fixture name: String) throws {
        try self.init(script: TestFixtures.data("tdlib/\(name)"))
    }

    /// Adds steps at the end of the script.
    public func append(_ more: [Step]) {
        state.withLock { $0.steps += more }
    }

    /// Delivers updates now, as TDLib does when something happens on Telegram.
    public func push(_ updates: [String]) {
        ready.lock()
        state.withLock { $0.outbox += updates }
        ready.broadcast()
        ready.unlock()
    }

    /// Every request sent, as JSON text.
    public var sent: [String] { state.withLock { $0.sent } }
    /// Requests no step answered.
    public var unscripted: [String] { state.withLock { $0.unscripted } }
    /// Sent requests of one `@type`.
    public func sent(_ type: String) -> [String] { sent.filter { $0.hasPrefix("{\"@type\":\"\(type)\"") } }

    public func send(_ request: String) {
        let object = (try? JSONSerialization.jsonObject(with: Data(request.utf8))) as? [String: Any] ?? [:]
        let type = object["@type"] as? String ?? ""
        let extra = object["@extra"] as? String
        ready.lock()
        state.withLock { s in
            s.sent.append(request)
            if !s.started {
                s.started = true
                s.outbox += s.start
            }
            var answer: String
            if let index = s.steps.firstIndex(where: { $0.on == type }) {
                let step = s.steps.remove(at: index)
                s.outbox += step.updates
                answer = step.answer
            } else if type == "getOption" {
                answer = #"{"@type":"optionValueString","value":"1.8.69"}"#
            } else if type == "close" {
                s.outbox += [Self.authorization("authorizationStateClosing"), Self.authorization("authorizationStateClosed")]
                answer = #"{"@type":"ok"}"#
            } else {
                s.unscripted.append(type)
                answer = #"{"@type":"error","code":500,"message":"unscripted request \#(type)"}"#
            }
            if let extra {
                answer.removeLast()
                answer += #","@extra":"\#(extra)"}"#
            }
            s.outbox.append(answer)
        }
        ready.broadcast()
        ready.unlock()
    }

    public func receive(timeout: Double) -> String? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        ready.lock()
        defer { ready.unlock() }
        while true {
            let next = state.withLock { s -> String? in s.outbox.isEmpty ? nil : s.outbox.removeFirst() }
            if let next { return next }
            if !ready.wait(until: deadline) { return nil }
        }
    }

    public func execute(_ request: String) -> String? {
        #"{"@type":"error","code":400,"message":"execute is not scripted"}"#
    }

    public static func authorization(_ type: String) -> String {
        #"{"@type":"updateAuthorizationState","authorization_state":{"@type":"\#(type)"}}"#
    }
}
