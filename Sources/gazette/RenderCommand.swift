import ArgumentParser
import GazetteRenderCLI

/// `gazette render`; the standalone `gazette-render` runs the same `RenderJob`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: RenderJob.abstract, discussion: RenderJob.discussion)

    @Argument(help: ArgumentHelp(RenderJob.Help.file)) var file: String
    @Option(name: .long, help: ArgumentHelp(RenderJob.Help.out)) var out: String
    @Option(name: .long, help: ArgumentHelp(RenderJob.Help.title)) var title: String?
    @Option(name: .long, help: ArgumentHelp(RenderJob.Help.creationDate)) var creationDate: String?

    func run() throws {
        do {
            try RenderJob(file: file, out: out, title: title, creationDate: creationDate).run()
        } catch {
            printError(error.message)
            throw ExitCode(error.status)
        }
    }
}
