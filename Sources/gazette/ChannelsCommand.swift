import ArgumentParser
import GazetteApp
import Foundation
import GazetteCore
import GazetteObservability
import GazetteSources

struct ChannelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Manage a user's subscriptions from the shell.",
        subcommands: [Add.self, List.self, Remove.self, Import.self, Export.self]
    )

    struct Add: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a user to channels.",
            discussion: optionHelp("""
            Accepts durov, @durov, t.me/durov, https://t.me/s/durov, https://t.me/durov/123, a private channel's invite \
            link (https://t.me/+HASH, t.me/joinchat/HASH; read through the user account, see gazette login) or a feed URL.
            """, Self.options)
        )
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Option(name: .long, help: "Comma-separated tags.") var tags: String?
        @Option(name: .long, help: ArgumentHelp(
            "How telegram channels are read: preview (t.me, no account), account (the logged-in user account) or auto "
                + "(default: the preview when the channel has one, else the account).", valueName: "preview|account|auto"))
        var via: FetchVia?
        @Argument(help: "Channels to add.") var channels: [String]
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard !channels.isEmpty else { throw ValidationError("name at least one channel") }
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
        }

        func run() async throws {
            // Validate every reference before touching the database: nothing is stored when one is bad.
            var refs: [ChannelRef] = []
            for raw in channels {
                do { refs.append(try ChannelRef.parse(raw)) } catch {
                    printError("error: \(error)")
                    throw ExitCode(65)
                }
            }
            if let via {
                for ref in refs where ref.kind != .telegram {
                    printError("error: --via applies to telegram channels, not to \(ref.kind.rawValue) channel \(ref.key)")
                    throw ExitCode(65)
                }
                for ref in refs where ref.needsAccount && via == .preview {
                    printError("error: \(ref.key) is a private invite link: only the user account can read it, not --via preview")
                    throw ExitCode(65)
                }
            }
            let tagList = tags?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
            try await withStore(db, label: "gazette.channels") { store in
                let accountReady = try await store.accountLease()?.ready(now: Date()) ?? false
                for ref in refs {
                    let (channel, created) = try await store.subscribe(userID: user, ref: ref, tags: tagList)
                    if let via { try await store.setFetchVia(channelID: channel.id, via) }
                    let route = ResolvedRoute.resolve(ref, route: try await store.fetchRoutes(channelIDs: [channel.id])[channel.id],
                                                      accountReady: accountReady)
                    print("\(created ? "subscribed" : "already subscribed"): \(channel.key) (id \(channel.id), \(ref.kind.rawValue), via \(route.summary))")
                }
            }
        }
    }

    struct List: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "List a user's channels.",
        discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Option(name: .long, help: "At most this many channels (1…500).") var limit = 100
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard (1...500).contains(limit) else { throw ValidationError("--limit must be in 1…500") }
        }

        func run() async throws {
            let (rows, routes, accountReady) = try await withStore(db, label: "gazette.channels") { store in
                let rows = try await store.subscriptions(userID: user, limit: limit)
                let routes = try await store.fetchRoutes(channelIDs: rows.map(\.channel.id))
                return (rows, routes, try await store.accountLease()?.ready(now: Date()) ?? false)
            }
            if rows.isEmpty {
                print("user \(user) has no channels; add one with: gazette channels add --user \(user) @durov")
                return
            }
            let table = rows.map { row -> [String] in
                let route = ResolvedRoute.resolve(row.channel.ref, route: routes[row.channel.id], accountReady: accountReady)
                return [String(row.channel.id), row.channel.key, row.channel.kind.rawValue, row.channel.metadata.title ?? "",
                        String(row.postCount), row.lastSuccessAt.map(Self.format) ?? "never",
                        row.subscription.tags.joined(separator: ","), route.summary]
            }
            print(TextTable.render(header: ["id", "channel", "kind", "title", "posts", "last fetch", "tags", "read via"], rows: table))
        }

        static func format(_ date: Date) -> String {
            date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
        }
    }

    struct Remove: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(abstract: "Unsubscribe a user from channels (by reference or id).",
        discussion: optionHelp(Self.options))
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Argument(help: "Channels to remove: references as for add, or channel ids.") var channels: [String]
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard !channels.isEmpty else { throw ValidationError("name at least one channel") }
        }

        func run() async throws {
            var missing = false
            try await withStore(db, label: "gazette.channels") { store in
                for raw in channels {
                    let channel: Channel?
                    if let id = Int64(raw) {
                        channel = try await store.channel(id: id)
                    } else {
                        let ref: ChannelRef
                        do { ref = try ChannelRef.parse(raw) } catch {
                            printError("error: \(error)")
                            missing = true
                            continue
                        }
                        channel = try await store.channel(ref: ref)
                    }
                    if let channel, try await store.unsubscribe(userID: user, channelID: channel.id) {
                        print("removed: \(channel.key)")
                    } else {
                        printError("not subscribed: \(raw)")
                        missing = true
                    }
                }
            }
            if missing { throw ExitCode(1) }
        }
    }
}

