/// What can go wrong with the user account. Every message is one line a user can act on; none holds a secret.
public enum AccountError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TDLib library could not be loaded from any of the paths tried (`configured` when one was set).
    case libraryMissing(configured: String?, tried: [LibraryAttempt])
    /// An option the account needs is not set.
    case missingOption(flag: String, environment: String)
    /// The API id or hash is missing (when nobody named the option first).
    case notConfigured
    /// TDLib answered a request with an error (`code`, `message` as TDLib sends them, e.g. 400 PHONE_CODE_INVALID).
    case telegram(TDError)
    /// Telegram asks to wait before the same method is called again (TDLib's 429 "retry after N").
    case floodWait(method: String, seconds: Int)
    /// The account is not logged in.
    case notLoggedIn
    /// The session directory cannot be made private or written.
    case sessionDirectory(path: String, reason: String)
    /// TDLib stopped (closed) or gave no answer in time.
    case closed
    case timeout(request: String)
    /// A prompt got no answer (end of input).
    case inputEnded

    /// One place the library was looked for, and why it did not load there.
    public struct LibraryAttempt: Sendable, Equatable {
        public var path: String
        public var reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public var description: String {
        switch self {
        case .libraryMissing(let configured, let tried):
            let attempts = tried.map { "\($0.path) (\($0.reason))" }.joined(separator: ", ")
            let base = configured != nil ? "TDLib could not be loaded from \(attempts)"
                : "TDLib (libtdjson.so) is not installed; tried \(attempts)"
            return "\(base); run `make tdlib` (scripts/install-tdlib.sh) or `make install`, or point --tdlib-path / "
                + "GAZETTE_TDLIB_PATH at libtdjson.so"
        case .missingOption(let flag, let environment):
            return "the user account needs \(flag) (\(environment)): the API id and hash of your own application from my.telegram.org"
        case .notConfigured:
            return "the user account needs the API id and hash of your own application from my.telegram.org"
        case .telegram(let error): return "Telegram refused: \(error.message) (\(error.code))"
        case .floodWait(let method, let seconds):
            return "Telegram asks to wait \(seconds) s before calling \(method) again (too many requests); try again later"
        case .notLoggedIn: return "not logged in; run `gazette login`"
        case .sessionDirectory(let path, let reason): return "the account directory \(path) cannot be used: \(reason)"
        case .closed: return "TDLib closed the session"
        case .timeout(let request): return "TDLib gave no answer to \(request) in time"
        case .inputEnded: return "no answer on standard input; login cancelled"
        }
    }
}
