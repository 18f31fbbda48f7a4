import ArgumentParser
import Foundation
import GazetteAccount
import GazetteApp
import GazetteCore
import GazetteObservability

struct LoginCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log the Telegram user account in, in this terminal (phone, code, 2FA password), or show its status.",
        discussion: optionHelp("""
        The account reads channels without a public preview and private channels (docs/SOURCES.md, "User account").
        Never relay a login code through a bot or a chat: Telegram invalidates codes sent in messages. While a worker (or \
        gazette run) holds the account, login refuses and names it: one TDLib database belongs to one process.
        """, Self.options)
    )
    static let options: [OptionSection] = [.account, .database, .log]

    @Flag(name: .long, help: "Log in by scanning a QR code with the Telegram app instead of typing a code.")
    var qr = false

    @Flag(name: .long, help: "Print the account (name, @username, masked phone) or \"not logged in\".")
    var status = false

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.login")
        if status {
            printNow(try await reporting { try await GazetteCommands.accountStatus(config, migrate: !db.noMigrate, logger: logger) })
            return
        }
        let outcome = try await reporting {
            try await GazetteCommands.login(config, migrate: !db.noMigrate, prompter: TerminalPrompter(), qr: qr, logger: logger)
        }
        switch outcome {
        case .alreadyLoggedIn(let user): printNow("already logged in as \(user)")
        case .loggedIn(let user): printNow("logged in as \(user)")
        }
    }
}

struct LogoutCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the Telegram user account's session (the session database is emptied).",
        discussion: optionHelp(Self.options)
    )
    static let options: [OptionSection] = [.account, .database, .log]

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.logout")
        printNow(try await reporting { try await GazetteCommands.logout(config, migrate: !db.noMigrate, logger: logger) })
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
