import ArgumentParser
import GazetteApp
import GazetteCore

struct ConfigCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Validate the configuration and print it with secrets redacted.", discussion: optionHelp(Self.options)
    )
    static let options: [OptionSection] = OptionSection.allCases

    @Flag(name: .long, help: "Print the option list of docs/DEPLOYMENT.md (a markdown table) instead; nothing is loaded.")
    var markdown = false
    // Accepted as the processes accept them, so a command line can be checked by replacing its command with `config`.
    @OptionGroup var server: ServerOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        if markdown {
            print(OptionTable.markdown())
            return
        }
        let config = try loadConfiguration()
        print(config.redactedDescription)
    }
}
