import ArgumentParser
import Foundation
import GazettePDF

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a markdown file to PDF with the built-in renderer.",
        discussion: """
        A4, 2 cm margins, 12 pt; CommonMark + GFM tables, strikethrough and autolinks. Images are never fetched.
        With --creation-date (or SOURCE_DATE_EPOCH) the same input gives a byte-identical PDF.
        """
    )

    @Argument(help: "Markdown file (at most 2 MB).") var file: String
    @Option(name: .long, help: "Output PDF file.") var out: String
    @Option(name: .long, help: "Document title (default: the first heading, else the file name).") var title: String?
    @Option(name: .long, help: "Creation date recorded in the PDF, ISO 8601 (e.g. 2024-05-17T00:00:00Z).") var creationDate: String?

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            printError("error: cannot read \(file): \(error.localizedDescription)")
            throw ExitCode(66)
        }
        let date = try fixedDate()
        let markdown = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        let info = PDFDocumentInfo(title: title ?? Self.firstHeading(markdown) ?? URL(fileURLWithPath: file).lastPathComponent,
                                   creationDate: date)
        let pdf: RenderedPDF
        do {
            pdf = try PDFRenderer().render(markdownData: data, info: info)
        } catch {
            printError("error: \(file): \(error)")
            throw ExitCode(65)
        }
        do {
            try pdf.data.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            printError("error: cannot write \(out): \(error.localizedDescription)")
            throw ExitCode(73)
        }
        print("wrote \(out): \(pdf.pages) pages, \(pdf.data.count) bytes")
    }

    /// `--creation-date`, else `SOURCE_DATE_EPOCH` (the reproducible-builds convention), else now.
    private func fixedDate() throws -> Date? {
        if let creationDate {
            guard let date = try? Date(creationDate, strategy: .iso8601) else {
                printError("error: invalid --creation-date '\(creationDate)': expected ISO 8601 such as 2024-05-17T00:00:00Z")
                throw ExitCode(64)
            }
            return date
        }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] {
            guard let seconds = Double(epoch) else {
                printError("error: invalid SOURCE_DATE_EPOCH '\(epoch)': expected seconds since 1970")
                throw ExitCode(64)
            }
            return Date(timeIntervalSince1970: seconds)
        }
        return nil
    }

    static func firstHeading(_ markdown: String) -> String? {
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: true).prefix(200) where line.hasPrefix("#") {
            let text = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { return text }
        }
        return nil
    }
}
