import ArgumentParser
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
            MigrateCommand.self, HealthcheckCommand.self, ConfigCommand.self,
        ]
    )
}

/// Thrown by commands whose part of Gazette is not built yet: says so and exits 2, never pretends to work.
struct NotBuiltYet: Error, CustomStringConvertible {
    let command: String
    var description: String { "gazette \(command) is not built yet in this version" }
}

func notBuiltYet(_ command: String) throws -> Never {
    printError("error: gazette \(command) is not built yet in this version")
    throw ExitCode(2)
}
