import ArgumentParser
import GazetteRenderCLI

/// `gazette render`; the standalone `gazette-render` runs the same `RenderJob`.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: RenderJob.abstract, discussion: RenderJob.discussion)

    @Argument(help: "Markdown file (at most 2 MB).") var file: String
    @Option(name: .long, help: "Output PDF file.") var out: String
    @Option(name: .long, help: "Document title (default: the first heading, else the file name).") var title: String?
    @Option(name: .long, help: "Creation date recorded in the PDF, ISO 8601 (e.g. 2024-05-17T00:00:00Z).") var creationDate: String?

    func run() throws {
        do {
            print(try RenderJob(file: file, out: out, title: title, creationDate: creationDate).run())
        } catch {
            RenderJob.printError(error.message)
            throw ExitCode(error.status)
        }
    }
}
