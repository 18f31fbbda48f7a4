import GazettePDF
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One `render` run, shared by `gazette render` and the standalone `gazette-render`. This module imports neither
/// ArgumentParser nor Foundation's full library, so the standalone binary links the renderer, the Swift runtime
/// and FoundationEssentials only; a cold render there peaks near 27 MB of memory, against 48–54 MB for the
/// all-in-one binary that also maps the server, database and network libraries (docs/PDF.md, "Memory").
public struct RenderJob: Sendable {
    public static let abstract = "Render a markdown file to PDF with the built-in renderer."
    public static let discussion = """
        A4, 2 cm margins, 12 pt; CommonMark + GFM tables, strikethrough and autolinks. Pictures (JPEG, PNG, WebP) named
        by a path are embedded: relative to the markdown file's directory (standard input: the current directory), never
        outside it. Remote addresses are not fetched; their alt text is shown.
        With --creation-date (or SOURCE_DATE_EPOCH) the same input gives a byte-identical PDF.
        The file `-` is standard input and `--out -` standard output (the report then goes to standard error).
        Exit status: 64 bad option, 65 input the renderer refuses, 66 unreadable input, 73 unwritable output.
        """

    /// Help of each argument, shown by both commands.
    public enum Help {
        public static let file = "Markdown file (at most 2 MB); - reads standard input."
        public static let out = "Output PDF file; - writes standard output."
        public static let title = "Document title (default: the first heading, else the file name)."
        public static let creationDate = "Creation date recorded in the PDF, ISO 8601 (e.g. 2024-05-17T00:00:00Z)."
    }

    public var file: String
    public var out: String
    public var title: String?
    public var creationDate: String?
    /// Asked for the pictures whose destination has a scheme (`https://…`); nil: they are not fetched and their alt
    /// text is shown. Paths are always read from the markdown file's directory (`LocalImageFiles`).
    public var remoteImages: (any PDFImageProvider)?

    public init(file: String, out: String, title: String? = nil, creationDate: String? = nil,
                remoteImages: (any PDFImageProvider)? = nil) {
        self.file = file
        self.out = out
        self.title = title
        self.creationDate = creationDate
        self.remoteImages = remoteImages
    }

    /// A failed run: the exit status (sysexits) and the one line to print.
    public struct Failure: Error, Sendable {
        public let status: Int32
        public let message: String

        public init(status: Int32, message: String) {
            self.status = status
            self.message = message
        }
    }

    /// `-` for standard input or output.
    public static let standardStream = "-"

    /// Renders `file` into `out` and reports it: one line on standard output, or on standard error when the PDF
    /// itself goes to standard output.
    public func run(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) {
        let report = try render(environment: environment)
        if out == Self.standardStream { Self.printError(report) } else { print(report) }
    }

    /// Renders `file` into `out`; returns the report line.
    public func render(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> String {
        let date = try fixedDate(environment: environment)
        let fromStandardInput = file == Self.standardStream
        let source = fromStandardInput ? "standard input" : file
        let data: Data
        do {
            // Standard input is read to one byte past the limit: enough to know that it is too large.
            data = fromStandardInput ? try Self.readStandardInput(limit: PDFLimits.maxInputBytes + 1)
                : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw Failure(status: 66, message: "error: cannot read \(source): \(Self.reason(error))")
        }
        // The renderer would give the size read, which for a stream is only the limit plus one.
        if fromStandardInput, data.count > PDFLimits.maxInputBytes {
            throw Failure(status: 65, message: "error: \(source): markdown is over the limit of \(PDFLimits.maxInputBytes) bytes")
        }
        let markdown = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        let fallbackTitle = fromStandardInput ? "Document" : URL(fileURLWithPath: file).lastPathComponent
        let info = PDFDocumentInfo(title: title ?? Self.firstHeading(markdown) ?? fallbackTitle, creationDate: date)
        let directory = fromStandardInput ? FileManager.default.currentDirectoryPath
            : URL(fileURLWithPath: file).deletingLastPathComponent().path
        let images = JobImages(local: LocalImageFiles(baseDirectory: directory), remote: remoteImages)
        let pdf: RenderedPDF
        do {
            pdf = try PDFRenderer().render(markdownData: data, info: info, style: PDFStyle(), images: images)
        } catch {
            throw Failure(status: 65, message: "error: \(source): \(error)")
        }
        do {
            if out == Self.standardStream {
                try Self.writeStandardOutput(pdf.data)
            } else {
                try pdf.data.write(to: URL(fileURLWithPath: out), options: .atomic)
            }
        } catch {
            throw Failure(status: 73, message: "error: cannot write \(out == Self.standardStream ? "standard output" : out): \(Self.reason(error))")
        }
        for skip in pdf.imageSkips {
            Self.printError("warning: \(source): image '\(skip.destination)' not shown (alt text instead): \(skip.reason)")
        }
        return "wrote \(out == Self.standardStream ? "standard output" : out): \(pdf.pages) pages, \(pdf.data.count) bytes"
    }

    /// Paths from the markdown's directory; addresses with a scheme from `remote`, when there is one.
    struct JobImages: PDFImageProvider {
        let local: LocalImageFiles
        let remote: (any PDFImageProvider)?

        func imageBytes(for destination: String) -> [UInt8]? {
            if case .bytes(let bytes) = image(for: destination) { return bytes }
            return nil
        }

        func image(for destination: String) -> PDFImageLookup {
            if !LocalImageFiles.isFilePath(destination), let remote { return remote.image(for: destination) }
            return local.image(for: destination)
        }
    }

    /// Reads standard input to its end, or to `limit` bytes.
    public static func readStandardInput(limit: Int) throws -> Data {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count < limit {
            let n = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, min($0.count, limit - bytes.count)) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return Data(bytes)
    }

    /// Writes all of `data` to standard output (a pipe may take it in pieces).
    public static func writeStandardOutput(_ data: Data) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
                offset += n
            }
        }
    }

    /// `--creation-date`, else `SOURCE_DATE_EPOCH` (the reproducible-builds convention), else now.
    private func fixedDate(environment: [String: String]) throws(Failure) -> Date? {
        if let creationDate {
            guard let date = try? Date(creationDate, strategy: .iso8601) else {
                throw Failure(status: 64, message: "error: invalid --creation-date '\(creationDate)': expected ISO 8601 such as 2024-05-17T00:00:00Z")
            }
            return date
        }
        if let epoch = environment["SOURCE_DATE_EPOCH"] {
            guard let seconds = Double(epoch) else {
                throw Failure(status: 64, message: "error: invalid SOURCE_DATE_EPOCH '\(epoch)': expected seconds since 1970")
            }
            return Date(timeIntervalSince1970: seconds)
        }
        return nil
    }

    static func firstHeading(_ markdown: String) -> String? {
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: true).prefix(200) where line.hasPrefix("#") {
            let text = line.drop { $0 == "#" }.drop(while: \.isWhitespace)
            let trimmed = text.reversed().drop(while: \.isWhitespace).reversed()
            if !trimmed.isEmpty { return String(trimmed) }
        }
        return nil
    }

    /// The system's words for a file error (FoundationEssentials has no `localizedDescription`).
    private static func reason(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        guard let posix = (error as? CocoaError)?.underlying as? POSIXError else { return "\(error)" }
        return String(cString: strerror(posix.code.rawValue))
    }

    /// Writes one line to standard error.
    public static func printError(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
