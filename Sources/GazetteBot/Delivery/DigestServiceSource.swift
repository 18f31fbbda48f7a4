import Foundation
import GazetteCore
import GazetteDigest

/// The production digest source: GazetteDigest's `DigestService` (cache, summarizer, renderer with PDF metrics).
public struct DigestServiceSource: BotDigestSource {
    public let service: DigestService

    public init(service: DigestService) {
        self.service = service
    }

    public func pdfDigest(userID: Int64, hours: Int, now: Date) async throws(BotDigestError) -> BotDigestDocument? {
        guard try await hasPosts(userID: userID, hours: hours, now: now) else { return nil }
        do {
            let pdf = try await service.pdf(userID: userID, hours: hours, now: now)
            return BotDigestDocument(pdf: pdf.data, pages: pdf.pages, channels: pdf.channels, posts: pdf.posts, cacheHit: pdf.cacheHit)
        } catch {
            throw Self.map(error)
        }
    }

    public func textDigest(userID: Int64, hours: Int, now: Date) async throws(BotDigestError) -> [String] {
        guard try await hasPosts(userID: userID, hours: hours, now: now) else { return [] }
        do {
            return try await service.textDigest(userID: userID, hours: hours, now: now)
        } catch {
            throw Self.map(error)
        }
    }

    /// One cheap query decides "No new posts" before anything is summarized or rendered.
    private func hasPosts(userID: Int64, hours: Int, now: Date) async throws(BotDigestError) -> Bool {
        do {
            return try await service.store.newestPostID(forUser: userID, since: now.addingTimeInterval(-Double(hours) * 3600)) != nil
        } catch {
            throw .database(String(describing: error))
        }
    }

    static func map(_ error: DigestError) -> BotDigestError {
        switch error {
        case .storage(let reason): .database(reason)
        case .renderFailed(_, let message): .renderFailed(message)
        // Invalid arguments cannot come from the bot (it validates hours itself); reported as a failed digest.
        default: .renderFailed(error.description)
        }
    }
}
