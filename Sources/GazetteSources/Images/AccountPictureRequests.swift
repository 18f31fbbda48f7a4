import Foundation
import GazetteCore

/// Pictures read through the user account (`tdlib:<remote file id>`), as a process that renders digests gets them:
/// only the process that owns the account can download them, so a picture the image cache does not hold is requested
/// (a row in `image_requests`, which that process picks up) and awaited in the cache for at most `wait`. Without a live
/// owner of a logged-in account nothing is requested and the picture is left out at once (its alt text shows).
/// docs/SOURCES.md, "Pictures through the account".
public struct AccountPictureRequests: Sendable {
    public typealias Store = ImageRequestStore & ImageCacheStore & AccountStore

    let store: any Store
    /// How long a digest waits for one picture; a request still open then stays, so the next digest has the picture.
    let wait: TimeInterval
    /// How often the cache is looked at meanwhile.
    let poll: TimeInterval
    let clock: any GazetteClock

    public init(store: any Store, wait: TimeInterval = 20, poll: TimeInterval = 0.25, clock: any GazetteClock = SystemClock()) {
        self.store = store
        self.wait = wait
        self.poll = poll
        self.clock = clock
    }

    func load(_ url: String, keepUntil: Date) async -> Result<CachedImage, ImageLoadFailure> {
        let asked = clock.now()
        // The wait is real time, whatever the clock dates things with.
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        do {
            guard let lease = try await store.accountLease(), lease.ready(now: asked) else {
                return .failure(ImageLoadFailure(.accountUnavailable, "no process owns a logged-in user account to download it"))
            }
            try await store.requestImage(url: url, keepUntil: keepUntil, now: asked)
            while true {
                if let entry = try await store.cachedImage(url: url, now: clock.now()) {
                    guard let format = entry.format else {
                        let reason = entry.skipReason.flatMap(ImageSkipReason.init(rawValue:)) ?? .network
                        return .failure(ImageLoadFailure(reason, "the account's process could not use it"))
                    }
                    return .success(CachedImage(url: url, format: format, bytes: entry.bytes, width: entry.width, height: entry.height,
                                                fetchedAt: entry.fetchedAt, expiresAt: max(entry.expiresAt, keepUntil)))
                }
                guard ContinuousClock.now < deadline else {
                    return .failure(ImageLoadFailure(.timeout, "the account's process did not download it within \(Int(wait)) s; it stays requested"))
                }
                // The pause is real time too: `clock` only dates the request and the cache lookups.
                try await Task.sleep(for: .milliseconds(Int(poll * 1000)))
            }
        } catch {
            return .failure(ImageLoadFailure(.accountUnavailable, "the request could not be made or awaited: \(error)"))
        }
    }
}
