import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import Logging

extension GazetteCommands {
    /// `gazette render --remote-images`: the pictures a markdown file names by an http(s) address, fetched with the
    /// digests' fetcher and limits (no cache: a file rendered once keeps nothing). What cannot be had stays alt text.
    public static func remotePictures(markdown: String, config: Configuration, logger: Logger) async -> DigestPictures {
        let loader = ProcessParts.images(config, cache: nil, registry: MetricRegistry(), logger: logger)
        let now = Date()
        let pictures = await DigestPictures.load(markdown: markdown, loader: loader) { _ in now }
        await loader.shutdown()
        return pictures
    }
}
