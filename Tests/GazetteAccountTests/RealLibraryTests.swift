import Foundation
import GazetteAccount
import GazetteCore
import GazetteTestSupport
import Testing

/// The real TDLib (installed into `.tdlib/` by `make tdlib`): loading, a synchronous request and the offline part of
/// the login state machine. `make test` sets GAZETTE_TEST_REQUIRE_TDLIB=1 (`TestRequirement`): a missing library fails
/// these tests instead of skipping them.
enum RealTDLib {
    /// `.tdlib/libtdjson.so` of this checkout.
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".tdlib/libtdjson.so").path
    static let requirement = TestRequirement(name: "TDLIB", present: FileManager.default.fileExists(atPath: path),
                                             hint: ".tdlib/libtdjson.so is missing; make tdlib installs it")
}

@Suite("TDLib, the real library", .serialized, .enabled(if: RealTDLib.requirement.enabled))
struct RealLibraryTests {
    @Test("the library loads and answers getOption version synchronously")
    func loadsAndExecutes() throws {
        try TDJSONLibrary.load(configured: RealTDLib.path)
        #expect(TDJSONLibrary.version() == "1.8.69")
    }

    @Test("a new session goes from WaitTdlibParameters to WaitPhoneNumber offline with dummy credentials")
    func reachesPhoneNumber() async throws {
        try TDJSONLibrary.load(configured: RealTDLib.path)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-tdlib-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let settings = AccountSettings(apiID: 12345, apiHash: Secret("0123456789abcdef0123456789abcdef"), directory: dir,
                                       databaseKey: nil, applicationVersion: "test")
        let (session, state) = try await AccountSession.open(settings, transport: TDJSONLibrary.Client())
        #expect(state == .waitPhoneNumber)
        await session.close()
        #expect(session.client.currentAuthorizationState == .closed)
        // The session directory is private and the generated key is readable by its owner only.
        let attributes = try FileManager.default.attributesOfItem(atPath: dir)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let key = try FileManager.default.attributesOfItem(atPath: dir + "/database.key")
        #expect((key[.posixPermissions] as? Int) == 0o600)
        #expect(AccountSettings.hasSession(in: dir))
    }

    @Test("td_receive is process-wide: two clients at once, and a client opened after one closed, each get their own events")
    func severalClients() async throws {
        try TDJSONLibrary.load(configured: RealTDLib.path)
        func settings() -> AccountSettings {
            AccountSettings(apiID: 12345, apiHash: Secret("0123456789abcdef0123456789abcdef"),
                            directory: FileManager.default.temporaryDirectory.appendingPathComponent("gazette-tdlib-\(UUID().uuidString)").path,
                            databaseKey: nil, applicationVersion: "test")
        }
        let (a, b, c) = (settings(), settings(), settings())
        defer { for s in [a, b, c] { try? FileManager.default.removeItem(atPath: s.directory) } }
        async let first = AccountSession.open(a, transport: TDJSONLibrary.Client())
        async let second = AccountSession.open(b, transport: TDJSONLibrary.Client())
        let (one, two) = try await (first, second)
        #expect(one.1 == .waitPhoneNumber && two.1 == .waitPhoneNumber)
        await one.0.close()
        await two.0.close()
        let (three, state) = try await AccountSession.open(c, transport: TDJSONLibrary.Client())
        #expect(state == .waitPhoneNumber)
        await three.close()
    }

    @Test("a missing library is one error saying how to install it and listing every path tried")
    func missingLibrary() {
        #expect(throws: AccountError.self) { try TDJSONLibrary.load(configured: "/nonexistent/libtdjson.so") }
        let tried = [AccountError.LibraryAttempt(path: "/usr/lib/gazette/libtdjson.so", reason: "no such file"),
                     AccountError.LibraryAttempt(path: "libtdjson.so (system loader)", reason: "cannot open shared object file")]
        let message = AccountError.libraryMissing(configured: nil, tried: tried).description
        #expect(message.contains("make tdlib"))
        #expect(message.contains("/usr/lib/gazette/libtdjson.so (no such file), libtdjson.so (system loader) (cannot open"))
        #expect(!message.contains("\n"))
    }
}
