import GazetteAccount

/// How a process reaches TDLib: the real library through `dlopen` (`.tdlib`), or in tests a scripted stand-in of its
/// JSON interface, so the commands and processes tests run are assembled exactly as the binary assembles them.
public struct AccountLibrary: Sendable {
    /// Loads the library (the configured path, else the places `TDJSONLibrary.candidatePaths` lists).
    public var load: @Sendable (_ configuredPath: String?) throws(AccountError) -> Void
    /// One client of the loaded library.
    public var makeTransport: @Sendable () throws(AccountError) -> any TDJSONTransport

    public init(load: @escaping @Sendable (_ configuredPath: String?) throws(AccountError) -> Void,
                makeTransport: @escaping @Sendable () throws(AccountError) -> any TDJSONTransport) {
        self.load = load
        self.makeTransport = makeTransport
    }

    /// TDLib's `libtdjson.so`.
    public static let tdlib = AccountLibrary(
        load: { (path: String?) throws(AccountError) in try TDJSONLibrary.load(configured: path) },
        makeTransport: { () throws(AccountError) -> any TDJSONTransport in TDJSONLibrary.Client() })
}
