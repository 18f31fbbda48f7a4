import ArgumentParser
import Foundation
import GazetteApp
import GazetteDigest

/// `gazette search`: full-text search over a reader's channels (issue 27).
struct SearchCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the posts of a user's channels.",
        discussion: optionHelp("""
        Words match in any inflection (Russian and English): выборы finds «выборах», election finds "elections".
        "a phrase" finds the words next to each other; -word or -"a phrase" leaves posts out; prefix* (3+ letters)
        finds words that start so. Muted channels are searched too; digest filters do not apply.
        Example: gazette search --user 1 'метро -ремонт "новые тарифы"' --since 7d
        A query that starts with - goes after --: gazette search --user 1 -- '-ремонт метро'
        """, Self.options)
    )
    static let options: [OptionSection] = [.database, .log]

    @Option(name: .long, help: "Telegram user id whose channels are searched.") var user: Int64
    @Argument(help: "What to look for.") var query: String
    @Option(name: .long, help: "Only this channel of the user's (durov, @durov, a t.me link or a feed URL).") var channel: String?
    @Option(name: .long, help: "Only posts from then on: 24h, 7d, 2w, a day (2026-03-01) or an ISO 8601 time.") var since: String?
    @Option(name: .long, help: "Only posts before then (a day includes that day).") var until: String?
    @Option(name: .long, help: "Hits to show (1…\(PostSearch.maxLimit)).") var limit = 10
    @Option(name: .long, help: "text or json.") var format = "text"
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
        guard (1...PostSearch.maxLimit).contains(limit) else { throw ValidationError("--limit must be in 1…\(PostSearch.maxLimit)") }
        guard GazetteCommands.SearchOutput(rawValue: format.lowercased()) != nil else { throw ValidationError("--format must be text or json") }
    }

    func run() async throws {
        let now = Date()
        let request: PostSearch.Request
        do {
            request = PostSearch.Request(userID: user, query: query, channel: channel, since: try since.map { try SearchDates.since($0, now: now) },
                                         until: try until.map { try SearchDates.until($0, now: now) }, limit: limit)
        } catch {
            throw ValidationError("--\(error)")
        }
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.search")
        let output = try await reporting {
            try await GazetteCommands.search(config, request: request, output: GazetteCommands.SearchOutput(rawValue: format.lowercased()) ?? .text,
                                             migrate: !db.noMigrate, logger: logger)
        }
        printNow(output)
    }
}

/// `gazette ask`: a question answered from a reader's channels (issue 27).
struct AskCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question from the posts of a user's channels, with links to them.",
        discussion: optionHelp("""
        The question is searched in the user's channels; the best posts go to the LLM of the summarizer settings
        (--llm-url, GAZETTE_LLM_URL), which answers citing them. Without an LLM, or when it fails, the posts that
        match best are printed instead.
        """, Self.options)
    )
    static let options: [OptionSection] = [.database, .digest, .log]

    @Option(name: .long, help: "Telegram user id whose channels are asked.") var user: Int64
    @Argument(help: "The question.") var question: String
    @Option(name: .long, help: "Only this channel of the user's.") var channel: String?
    @Option(name: .long, help: "Only posts from then on: 24h, 7d, 2w, a day (2026-03-01) or an ISO 8601 time.") var since: String?
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
    }

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.ask")
        let sinceDate: Date?
        do {
            sinceDate = try since.map { try SearchDates.since($0, now: Date()) }
        } catch {
            throw ValidationError("--\(error)")
        }
        let output = try await reporting {
            try await GazetteCommands.ask(config, userID: user, question: question, channel: channel, since: sinceDate,
                                          migrate: !db.noMigrate, logger: logger)
        }
        printNow(output)
    }
}
