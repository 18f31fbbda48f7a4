import Foundation
import GazetteCore
import GazetteDigest

/// The daily digest's feed destination: the digest kept in the digest archive, which the user's Atom feed and web
/// reader serve (docs/WEB.md). Recording the same (user, day) again keeps the entry's id, so a retry never makes a
/// second feed entry.
public struct FeedDigestSender: DigestSender {
    public let destination = DigestDestination.feed
    let archive: any DigestArchiveStore
    let clock: any GazetteClock

    public init(archive: any DigestArchiveStore, clock: any GazetteClock = SystemClock()) {
        self.archive = archive
        self.clock = clock
    }

    public func unavailable(for settings: UserSettings) -> String? { nil }

    public func send(_ digest: PreparedDigest, to settings: UserSettings, period: String) async throws {
        _ = try await archive.recordArchivedDigest(
            digest.content.archived(userID: settings.userID, kind: DigestDeliveryScheduler.kind, period: period, at: clock.now()))
    }
}
