import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteTestSupport
import Synchronization
import Testing

/// Answers prompts from a list and records what it was told.
final class ScriptedPrompter: LoginPrompter {
    private let state: Mutex<(answers: [String], questions: [String], told: [String], links: [String])>
    /// Called with each link shown (the person scanning it).
    private let scanned: @Sendable (String) -> Void

    init(_ answers: [String], scanned: @escaping @Sendable (String) -> Void = { _ in }) {
        state = Mutex((answers, [], [], []))
        self.scanned = scanned
    }

    func ask(_ question: String, secret: Bool) async throws(AccountError) -> String {
        try state.withLock { s throws(AccountError) -> String in
            s.questions.append(secret ? "secret: " + question : question)
            guard !s.answers.isEmpty else { throw .inputEnded }
            return s.answers.removeFirst()
        }
    }

    func tell(_ line: String) { state.withLock { $0.told.append(line) } }
    func showQRCode(link: String) {
        state.withLock { $0.links.append(link) }
        scanned(link)
    }

    var questions: [String] { state.withLock { $0.questions } }
    var told: [String] { state.withLock { $0.told } }
    var links: [String] { state.withLock { $0.links } }
}

func temporarySettings() -> AccountSettings {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-account-\(UUID().uuidString)").path
    return AccountSettings(apiID: 12345, apiHash: Secret("0123456789abcdef0123456789abcdef"), directory: dir,
                           databaseKey: nil, applicationVersion: "test")
}

