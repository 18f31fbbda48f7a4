import ArgumentParser
import GazetteApp
import Foundation
import GazetteCore
import GazetteWeb

/// `gazette web-token --user ID [--rotate]`: the reader's secret address of the web reader and the Atom feed
/// (`/u/<token>/`). The token is printed once; only its SHA-256 is stored.
struct WebTokenCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "web-token",
        abstract: "Make a user's web reader address /u/<token>/ (printed once), or replace it with --rotate.",
        discussion: optionHelp(Self.options))
    static let options: [OptionSection] = [.database, .log]

    @Option(name: .long, help: "Telegram user id.") var user: Int64
    @Flag(name: .long, help: "Replace the user's token: the old address stops working at once.") var rotate = false
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
    }

    func run() async throws {
        let token = try await withStore(db, label: "gazette.web-token") { store in
            try await WebToken.issue(userID: user, rotate: rotate, store: store)
        }
        guard let token else {
            printError("error: user \(user) already has a web token; only its hash is kept, so it cannot be shown again. "
                       + "Pass --rotate to make a new one (the old address stops working).")
            throw ExitCode.failure
        }
        print("/u/\(token)/")
        printError("The web reader of user \(user) is at this path on the server of `gazette serve` / `gazette run` "
                   + "(the Atom feed: feed.atom under it). Keep it secret; it is shown only now.")
    }
}
