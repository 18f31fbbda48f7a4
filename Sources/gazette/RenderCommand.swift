import ArgumentParser
import Foundation
import GazetteApp
import GazetteCore
import GazetteDigest
import GazetteRenderCLI
import Logging

/// `gazette render`; the standalone `gazette-render` runs the same `RenderJob`. With `--remote-images`, the pictures
/// named by an address (`https://…`) are fetched first with the digests' fetcher and its limits.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: RenderJob.abstract,
        discussion: RenderJob.discussion + """

            --remote-images fetches pictures named by an http(s) address with the limits of digest pictures (byte cap \
            GAZETTE_IMAGE_MAX_BYTES, timeout GAZETTE_IMAGE_TIMEOUT, format from the bytes, pixel caps; loopback and \
            private addresses refused unless GAZETTE_ALLOW_PRIVATE_SOURCES=1); one that cannot be had shows its alt text.
            """)

    @Argument(help: ArgumentHelp(RenderJob.Help.file)) var file: String
    @Option(name: .long, help: ArgumentHelp(RenderJob.Help.out)) var out: String
    @Option(name: .long, help: ArgumentHelp(RenderJob.Help.title)) var title: String?
    @Option(name: .long, help: ArgumentHelp(RenderJob.Help.creationDate)) var creationDate: String?
    @Flag(name: .long, help: "Fetch pictures named by an http(s) address (off: their alt text is shown).")
    var remoteImages = false

    func validate() throws {
        if remoteImages, file == RenderJob.standardStream {
            throw ValidationError("--remote-images needs a markdown file, not standard input")
        }
    }

    func run() async throws {
        var remote: DigestPictures?
        if remoteImages {
            let config = try loadConfiguration()
            let markdown: String
            do {
                markdown = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                printError("error: cannot read \(file): \(error.localizedDescription)")
                throw ExitCode(66)
            }
            var logger = Logger(label: "gazette.render")
            logger.logLevel = .error
            remote = await GazetteCommands.remotePictures(markdown: markdown, config: config, logger: logger)
        }
        do {
            try RenderJob(file: file, out: out, title: title, creationDate: creationDate, remoteImages: remote).run()
        } catch {
            printError(error.message)
            throw ExitCode(error.status)
        }
    }
}
