import ArgumentParser
import Foundation
import GazetteApp
import GazetteCore

/// The `gazette` command: argument parsing only; every command calls into the libraries.
@main
struct Gazette: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazette",
        abstract: "Turns the public Telegram channels you follow into one digest.",
        discussion: """
        Configuration comes from flags, then GAZETTE_* environment variables, then defaults.
        Secrets (bot token, API token, LLM key) are best passed as environment variables.
        """,
        version: GazetteVersion.current,
        subcommands: [
            RunCommand.self, ServeCommand.self, McpCommand.self, WorkerCommand.self, BotCommand.self,
            FetchCommand.self, DigestCommand.self, RenderCommand.self, ChannelsCommand.self,
            MigrateCommand.self, HealthcheckCommand.self, ConfigCommand.self, LoginCommand.self, LogoutCommand.self, FiltersCommand.self, TokensCommand.self, SettingsCommand.self,
            WebTokenCommand.self, DeliverCommand.self, SearchCommand.self, AskCommand.self,
        ]
    )

    /// ArgumentParser parses what is left once the configuration options (the flags of `OptionTable`) are taken out;
    /// a flag of an option the command does not read is refused here, as an unknown flag would be, and each command
    /// loads the configuration it reads itself (`loadConfiguration`).
    static func main() async {
        do {
            let flags = try OptionFlags.extract(Array(CommandLine.arguments.dropFirst()))
            var command = try await asyncParseAsRoot(flags.remaining)
            let reads = type(of: command) as? any ReadsOptions.Type
            try flags.check(accepted: reads?.options ?? [], command: "gazette \(type(of: command)._commandName)")
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ConfigError {
            printError("error: \(error)")
            Foundation.exit(64)
        } catch {
            exit(withError: error)
        }
    }
}

/// A command that reads configuration options: the sections of `OptionTable` whose flags it takes and whose options
/// its `--help` lists.
protocol ReadsOptions {
    static var options: [OptionSection] { get }
}
