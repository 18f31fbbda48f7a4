import Foundation
import GazetteCore
import Logging
import Synchronization

/// Pictures for digests: from the image cache in the database, else fetched on demand and remembered (a picture
/// until the newest post showing it expires, a failure for `failureTTL`); a picture of the user account (`tdlib:`)
/// is requested from the process that owns the account instead (`AccountPictureRequests`). Counts hits, misses, skips
/// by reason and fetch times. Only the pictures a digest shows are ever fetched (docs/DIGEST.md, "Pictures").
public final class ImageLoader: ImageLoading {
    public let fetcher: ImageFetcher
    private let cache: (any ImageCacheStore)?
    private let metrics: ImageMetrics?
    private let logger: Logger
    private let clock: any GazetteClock
    private let verify: (@Sendable (Data) -> ImageLoadFailure?)?
    private let accountPictures: AccountPictureRequests?
    /// Whether the cache may have changed since the last upkeep: set when this loader stores an entry, and true at
    /// first so a new process measures the cache once.
    private let changed = Atomic<Bool>(true)

    /// - Parameters:
    ///   - cache: nil fetches every time (`gazette render --remote-images`, which has no database).
    ///   - verify: a deeper check of fetched bytes before they are kept (the renderer's own: a JPEG cut short, a PNG
    ///     whose checksum fails), so a picture the renderer would refuse is remembered as a failure, not cached.
    ///   - accountPictures: how the user account's pictures are asked for; nil (no database) leaves them out.
    public init(fetcher: ImageFetcher, cache: (any ImageCacheStore)?, metrics: ImageMetrics?, logger: Logger,
                clock: any GazetteClock = SystemClock(), verify: (@Sendable (Data) -> ImageLoadFailure?)? = nil,
                accountPictures: AccountPictureRequests? = nil) {
        self.verify = verify
        self.accountPictures = accountPictures
        self.fetcher = fetcher
        self.cache = cache
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    public func image(url: String, keepUntil: Date) async -> Result<CachedImage, ImageLoadFailure> {
        let now = clock.now()
        if let cache {
            do {
                if let hit = try await cache.cachedImage(url: url, now: now) {
                    metrics?.hits.increment()
                    if let format = hit.format {
                        // A later post showing the same picture keeps it longer.
                        if keepUntil > hit.expiresAt { await remember(hit, expiresAt: keepUntil) }
                        return .success(CachedImage(url: url, format: format, bytes: hit.bytes, width: hit.width, height: hit.height,
                                                    fetchedAt: hit.fetchedAt, expiresAt: max(hit.expiresAt, keepUntil)))
                    }
                    let reason = hit.skipReason.flatMap(ImageSkipReason.init(rawValue:)) ?? .network
                    metrics?.recordSkip(reason)
                    return .failure(ImageLoadFailure(reason, "remembered from an earlier fetch"))
                }
            } catch {
                logger.warning("image cache lookup failed; fetching", metadata: ["error": "\(error)"])
            }
            metrics?.misses.increment()
        }
        if AccountPicture.remoteFileID(in: url) != nil {
            let result = await accountPictures?.load(url, keepUntil: keepUntil)
                ?? .failure(ImageLoadFailure(.accountUnavailable, "this process cannot ask the user account's process for pictures"))
            if case .failure(let failure) = result { skipped(url, failure) }
            return result
        }
        let started = ContinuousClock.now
        var fetched = await fetcher.fetch(url)
        metrics?.fetchDuration.record(ContinuousClock.now - started)
        if case .success(let (bytes, _)) = fetched, let verify, let failure = verify(bytes) { fetched = .failure(failure) }
        switch fetched {
        case .success(let (bytes, header)):
            let image = CachedImage(url: url, format: header.format, bytes: bytes, width: header.width, height: header.height,
                                    fetchedAt: now, expiresAt: keepUntil)
            await remember(image, expiresAt: keepUntil)
            return .success(image)
        case .failure(let failure):
            skipped(url, failure)
            let until = min(keepUntil, now.addingTimeInterval(fetcher.settings.failureTTL))
            if until > now {
                await remember(.failure(url: url, reason: failure.reason.rawValue, fetchedAt: now, expiresAt: until), expiresAt: until)
            }
            return .failure(failure)
        }
    }

    private func skipped(_ url: String, _ failure: ImageLoadFailure) {
        metrics?.recordSkip(failure.reason)
        logger.info("picture left out of the digest", metadata: [
            "url": "\(SourceError.shown(url))", "reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)",
        ])
    }

    public func rendererRefused(url: String, reason: String) async {
        metrics?.recordSkip(.renderer)
        logger.info("the renderer left a picture out", metadata: ["url": "\(SourceError.shown(url))", "reason": "\(reason)"])
    }

    /// The cache is an optimization: a failure to store is logged, the picture is still used.
    private func remember(_ image: CachedImage, expiresAt: Date) async {
        guard let cache, image.url.utf8.count <= ImageRef.maxURLLength else { return }
        var image = image
        image.expiresAt = expiresAt
        do {
            try await cache.storeImage(image)
            changed.store(true, ordering: .relaxed)
        } catch {
            logger.warning("could not keep a picture in the image cache", metadata: ["error": "\(error)"])
        }
    }

    /// Drops expired entries and the oldest beyond the size cap, and updates `image_cache_bytes` / `image_cache_entries`.
    /// Called after each digest's pictures are loaded; does nothing when this loader stored nothing since the last
    /// upkeep (a digest served from the cache alone), so a warm render takes no write lock for it.
    public func maintain() async {
        guard let cache, changed.exchange(false, ordering: .relaxed) else { return }
        do {
            _ = try await cache.trimImageCache(now: clock.now(), maxBytes: fetcher.settings.cacheMaxBytes)
            let size = try await cache.imageCacheSize()
            metrics?.cacheBytes.set(Double(size.bytes))
            metrics?.cacheEntries.set(Double(size.entries))
        } catch {
            logger.warning("image cache upkeep failed", metadata: ["error": "\(error)"])
        }
    }

    public func shutdown() async {
        await fetcher.shutdown()
    }
}
