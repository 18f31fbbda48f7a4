import Foundation
import GazetteAccount
import Synchronization

/// A stand-in for TDLib's JSON interface that replays a script of TDLib answers and updates (fixtures in
/// `Tests/Fixtures/tdlib/`): the same send/receive protocol as the real library, for everything that needs
/// Telegram's servers. Each request consumes the next step scripted for its `@type` (and, when the step has `with`,
/// for those field values); the step's updates are delivered, then its answer with the request's `@extra`.
/// `${FIXTURES}` in an answer is the absolute path of `Tests/Fixtures` (where TDLib would have put a downloaded file).
/// A request without a step is answered with an error naming it and is listed in `unscripted`.
public final class ScriptedTDJSON: TDJSONTransport {
    public struct Step: Sendable {
        public var on: String
        /// Field → its JSON text: the step answers only a request with these values.
        public var with: [String: String] = [:]
        public var answer: String
        public var updates: [String]

        public init(on: String, with: [String: String] = [:], answer: String, updates: [String] = []) {
            (self.on, self.with, self.answer, self.updates) = (on, with, answer, updates)
        }
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

    /// A script from its JSON: `{"start": [update…], "steps": [{"on": type, "with": {field: value}, "answer": object,
    /// "updates": [update…]}…]}`.
    public init(script: Data) throws {
        let root = try JSONSerialization.jsonObject(with: script) as? [String: Any] ?? [:]
        let fixtures = TestFixtures.root.path
        func answer(_ object: Any) throws -> String {
            try Self.text(object).replacingOccurrences(of: "${FIXTURES}", with: fixtures)
        }
        let start = try (root["start"] as? [Any] ?? []).map(Self.text)
        var steps: [Step] = []
        for case let step as [String: Any] in root["steps"] as? [Any] ?? [] {
            guard let on = step["on"] as? String, let reply = step["answer"] else { continue }
            let with = try (step["with"] as? [String: Any] ?? [:]).mapValues(Self.text)
            steps.append(Step(on: on, with: with, answer: try answer(reply), updates: try (step["updates"] as? [Any] ?? []).map(Self.text)))
        }
        state = Mutex(State(steps: steps, start: start))
    }

    private static func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
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
            if let index = s.steps.firstIndex(where: { step in
                step.on == type && step.with.allSatisfy { field, value in object[field].flatMap { try? Self.text($0) } == value }
            }) {
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
