import ArgumentParser
import GazetteCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate the configuration and print it with secrets redacted."
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var metrics: MetricsOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var bot: BotOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var account: AccountOptions
    @OptionGroup var delivery: DeliveryOptions

    func run() async throws {
        let config = try loadConfig {
            server.apply(to: &$0); metrics.apply(to: &$0); fetch.apply(to: &$0); bot.apply(to: &$0)
            db.apply(to: &$0); summarizer.apply(to: &$0); log.apply(to: &$0); account.apply(to: &$0)
            delivery.apply(to: &$0)
        }
        print(config.redactedDescription)
    }
}
