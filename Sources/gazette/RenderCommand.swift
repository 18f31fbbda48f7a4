import ArgumentParser
import GazetteCore

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a markdown file to PDF with the built-in renderer."
    )

    @Argument(help: "Markdown file (CommonMark + GFM tables, strikethrough, autolinks; at most 2 MB).") var file: String
    @Option(name: .long, help: "Output PDF file.") var out: String
    @Option(name: .long, help: "Document title (default: the first heading or the file name).") var title: String?

    func run() async throws {
        try notBuiltYet("render")
    }
}
