import Foundation
import GazetteCore
import GazetteSources
import Logging

/// How the process that owns the account downloads the account's pictures digests ask for: the limits pictures from
/// the web have (`ImageSettings`: byte cap, format by the bytes, pixel caps) and the renderer's own check.
public struct AccountPictureSettings: Sendable {
    public var limits: ImageSettings
    /// The renderer's check of the bytes (`DigestPictures.rendererCheck`), so a picture it would refuse is remembered as
    /// a failure instead of being cached.
    public var verify: (@Sendable (Data) -> ImageLoadFailure?)?
    /// Requests served at once.
    public var batch = 4
    /// How long one download may take before it is cancelled.
    public var downloadTimeout: TimeInterval = 30
    /// How often the requests are looked at while the account is logged in.
    public var poll: TimeInterval = 1

    public init(limits: ImageSettings, verify: (@Sendable (Data) -> ImageLoadFailure?)?) {
        self.limits = limits
        self.verify = verify
    }
}

/// The owner's side of pictures read through the user account (docs/SOURCES.md, "Pictures through the account"): each
/// request a digest left in `image_requests` is served once. The photo's file is found by its remote id
/// (`getRemoteFile`) and refused unread when TDLib says it is over the byte cap; it is downloaded (`downloadFile`, the
/// size recorded with the post: the largest of at most 1,280 px), read from TDLib's files directory up to the cap,
/// checked as fetched pictures are, kept in the image cache — or remembered there as a failure — and TDLib's copy is
/// deleted. The request goes either way.
struct AccountPictures: Sendable {
    typealias Store = ImageRequestStore & ImageCacheStore

    let client: TDClient
    let store: any Store
    let settings: AccountPictureSettings
    let clock: any GazetteClock
    let logger: Logger

    /// Serves up to `settings.batch` of the oldest requests at once; returns how many were downloaded and how many failed.
    func serve() async -> (downloaded: Int, failed: Int) {
        let requests: [ImageRequest]
        do {
            requests = try await store.imageRequests(limit: settings.batch)
        } catch {
            logger.warning("could not read the picture requests", metadata: ["error": "\(error)"])
            return (0, 0)
        }
        return await withTaskGroup(of: Bool?.self) { group in
            for request in requests { group.addTask { await self.serve(request) } }
            var counts = (downloaded: 0, failed: 0)
            for await outcome in group {
                switch outcome {
                case true?: counts.downloaded += 1
                case false?: counts.failed += 1
                case nil: break
                }
            }
            return counts
        }
    }

    /// True when the picture is in the cache now, false when its failure is, nil when nothing was tried (expired).
    private func serve(_ request: ImageRequest) async -> Bool? {
        let now = clock.now()
        var outcome: Bool?
        if request.keepUntil > now, let remoteID = AccountPicture.remoteFileID(in: request.url) {
            let picture = await download(remoteID)
            outcome = await keep(picture, for: request, now: now)
        }
        do {
            try await store.removeImageRequest(url: request.url)
        } catch {
            logger.warning("could not remove a served picture request", metadata: ["error": "\(error)"])
        }
        return outcome
    }

    private func keep(_ picture: Result<(bytes: Data, header: ImageHeader), ImageLoadFailure>, for request: ImageRequest,
                      now: Date) async -> Bool {
        let entry: CachedImage
        switch picture {
        case .success(let (bytes, header)):
            entry = CachedImage(url: request.url, format: header.format, bytes: bytes, width: header.width, height: header.height,
                                fetchedAt: now, expiresAt: request.keepUntil)
        case .failure(let failure):
            logger.info("an account picture was left out", metadata: ["reason": "\(failure.reason.rawValue)", "detail": "\(failure.detail)"])
            let until = min(request.keepUntil, now.addingTimeInterval(settings.limits.failureTTL))
            entry = .failure(url: request.url, reason: failure.reason.rawValue, fetchedAt: now, expiresAt: until)
        }
        do {
            try await store.storeImage(entry)
        } catch {
            logger.warning("could not keep an account picture in the image cache", metadata: ["error": "\(error)"])
        }
        if case .success = picture { return true }
        return false
    }