extension FetchVia: ExpressibleByArgument {}

extension ChannelsCommand {
    struct Import: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe a user to the channels and feeds of an OPML file (a feed reader's export).",
            discussion: optionHelp("""
            Walks nested outlines (folders become tags) and takes each outline's xmlUrl, else its htmlUrl; t.me links are \
            Telegram channels, other http(s) URLs feeds. Prints what was added and what was skipped and why (already \
            subscribed, duplicate in the file, not a URL, unsupported scheme, private address, …). Existing subscriptions \
            are never changed. A file that is not well-formed OPML changes nothing and exits 65.
            """, Self.options)
        )
        static let options: [OptionSection] = [.database, .log, .privateAddresses]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Option(name: .long, help: ArgumentHelp("The OPML file; - reads standard input.", valueName: "file")) var opml: String
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
        }

        func run() async throws {
            let data: Data
            do {
                data = try Self.read(opml)
            } catch {
                printError("error: \(error)")
                throw ExitCode(66)
            }
            // Parse before the database is opened: a broken file never touches it.
            do { _ = try OPMLDocument.outlines(data) } catch {
                printError("error: \(opml == "-" ? "standard input" : opml): \(error)")
                throw ExitCode(65)
            }
            let config = try loadConfiguration()
            let logger = config.bootstrapLogging(label: "gazette.channels")
            let report = try await withStore(config, migrate: !db.noMigrate, logger: logger) { store in
                try await OPMLSubscriptions.importOPML(data, userID: user, store: store, allowPrivate: config.sources.http.allowPrivateSources)
            }
            for added in report.added {
                let tags = added.tags.isEmpty ? "" : ", tags \(added.tags.joined(separator: ","))"
                print("added: \(added.channel.key) (id \(added.channel.id), \(added.channel.kind.rawValue)\(tags))")
            }
            for skipped in report.skipped {
                print("skipped: \(skipped.source)\(skipped.line > 0 ? " (line \(skipped.line))" : ""): \(skipped.detail)")
            }
            print("\(report.added.count) added, \(report.skipped.count) skipped of \(report.outlines) outline\(report.outlines == 1 ? "" : "s")")
        }

        /// The file, or standard input for `-`, at most `OPMLDocument.maxBytes` (+1 to tell a larger one).
        static func read(_ path: String) throws -> Data {
            let handle = path == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { if path != "-" { try? handle.close() } }
            return try handle.read(upToCount: OPMLDocument.maxBytes + 1) ?? Data()
        }
    }

    struct Export: AsyncParsableCommand, ReadsOptions {
        static let configuration = CommandConfiguration(
            abstract: "Write a user's subscriptions as OPML to standard output.",
            discussion: optionHelp("""
            Telegram channels appear as https://t.me/s/<name> (htmlUrl https://t.me/<name>), feeds as their URL; a \
            subscription's first tag is its folder. Channels the bot administers have no URL and are left out (named on \
            standard error). gazette channels export --user 1 --opml | gazette channels import --user 2 --opml - copies a list.
            """, Self.options)
        )
        static let options: [OptionSection] = [.database, .log]
        @Option(name: .long, help: "Telegram user id.") var user: Int64
        @Flag(name: .long, help: "Write OPML (the only format, required).") var opml = false
        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
            guard opml else { throw ValidationError("name the format: --opml") }
        }

        func run() async throws {
            let (text, _, skipped) = try await withStore(db, label: "gazette.channels") { store in
                try await OPMLSubscriptions.exportOPML(userID: user, store: store, now: Date())
            }
            for channel in skipped {
                printError("left out: \(channel.key) (a channel the bot administers has no URL)")
            }
            print(text, terminator: "")
        }
    }
}
