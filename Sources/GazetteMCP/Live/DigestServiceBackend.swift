import Foundation
import GazetteCore
import GazetteDigest
import GazettePDF

/// `DigestBackend` over GazetteDigest: the configured summarizer, `DigestFormatter`, the metered PDF renderer
/// (so `pdf_*` metrics move for PDFs made by this process) and the cached `DigestService`.
public struct DigestServiceBackend: DigestBackend {
    let service: DigestService
    let formatter = DigestFormatter()

    public init(service: DigestService) {
        self.service = service
    }

    public func summarize(_ posts: [Post], channel: String, maxSentences: Int) async -> SummaryOutput {
        let s = await service.summarizer.summarize(posts, channel: channel, maxSentences: maxSentences)
        return SummaryOutput(summary: s.summary, postCount: s.postCount, method: s.method.rawValue, language: s.language.rawValue)
    }

    public func formatDigest(sections: [DigestSectionInput], info: DigestInfoInput) -> String {
        let summaries = sections.map { section in
            ChannelSummary(channel: section.channel, title: section.title, postCount: section.postCount, totalViews: section.views ?? 0,
                           summary: section.summary, topPosts: [], method: .extractive,
                           language: DigestLanguage.detect([section.summary]))
        }
        let hours = Double(info.hours ?? 24)
        let metadata = DigestMetadata(title: info.title ?? service.options.title, since: info.date.addingTimeInterval(-hours * 3600),
                                      until: info.date, generatedAt: info.date, version: service.options.version)
        return formatter.format(summaries: summaries, metadata: metadata).markdown
    }

    public func combine(sections: [String], template: String?) throws(ToolError) -> String {
        do throws(DigestError) {
            return try formatter.combine(sections: sections, template: template, title: service.options.title, date: Date())
        } catch {
            throw Self.toolError(error, argument: "template")
        }
    }

    public func renderPDF(markdown: String, title: String?, author: String?, date: Date) async throws(ToolError) -> PDFDocumentOutput {
        do throws(PDFError) {
            let pdf = try await service.renderer.render(markdown: markdown,
                                                  info: PDFDocumentInfo(title: title ?? "Gazette", author: author ?? "Gazette", creationDate: date))
            return PDFDocumentOutput(data: pdf.data, pages: pdf.pages)
        } catch {
            switch error.errorType {
            case "render_failed": throw .failed(kind: "render_failed", message: error.description)
            default: throw .invalidArguments(argument: "markdown", reason: error.description)
            }
        }
    }

    public func pdfDigest(userID: Int64, hours: Int, now: Date) async throws(ToolError) -> PDFDigestOutput {
        do throws(DigestError) {
            let pdf = try await service.pdf(userID: userID, hours: hours, now: now)
            return PDFDigestOutput(data: pdf.data, pages: pdf.pages, channels: pdf.channels, posts: pdf.posts)
        } catch {
            throw Self.toolError(error, argument: "hours")
        }
    }

    static func toolError(_ error: DigestError, argument: String) -> ToolError {
        switch error {
        case .invalidArgument(let name, let reason): .invalidArguments(argument: name, reason: reason)
        case .invalidTemplate(let reason): .invalidArguments(argument: argument, reason: reason)
        case .notSubscribed: .notFound(error.description)
        case .storage: .failed(kind: "database", message: error.description)
        case .renderFailed(let type, _): .failed(kind: type == "render_failed" ? "render_failed" : type, message: error.description)
        }
    }
}
