import Foundation
import GazetteCore
import GazetteDigest
import GazetteWeb

/// The web reader's pictures from the digests' image cache: `prepare` loads what a page's markdown names (from the
/// cache, else fetched with the image limits, kept until their posts expire), `image` serves only what is cached.
struct WebImages: WebImageSource {
    let loader: any ImageLoading
    let cache: any ImageCacheStore
    /// How long a picture loaded for a page stays cached (the post retention).
    let retention: TimeInterval

    func prepare(markdown: String) async -> Set<String> {
        let until = Date().addingTimeInterval(retention)
        let pictures = await DigestPictures.load(markdown: markdown, loader: loader) { _ in until }
        await loader.maintain()
        return Set(pictures.loaded.compactMap { url, result in
            if case .success = result { url } else { nil }
        })
    }

    func image(url: String) async -> (data: Data, contentType: String)? {
        // A cache that cannot be read serves nothing: the page already shows the alt text for a missing picture.
        do {
            guard let hit = try await cache.cachedImage(url: url, now: Date()), let format = hit.format else { return nil }
            return (hit.bytes, format.contentType)
        } catch {
            return nil
        }
    }
}
