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
            MigrateCommand.self, HealthcheckCommand.self, ConfigCommand.self, LoginCommand.self, LogoutCommand.self, FiltersCommand.self, TokensCommand.self, SettingsCommand.self,
            WebTokenCommand.self, DeliverCommand.self, SearchCommand.self, AskCommand.self,
        ]
    )
}