    private func download(_ remoteID: String) async -> Result<(bytes: Data, header: ImageHeader), ImageLoadFailure> {
        let limits = settings.limits
        let file: TDFile
        do {
            file = try await client.call(.getRemoteFile(photo: remoteID), as: TDFile.self)
        } catch {
            return .failure(Self.failure(error))
        }
        let announced = max(file.size, file.expectedSize)
        guard announced <= Int64(limits.maxBytes) else {
            return .failure(ImageLoadFailure(.tooLarge, "\(announced) bytes is over the \(limits.maxBytes)-byte cap"))
        }
        let local: Result<TDFile, ImageLoadFailure> = file.local.isDownloadingCompleted ? .success(file) : await downloaded(file.id)
        let bytes = local.flatMap(read)
        // The bytes go to the image cache; TDLib's copy (or what a failed download left) is not kept.
        do {
            _ = try await client.call(.deleteFile(file.id))
        } catch {
            logger.warning("could not delete TDLib's copy of a picture", metadata: ["error": "\(error)"])
        }
        switch bytes {
        case .failure(let failure):
            return .failure(failure)
        case .success(let bytes):
            let checked = limits.check(bytes)
            if case .success = checked, let failure = settings.verify?(bytes) { return .failure(failure) }
            return checked
        }
    }

    /// The downloaded file's bytes, one more than the cap at most (so a file over it is known to be).
    private func read(_ file: TDFile) -> Result<Data, ImageLoadFailure> {
        guard file.local.isDownloadingCompleted, !file.local.path.isEmpty else {
            return .failure(ImageLoadFailure(.network, "TDLib did not complete the download"))
        }
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file.local.path))
            defer { try? handle.close() }
            return .success(try handle.read(upToCount: settings.limits.maxBytes + 1) ?? Data())
        } catch {
            return .failure(ImageLoadFailure(.network, "the downloaded file cannot be read: \(error.localizedDescription)"))
        }
    }

    /// What ends first: the download, the time it may take, or the service (shutdown).
    private enum Race {
        case downloaded(Result<TDFile, ImageLoadFailure>)
        case timedOut
        case stopped
    }

    /// `downloadFile` within `downloadTimeout`; a download still running then is cancelled.
    private func downloaded(_ fileID: Int64) async -> Result<TDFile, ImageLoadFailure> {
        let timeout = settings.downloadTimeout
        return await withTaskGroup(of: Race.self) { group in
            group.addTask {
                do throws(AccountError) {
                    return .downloaded(.success(try await client.call(.downloadFile(fileID), as: TDFile.self)))
                } catch {
                    return .downloaded(.failure(Self.failure(error)))
                }
            }
            group.addTask {
                do {
                    try await clock.sleep(seconds: timeout)
                    return .timedOut
                } catch {
                    return .stopped
                }
            }
            switch await group.next() {
            case .downloaded(let result)?:
                group.cancelAll()
                return result
            case .timedOut?:
                // The synchronous download answers once cancelled; its answer is awaited so nothing is left running.
                do {
                    _ = try await client.call(.cancelDownloadFile(fileID))
                } catch {
                    logger.warning("could not cancel a picture download", metadata: ["error": "\(error)"])
                }
                _ = await group.next()
                return .failure(ImageLoadFailure(.timeout, "the download took longer than \(Int(timeout)) s"))
            case .stopped?, nil:
                return .failure(ImageLoadFailure(.timeout, "stopped while downloading"))
            }
        }
    }

    static func failure(_ error: AccountError) -> ImageLoadFailure {
        switch error {
        case .timeout: ImageLoadFailure(.timeout, error.description)
        default: ImageLoadFailure(.network, "TDLib: \(error.description)")
        }
    }
}

/// TDLib's `file`: its id in this session, its size (0 when unknown) and where it is on disk once downloaded.
struct TDFile: Decodable {
    struct Local: Decodable {
        let path: String
        let isDownloadingCompleted: Bool
        enum CodingKeys: String, CodingKey { case path, isDownloadingCompleted = "is_downloading_completed" }
    }

    let id: Int64
    let size: Int64
    let expectedSize: Int64
    let local: Local
    enum CodingKeys: String, CodingKey { case id, size, expectedSize = "expected_size", local }
}
