import Foundation
import GazetteCore
import Logging

/// Fetches one picture within the limits of `ImageSettings`: the address policy of feeds (every redirect hop too),
/// a per-host limit, timeouts, a byte cap at which reading stops, the format decided by the bytes and the pixel size
/// read from the header. Any failure is an `ImageLoadFailure`, never an error of the digest.
public final class ImageFetcher: Sendable {
    public let settings: ImageSettings
    private let http: SourceHTTPClient

    public init(settings: ImageSettings, logger: Logger, clock: any GazetteClock = SystemClock()) {
        self.settings = settings
        http = SourceHTTPClient(settings: settings.http, metrics: nil, logger: logger, clock: clock)
    }

    public func shutdown() async {
        await http.shutdown()
    }

    /// The picture's bytes, format and size.
    public func fetch(_ raw: String) async -> Result<(bytes: Data, header: ImageHeader), ImageLoadFailure> {
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host(percentEncoded: false)?.isEmpty == false else {
            return .failure(ImageLoadFailure(.invalidURL, "not an http(s) URL"))
        }
        let response: FetchedResponse
        do {
            response = try await http.get(url, source: .image, headers: [("Accept", "image/jpeg, image/png, image/webp;q=0.9")],
                                          trusted: false)
        } catch {
            return .failure(Self.failure(error))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(ImageLoadFailure(.httpError, "HTTP \(response.status)"))
        }
        return settings.check(response.body)
    }

    static func failure(_ error: SourceError) -> ImageLoadFailure {
        switch error {
        case .timeout: ImageLoadFailure(.timeout, error.description)
        case .tooLarge(let url, _): ImageLoadFailure(.tooLarge, "\(SourceError.shown(url)) is larger than the byte cap")
        case .forbiddenAddress: ImageLoadFailure(.forbiddenAddress, error.description)
        case .httpStatus, .rateLimited: ImageLoadFailure(.httpError, error.description)
        default: ImageLoadFailure(.network, error.description)
        }
    }
}