@Suite("login against scripted TDLib")
struct LoginTests {
    @Test("phone, a wrong code, the code, a wrong password, the 2FA password: logged in")
    func codeAndPassword() async throws {
        let fake = try ScriptedTDJSON(fixture: "login_code_2fa.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, state) = try await AccountSession.open(settings, transport: fake)
        #expect(state == .waitPhoneNumber)
        let prompter = ScriptedPrompter(["+44 1234 567890", "11111", "22222", "wrong", "hunter2"])
        let user = try await AccountLogin.run(session, prompter: prompter, qr: false)
        await session.close()
        #expect(user.summary == "Ann Lee (@annlee), phone +44********90")
        #expect(prompter.questions.count == 5)
        #expect(prompter.questions[3].hasPrefix("secret: ") && prompter.questions[3].contains("first pet"))
        #expect(prompter.told == ["That code is wrong; try again.", "That password is wrong; try again."])
        #expect(fake.sent("checkAuthenticationCode").last?.contains(#""code":"22222""#) == true)
        #expect(fake.sent("checkAuthenticationPassword").last?.contains(#""password":"hunter2""#) == true)
        // The parameters carry the id, the hash and a base64 database key from the generated 0600 file.
        let parameters = try #require(fake.sent("setTdlibParameters").first)
        #expect(parameters.contains(#""api_id":12345"#) && parameters.contains(#""use_secret_chats":false"#))
        #expect(fake.unscripted.isEmpty)
    }

    @Test("a flood wait (429 \"retry after 35\") on the phone number ends the login with the wait in seconds")
    func floodWait() async throws {
        let fake = try ScriptedTDJSON(fixture: "login_flood_wait.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, _) = try await AccountSession.open(settings, transport: fake)
        let error = await #expect(throws: AccountError.self) {
            _ = try await AccountLogin.run(session, prompter: ScriptedPrompter(["+15550001111"]), qr: false)
        }
        await session.close()
        #expect(error == .floodWait(method: "setAuthenticationPhoneNumber", seconds: 35))
        #expect(error?.description.contains("wait 35 s") == true)
    }

    @Test("Telegram asking for a Premium purchase ends the login with a line saying so; the account counts as logged out")
    func premiumPurchase() async throws {
        let fake = try ScriptedTDJSON(fixture: "login_premium_purchase.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, _) = try await AccountSession.open(settings, transport: fake)
        let error = await #expect(throws: AccountError.self) {
            _ = try await AccountLogin.run(session, prompter: ScriptedPrompter(["+15550001111"]), qr: false)
        }
        #expect(session.client.currentAuthorizationState == .waitPremiumPurchase)
        await session.close()
        #expect(error?.description.contains("Telegram Premium") == true)
        #expect(error?.description.contains("\n") == false)
        #expect(AccountService.accountState(.waitPremiumPurchase) == .loggedOut)
        #expect(fake.unscripted.isEmpty)
    }

    @Test("an expired code ends the login saying to start again")
    func expiredCode() async throws {
        let fake = try ScriptedTDJSON(fixture: "login_code_expired.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, _) = try await AccountSession.open(settings, transport: fake)
        let error = await #expect(throws: AccountError.self) {
            _ = try await AccountLogin.run(session, prompter: ScriptedPrompter(["+15550001111", "12345"]), qr: false)
        }
        await session.close()
        #expect(error?.description.contains("expired") == true)
        #expect(error?.description.contains("gazette login") == true)
    }

    /// The app confirms only a link the person saw: the ready state comes once the current link is shown, so a login
    /// that showed no link never finishes (and the time limit fails the test).
    @Test("QR login shows each new link, then is logged in", .timeLimit(.minutes(3)))
    func qrLogin() async throws {
        let fake = try ScriptedTDJSON(fixture: "login_qr.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, _) = try await AccountSession.open(settings, transport: fake)
        let prompter = ScriptedPrompter([]) { link in
            guard link == "tg://login?token=BBBBsecond" else { return }
            fake.push([#"{"@type":"updateAuthorizationState","authorization_state":{"@type":"authorizationStateReady"}}"#])
        }
        let user = try await AccountLogin.run(session, prompter: prompter, qr: true)
        await session.close()
        #expect(user.summary == "Bo, phone +15*******11")
        // The links may be coalesced when TDLib sends them faster than they are shown; the latest is always shown.
        #expect(prompter.links.last == "tg://login?token=BBBBsecond")
        #expect(prompter.questions.isEmpty)
    }

    @Test("end of input at a prompt cancels the login")
    func inputEnded() async throws {
        let fake = try ScriptedTDJSON(fixture: "login_code_2fa.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, _) = try await AccountSession.open(settings, transport: fake)
        let error = await #expect(throws: AccountError.self) {
            _ = try await AccountLogin.run(session, prompter: ScriptedPrompter([]), qr: false)
        }
        await session.close()
        #expect(error == .inputEnded)
    }

    @Test("a ready session logs out and TDLib closes")
    func logOut() async throws {
        let fake = try ScriptedTDJSON(fixture: "session_ready_logout.json")
        let settings = temporarySettings()
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let (session, state) = try await AccountSession.open(settings, transport: fake)
        #expect(state == .ready)
        try await session.logOut()
        #expect(session.client.currentAuthorizationState == .closed)
        session.client.stop()
    }

    @Test("a configured database key is used instead of a generated one, and the directory is made private")
    func configuredKey() async throws {
        let fake = try ScriptedTDJSON(fixture: "session_ready_logout.json")
        var settings = temporarySettings()
        settings.databaseKey = Secret("configured-key")
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        try FileManager.default.createDirectory(atPath: settings.directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let (session, _) = try await AccountSession.open(settings, transport: fake)
        await session.close()
        let parameters = try #require(fake.sent("setTdlibParameters").first)
        #expect(parameters.contains(Data("configured-key".utf8).base64EncodedString()))
        #expect(!FileManager.default.fileExists(atPath: settings.directory + "/database.key"))
        let attributes = try FileManager.default.attributesOfItem(atPath: settings.directory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }
}

@Suite("TDLib requests and answers")
struct TDRequestTests {
    @Test("requests are JSON with escaped strings and @extra")
    func encoding() throws {
        let request = TDRequest.checkAuthenticationPassword("a\"b\\c\n\u{1}é")
        let json = request.json(extra: "g1")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        #expect(object == ["@type": "checkAuthenticationPassword", "password": "a\"b\\c\n\u{1}é", "@extra": "g1"])
    }

    @Test("TDLib's flood form, 429 \"retry after N\", carries its wait; Telegram's FLOOD_WAIT_N never reaches a client",
          arguments: [
              (TDError(code: 429, message: "Too Many Requests: retry after 35"), 35),
              (TDError(code: 420, message: "FLOOD_WAIT_7"), nil),
              (TDError(code: 400, message: "retry after 5"), nil),
          ] as [(TDError, Int?)])
    func floodWait(error: TDError, seconds: Int?) {
        #expect(error.retryAfter == seconds)
    }

    @Test("a QR code renders as half blocks with a quiet zone")
    func qrCode() throws {
        let text = try #require(QRCodeText.render("tg://login?token=AAAA"))
        let lines = text.split(separator: "\n")
        #expect(lines.count >= 12)
        #expect(Set(lines.map(\.count)).count == 1)
        #expect(lines[0].allSatisfy { $0 == "█" })
    }
}
