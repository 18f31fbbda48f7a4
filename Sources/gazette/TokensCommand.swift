import ArgumentParser
import GazetteApp
import Foundation
import GazetteCore

/// `gazette tokens`: the API tokens that belong to users, kept in `GAZETTE_API_TOKENS_FILE` (0600). A new token is
/// printed once, by `add`; `list` shows only each token's first characters.
struct TokensCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "API tokens that belong to users (GAZETTE_API_TOKENS_FILE): add, list, revoke.",
        subcommands: [Add.self, List.self, Revoke.self]
    )

    /// The token file (`--api-tokens-file`, `GAZETTE_API_TOKENS_FILE`) and how it is read and written.
    struct FileOptions: ParsableArguments {
        func path() throws -> String {
            let config = try loadConfiguration()
            guard let path = config.server.apiTokensFile else {
                printError("error: no token file; set GAZETTE_API_TOKENS_FILE or pass --api-tokens-file")
                throw ExitCode(64)
            }
            return path
        }

        func load(_ path: String) throws -> [APITokenFile.Entry] {
            do {
                return try APITokenFile.load(path: path)
            } catch {
                printError("error: \(error)")
                throw ExitCode(65)
            }
        }

        func save(_ entries: [APITokenFile.Entry], _ path: String) throws {
            do {
                try APITokenFile.save(entries, path: path)
            } catch {
                printError("error: \(error)")
                throw ExitCode(73)
            }
        }
    }

    /// `--user ID` or `--admin`: whose token it is.
    struct Subject: ParsableArguments {
        @Option(name: .long, help: "Telegram user id the token acts for.") var user: Int64?
        @Flag(name: .long, help: "An admin token, which may act for any user.") var admin = false

        func caller() throws -> Caller {
            switch (user, admin) {
            case (let id?, false):
                guard id > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
                return .user(id)
            case (nil, true): return .admin
            default: throw ValidationError("give exactly one of --user ID and --admin")
            }
        }
    }

    struct Add: ParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "Create a token for a user (printed once; keep it).",
        discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.apiTokens]
        @OptionGroup var subject: Subject
        @OptionGroup var file: FileOptions

        func validate() throws { _ = try subject.caller() }

        func run() throws {
            let caller = try subject.caller()
            let path = try file.path()
            var entries = try file.load(path)
            let token = APITokenFile.generate()
            entries.append(.init(token: token, caller: caller, created: Date().formatted(.iso8601)))
            try file.save(entries, path)
            print(token)
        }
    }

    struct List: ParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "List the tokens: whose they are and their first characters.",
        discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.apiTokens]
        @Option(name: .long, help: "Only this user's tokens.") var user: Int64?
        @OptionGroup var file: FileOptions

        func run() throws {
            let entries = try file.load(try file.path()).filter { user == nil || $0.caller == .user(user!) }
            if entries.isEmpty {
                print("no tokens; create one with: gazette tokens add --user ID")
                return
            }
            print(TextTable.render(header: ["USER", "TOKEN", "CREATED"],
                                   rows: entries.map { [$0.caller == .admin ? "admin" : "\($0.caller)".replacingOccurrences(of: "user ", with: ""),
                                                        $0.masked, $0.created ?? "-"] }))
        }
    }

    struct Revoke: ParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(
            abstract: "Revoke tokens: every token of a user, or the one whose first characters are given.",
            discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.apiTokens]
        @OptionGroup var subject: Subject
        @Option(name: .long, help: "Only the token starting with these characters (as tokens list shows them).") var prefix: String?
        @OptionGroup var file: FileOptions

        func validate() throws {
            _ = try subject.caller()
            if let prefix, prefix.count < 6 { throw ValidationError("--prefix needs at least 6 characters") }
        }

        func run() throws {
            let caller = try subject.caller()
            let path = try file.path()
            let entries = try file.load(path)
            let prefix = prefix.map { $0.hasSuffix("…") ? String($0.dropLast()) : $0 }
            let kept = entries.filter { !($0.caller == caller && (prefix.map($0.token.hasPrefix) ?? true)) }
            let revoked = entries.count - kept.count
            guard revoked > 0 else {
                printError("error: no token of \(caller)\(prefix == nil ? "" : " starts with that prefix")")
                throw ExitCode(65)
            }
            try file.save(kept, path)
            print("revoked \(revoked) token\(revoked == 1 ? "" : "s") of \(caller)")
        }
    }
}
