import Foundation
import GazetteCore
import GazettePDF

/// What `gazette digest --format` writes.
public enum DigestOutputFormat: String, Sendable, CaseIterable {
    case pdf
    case markdown
    case text
}

/// A digest written for a file: the bytes and a one-line report for the terminal.
public struct DigestExport: Sendable {
    public var data: Data
    public var format: DigestOutputFormat
    public var channels: Int
    public var posts: Int
    public var pages: Int?

    /// "pdf digest: 4 channels, 16 posts, 3 pages, 81234 bytes"
    public var report: String {
        var parts = ["\(channels) channels", "\(posts) posts"]
        if let pages { parts.append("\(pages) pages") }
        parts.append("\(data.count) bytes")
        return "\(format.rawValue) digest: " + parts.joined(separator: ", ")
    }

    /// The body of `gazette digest --user ID`: one digest from the database.
    public static func forUser(_ service: DigestService, userID: Int64, hours: Int, format: DigestOutputFormat,
                               now: Date = Date()) async throws(DigestError) -> DigestExport {
        switch format {
        case .pdf:
            let pdf = try await service.pdf(userID: userID, hours: hours, now: now)
            return DigestExport(data: pdf.data, format: .pdf, channels: pdf.channels, posts: pdf.posts, pages: pdf.pages)
        case .markdown, .text:
            let result = try await service.digest(userID: userID, hours: hours, now: now)
            return try await export(result, format: format, renderer: service.renderer)
        }
    }

    /// The body of `gazette digest --demo`: the sample posts shipped with Gazette; no database, no network.
    public static func demo(format: DigestOutputFormat, summarizer: any Summarizer = ExtractiveSummarizer(),
                            renderer: MeteredRenderer, now: Date = Date(), version: String? = nil,
                            options: DigestOptions = DigestOptions()) async throws(DigestError) -> DigestExport {
        let metadata = DigestMetadata(title: "Gazette demo digest", since: now.addingTimeInterval(-24 * 3600), until: now,
                                      generatedAt: now, version: version)
        let result = await DigestService.build(DemoPosts.groups(now: now), metadata: metadata, summarizer: summarizer,
                                               options: options)
        return try await export(result, format: format, renderer: renderer)
    }

    static func export(_ result: DigestResult, format: DigestOutputFormat, renderer: MeteredRenderer) async throws(DigestError) -> DigestExport {
        switch format {
        case .markdown:
            return DigestExport(data: Data(result.markdown.utf8), format: format, channels: result.channels, posts: result.posts)
        case .text:
            let text = TextDigest.render(result, style: .plain) + "\n"
            return DigestExport(data: Data(text.utf8), format: format, channels: result.channels, posts: result.posts)
        case .pdf:
            do throws(PDFError) {
                let pdf = try await renderer.render(markdown: result.markdown, info: DigestService.info(result.metadata))
                return DigestExport(data: pdf.data, format: format, channels: result.channels, posts: result.posts, pages: pdf.pages)
            } catch {
                throw DigestError(error)
            }
        }
    }
}
