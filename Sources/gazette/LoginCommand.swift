import ArgumentParser
import Foundation
import GazetteAccount
import GazetteCore

struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log the Telegram user account in, in this terminal (phone, code, 2FA password), or show its status.",
        discussion: """
        The account reads channels without a public preview and private channels (docs/SOURCES.md, "User account").
        Never relay a login code through a bot or a chat: Telegram invalidates codes sent in messages.
        """
    )

    @Flag(name: .long, help: "Log in by scanning a QR code with the Telegram app instead of typing a code.")
    var qr = false

    @Flag(name: .long, help: "Print the account (name, @username, masked phone) or \"not logged in\".")
    var status = false

    @OptionGroup var account: AccountOptions

    func run() async throws {
        let config = try loadConfig { account.apply(to: &$0) }
        if status, !AccountSettings.hasSession(in: config.accountDirectory) {
            printNow("not logged in")
            return
        }
        try await withAccountSession(config) { (session: AccountSession, state: AuthorizationState) throws(AccountError) in
            if state == .ready {
                let me = try await session.me()
                printNow(status ? "logged in as \(me.summary)" : "already logged in as \(me.summary)")
                return
            }
            if status {
                printNow("not logged in")
                return
            }
            let user = try await AccountLogin.run(session, prompter: TerminalPrompter(), qr: qr)
            printNow("logged in as \(user.summary)")
        }
    }
}

struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the Telegram user account's session (the session database is emptied)."
    )

    @OptionGroup var account: AccountOptions

    func run() async throws {
        let config = try loadConfig { account.apply(to: &$0) }
        guard AccountSettings.hasSession(in: config.accountDirectory) else {
            printNow("not logged in")
            return
        }
        try await withAccountSession(config) { (session: AccountSession, state: AuthorizationState) throws(AccountError) in
            guard state == .ready else {
                printNow("not logged in")
                return
            }
            try await session.logOut()
            printNow("logged out")
        }
    }
}

/// Loads TDLib, opens the session and runs `body`; any account error ends the command with its one line (exit 1;
/// 64 for a missing option, 69 when the library is missing). The session is closed (flushed) in every case.
func withAccountSession(_ config: Config,
                        _ body: (AccountSession, AuthorizationState) async throws(AccountError) -> Void) async throws {
    do throws(AccountError) {
        let settings = try AccountSettings.from(config, applicationVersion: GazetteVersion.current)
        try TDJSONLibrary.load(configured: config.tdlibPath)
        let (session, state) = try await AccountSession.open(settings, transport: TDJSONLibrary.Client())
        do throws(AccountError) {
            try await body(session, state)
        } catch {
            await session.close()
            throw error
        }
        await session.close()
    } catch {
        printError("error: \(error)")
        switch error {
        case .missingOption: throw ExitCode(64)
        case .libraryMissing: throw ExitCode(69)
        default: throw ExitCode.failure
        }
    }
}

/// Asks on standard output and reads standard input; a secret answer is read with the terminal's echo off.
struct TerminalPrompter: LoginPrompter {
    func ask(_ question: String, secret: Bool) async throws(AccountError) -> String {
        while true {
            print(question, terminator: "")
            fflush(nil)
            let echoOff = secret && isatty(0) == 1
            var saved = termios()
            if echoOff {
                tcgetattr(0, &saved)
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(0, TCSANOW, &quiet)
            }
            let line = readLine(strippingNewline: true)
            if echoOff {
                tcsetattr(0, TCSANOW, &saved)
                print("")
            }
            guard let line else { throw .inputEnded }
            let answer = line.trimmingCharacters(in: .whitespaces)
            if !answer.isEmpty { return answer }
        }
    }

    func tell(_ line: String) {
        printNow(line)
    }

    func showQRCode(link: String) {
        printNow("Scan this QR code in the Telegram app (Settings → Devices → Link Desktop Device):")
        printNow(QRCodeText.render(link) ?? link)
        printNow("Waiting for the app to confirm; a new code is shown when this one expires.")
    }
}
