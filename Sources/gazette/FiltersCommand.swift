import ArgumentParser
import GazetteApp
import Foundation
import GazetteCore
import GazetteObservability

/// `gazette filters`: a reader's digest filters and language (issue 15). Filters only shape digests; no post is deleted.
struct FiltersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "A user's digest filters (keywords, muted channels, ads, minimum length), digest language and pictures.",
        subcommands: [Add.self, List.self, Remove.self, Language.self, Images.self]
    )

    /// Exactly one filter, from the options of `add` and `remove`.
    struct FilterOptions: ParsableArguments {
        @Option(name: .long, help: "Keep only posts with this word or phrase (any inflection).") var include: String?
        @Option(name: .long, help: "Hide posts with this word or phrase (any inflection).") var exclude: String?
        @Option(name: .long, help: "Hide a channel's posts without unsubscribing.") var mute: String?
        @Flag(name: .long, help: "Hide advertising (erid, «реклама», #реклама, your own markers).") var noAds = false
        @Option(name: .long, help: "Your own advertising marker (with --no-ads).") var adMarker: String?
        @Option(name: .long, help: "Hide posts shorter than this many characters.") var minLength: String?

        func filter() throws -> ReaderFilter {
            var given: [(ReaderFilter.Kind, String)] = []
            if let include { given.append((.include, include)) }
            if let exclude { given.append((.exclude, exclude)) }
            if let mute { given.append((.mute, mute)) }
            if noAds { given.append((.noAds, "")) }
            if let adMarker { given.append((.adMarker, adMarker)) }
            if let minLength { given.append((.minLength, minLength)) }
            guard given.count == 1 else {
                throw ValidationError("give exactly one of --include, --exclude, --mute, --no-ads, --ad-marker, --min-length")
            }
            do {
                return try ReaderFilter.make(kind: given[0].0, value: given[0].1)
            } catch {
                throw ValidationError("--\(given[0].0.rawValue.replacingOccurrences(of: "_", with: "-")): \(error.reason)")
            }
        }
    }

    struct Add: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "Add a filter.", discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @OptionGroup var filter: FilterOptions
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
            _ = try filter.filter()
        }

        func run() async throws {
            let f = try filter.filter()
            let created = try await withStore(db, label: "gazette.filters") {
                try await $0.addReaderFilter(userID: user, f)
            }
            print("\(created ? "added" : "already there"): \(FiltersCommand.describe(f))")
        }
    }

    struct Remove: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "Remove a filter.", discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @OptionGroup var filter: FilterOptions
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
            _ = try filter.filter()
        }

        func run() async throws {
            let f = try filter.filter()
            let removed = try await withStore(db, label: "gazette.filters") {
                try await $0.removeReaderFilter(userID: user, f)
            }
            guard removed else {
                printError("error: user \(user) has no filter \(FiltersCommand.describe(f))")
                throw ExitCode(65)
            }
            print("removed: \(FiltersCommand.describe(f))")
        }
    }

    struct List: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "List a user's filters and digest language.",
        discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
        }

        func run() async throws {
            let (filters, language, images) = try await withStore(db, label: "gazette.filters") { store in
                (try await store.readerFilters(userID: user), try await store.readerLanguage(userID: user),
                 try await store.readerImages(userID: user))
            }
            print("language: \(language ?? "auto (the language of most posts)")")
            print("images: \(images.map { $0 ? "on" : "off" } ?? "default (--images)")")
            if filters.isEmpty { print("no filters; add one with: gazette filters add --user \(user) --exclude реклама") }
            for f in filters { print(FiltersCommand.describe(f)) }
        }
    }

    struct Language: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "Set the language of the digest's own words: ru, en or auto.",
        discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Argument(help: "ru, en or auto (the language of most posts).") var language: String
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
            guard ["ru", "en", "auto"].contains(language.lowercased()) else { throw ValidationError("language must be ru, en or auto") }
        }

        func run() async throws {
            let value = language.lowercased() == "auto" ? nil : language.lowercased()
            try await withStore(db, label: "gazette.filters") { try await $0.setReaderLanguage(userID: user, value) }
            print("language: \(value ?? "auto")")
        }
    }

    struct Images: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(
            abstract: "Pictures in the user's digests: on, off or default (follow the process's --images).",
            discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Argument(help: "on, off or default.") var setting: String
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
            guard ["on", "off", "default"].contains(setting.lowercased()) else { throw ValidationError("images must be on, off or default") }
        }

        func run() async throws {
            let value: Bool? = switch setting.lowercased() {
            case "on": true
            case "off": false
            default: nil
            }
            try await withStore(db, label: "gazette.filters") { try await $0.setReaderImages(userID: user, value) }
            print("images: \(value.map { $0 ? "on" : "off" } ?? "default")")
        }
    }

    static func describe(_ f: ReaderFilter) -> String {
        switch f.kind {
        case .noAds: "--no-ads"
        case .include, .exclude, .mute, .adMarker, .minLength: "--\(f.kind.rawValue.replacingOccurrences(of: "_", with: "-")) \(f.value)"
        }
    }
}
