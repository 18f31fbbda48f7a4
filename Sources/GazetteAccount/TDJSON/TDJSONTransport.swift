import CTDJSON
import Foundation
import Synchronization

/// TDLib's JSON interface as Gazette uses it: requests go in as JSON text, answers and updates come out as JSON text.
/// The real one is `TDJSONLibrary.Client`; tests use a scripted fake that replays recorded answers.
public protocol TDJSONTransport: Sendable {
    /// Sends a request; its answer comes back through `receive` with the same `@extra`.
    func send(_ request: String)
    /// The next answer or update, or nil when none came within `timeout` seconds. Called from one thread only.
    func receive(timeout: Double) -> String?
    /// A synchronous request (only those TDLib documents as such, e.g. `getOption`, `setLogVerbosityLevel`).
    func execute(_ request: String) -> String?
}

/// The TDLib JSON library, loaded at run time with dlopen so that Gazette builds and runs without it.
public enum TDJSONLibrary {
    /// Where the library is looked for, in this order:
    /// - the configured path (`--tdlib-path`, `GAZETTE_TDLIB_PATH`), and then nothing else: a configured library that
    ///   does not load is an error, never silently replaced by another copy;
    /// - beside the binary as `make install` lays it out: `<prefix>/bin/gazette` → `<prefix>/lib/gazette/libtdjson.so`
    ///   (the container image uses the same layout);
    /// - the checkout's `.tdlib/` (where `make tdlib` puts it) when the binary was built in a checkout:
    ///   `<checkout>/.build/<triple>/release/gazette`, also when started through the `.build/release` symlink;
    /// - the system loader's search path (`LD_LIBRARY_PATH`, ldconfig).
    ///
    /// Never the working directory: a command run in a directory someone else controls must not load their code.
    /// `executable` is the binary's real path (symlinks resolved).
    public static func candidatePaths(configured: String?, executable: String? = runningExecutable()) -> [String] {
        if let configured, !configured.isEmpty { return [configured] }
        var paths: [String] = []
        if let executable {
            let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
            let binDir = binary.deletingLastPathComponent()
            paths.append(binDir.appendingPathComponent("../lib/gazette/libtdjson.so").standardizedFileURL.path)
            let parts = binary.pathComponents
            if let build = parts.lastIndex(where: { $0 == ".build" || $0.hasPrefix(".build-") }), build > 0 {
                let checkout = NSString.path(withComponents: Array(parts[..<build]))
                paths.append((checkout as NSString).appendingPathComponent(".tdlib/libtdjson.so"))
            }
        }
        paths.append(systemLoaderName)
        return paths
    }

    /// The name handed to the system loader, which searches its own path for it.
    static let systemLoaderName = "libtdjson.so"

    /// This process's binary with symlinks resolved (`/proc/self/exe` on Linux), nil when it cannot be told.
    public static func runningExecutable() -> String? {
        if let linked = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return linked }
        return Bundle.main.executablePath
    }

    /// Loads the library from the first candidate that loads. The first library loaded stays for the process.
    /// The error lists every path tried and why each failed.
    public static func load(configured: String?, executable: String? = runningExecutable()) throws(AccountError) {
        var tried: [AccountError.LibraryAttempt] = []
        for path in candidatePaths(configured: configured, executable: executable) {
            let viaLoader = path == systemLoaderName && configured == nil
            if !viaLoader, !FileManager.default.fileExists(atPath: path) {
                tried.append(.init(path: path, reason: "no such file"))
                continue
            }
            var buffer = [CChar](repeating: 0, count: 512)
            if gazette_tdjson_load(path, &buffer, buffer.count) == 0 {
                // TDLib logs to stderr by default; its log could hold a phone number or a chat title. Fatal errors only.
                _ = gazette_td_execute(TDRequest.setLogVerbosityLevel(0).json(extra: nil))
                return
            }
            var reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // dlerror() starts with the path, which the list already shows.
            if reason.hasPrefix(path + ": ") { reason.removeFirst(path.count + 2) }
            tried.append(.init(path: viaLoader ? "\(path) (system loader)" : path, reason: reason))
        }
        throw .libraryMissing(configured: configured, tried: tried)
    }

    /// `getOption version`, answered synchronously by the loaded library.
    public static func version() -> String? {
        guard let answer = execute(TDRequest.getOption("version").json(extra: nil)) else { return nil }
        return (try? JSONDecoder().decode(TDOptionString.self, from: Data(answer.utf8)))?.value
    }

    /// `td_execute`: a synchronous request's answer. Any other request is still parsed into its TL object first, so
    /// a field of the wrong JSON type answers "Expected …" and an unknown method "Unknown class" (the library probe
    /// in the tests relies on it); it is not run.
    public static func execute(_ request: String) -> String? {
        gazette_td_execute(request).map { String(cString: $0) }
    }

    /// One TDLib client of the loaded library. `td_receive` is process-wide (it returns what any client got), so one
    /// shared thread receives for every client and hands each answer or update to its client's mailbox by
    /// `@client_id`: a client opened after another was closed never loses an event to the old one's loop.
    public struct Client: TDJSONTransport {
        public let id: Int32
        private let mailbox: Mailbox

        /// Call `load` first.
        public init() {
            id = gazette_td_create_client_id()
            mailbox = Receiver.shared.register(id)
        }

        public func send(_ request: String) {
            gazette_td_send(id, request)
        }

        public func receive(timeout: Double) -> String? {
            mailbox.take(timeout: timeout)
        }

        public func execute(_ request: String) -> String? {
            TDJSONLibrary.execute(request)
        }
    }

    /// Events of one client, waiting for its receive loop.
    final class Mailbox: Sendable {
        private let queue = Mutex<[String]>([])
        private let signal = NSCondition()

        func put(_ event: String) {
            signal.lock()
            queue.withLock { $0.append(event) }
            signal.broadcast()
            signal.unlock()
        }

        func take(timeout: Double) -> String? {
            let deadline = Date(timeIntervalSinceNow: timeout)
            signal.lock()
            defer { signal.unlock() }
            while true {
                if let event = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return event }
                if !signal.wait(until: deadline) { return nil }
            }
        }
    }

    /// The one thread that calls `td_receive`, started with the first client.
    final class Receiver: Sendable {
        static let shared = Receiver()
        private let mailboxes = Mutex<[Int32: Mailbox]>([:])
        private let started = Mutex(false)

        func register(_ id: Int32) -> Mailbox {
            let mailbox = Mailbox()
            mailboxes.withLock { $0[id] = mailbox }
            let start = started.withLock { s -> Bool in
                defer { s = true }
                return !s
            }
            if start {
                let thread = Thread { [self] in loop() }
                thread.name = "tdlib-receive"
                thread.start()
            }
            return mailbox
        }

        private func loop() {
            let decoder = JSONDecoder()
            while true {
                guard let raw = gazette_td_receive(1.0) else { continue }
                let text = String(cString: raw)
                // Every event of a client carries its `@client_id`; events without one (none expected) are dropped.
                guard let id = (try? decoder.decode(ClientTag.self, from: Data(text.utf8)))?.clientID,
                      let mailbox = mailboxes.withLock({ $0[id] }) else { continue }
                mailbox.put(text)
            }
        }

        private struct ClientTag: Decodable {
            let clientID: Int32
            enum CodingKeys: String, CodingKey { case clientID = "@client_id" }
        }
    }
}

struct TDOptionString: Decodable {
    let value: String
}
