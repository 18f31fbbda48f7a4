import Foundation
import GazetteAccount
import GazetteApp
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import Testing

/// Issue 24's "must show": a PDF of an account channel's posts with their photos. A worker process owns the account
/// (TDLib replaced by its scripted JSON interface, `history_photos.json`) and reads the channel; `gazette digest --pdf`,
/// another process on the same database, asks for the photos; the worker downloads them into the image cache; the PDF
/// embeds them (`pdfimages -list`), and the photos that break the limits are their alt text.
@Suite("a digest PDF with the account's photos, end to end")
struct AccountPicturesPDFTests {
    /// An hour after the newest post of the fixture.
    static let now = Date(timeIntervalSince1970: 1_764_007_200)

    @Test("the worker that owns the account downloads the photos a digest process asks for; the PDF shows them")
    func pdfWithAccountPhotos() async throws {
        try await AccountCommandsTests.withAccountConfig(session: true) { base in
            var changed = base
            changed.worker.interval = 2
            changed.worker.postTTL = 3650 * 86_400  // the fixture's posts are of 2025
            let config = changed
            let store = try await AccountCommandsTests.store(config)
            let (channel, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "photo_demo"), tags: [])
            try await store.setFetchVia(channelID: channel.id, .account)
            let fake = try ScriptedTDJSON(fixture: "history_photos.json")
            // Later passes find nothing new.
            fake.append(Array(repeating: ScriptedTDJSON.Step(on: "getChatHistory", answer: #"{"@type":"messages","total_count":0,"messages":[]}"#),
                              count: 30))
            let options = GazetteProcess.Options(accountLibrary: AccountCommandsTests.library(fake))
            let export = try await AppHarness.withProcess(.worker, config: config, options: options) { _ in
                #expect(try await eventually(timeout: .seconds(60)) {
                    try await store.posts(channelID: channel.id, since: Self.now - 86_400, until: Self.now, limit: 10).count == 6
                })
                return try await GazetteCommands.digest(config, userID: 1, hours: 24, format: .pdf, migrate: false,
                                                        logger: AppHarness.logger, now: Self.now)
            }
            let images = try DigestPicturesTests.listImages(export.data)
            #expect(images.contains { $0.0 == 1280 && $0.1 == 853 && $0.2 == "jpeg" }, "\(images)")
            #expect(images.contains { $0.0 == 640 && $0.1 == 480 && $0.2 == "jpeg" }, "\(images)")
            #expect(images.contains { $0.0 == 400 && $0.1 == 267 }, "\(images)")
            #expect(Set(images.map { "\($0.0)x\($0.1)" }).count == 3, "only the three usable photos: \(images)")
            let text = try DigestPicturesTests.text(export.data)
            #expect(text.contains("Photo — Photo Demo"), "the photos that break the limits show their alt text")
            // Each photo was downloaded once, by the worker, then TDLib's copy deleted; nothing is left requested.
            #expect(fake.sent("downloadFile").count == 5 && fake.sent("deleteFile").count == 5)
            #expect(try await store.imageRequests(limit: 10).isEmpty)
            if let dir = ProcessInfo.processInfo.environment["GAZETTE_TEST_ARTEFACT_DIR"] {
                try export.data.write(to: URL(fileURLWithPath: dir).appendingPathComponent("digest-account-photos.pdf"))
            }

            // The worker is gone, its lease given back (as its shutdown does; a killed worker's runs out), and the image
            // cache emptied: no process can download the photos now, so the next PDF (another window: not the cached PDF)
            // shows their alt text, without waiting for an owner.
            if let holder = try await store.accountLease()?.owner { try await store.releaseAccount(owner: holder) }
            _ = try await store.trimImageCache(now: Self.now, maxBytes: 0)
            #expect(try await store.imageCacheSize().bytes == 0)
            let started = ContinuousClock.now
            let alone = try await GazetteCommands.digest(config, userID: 1, hours: 12, format: .pdf, migrate: false,
                                                         logger: AppHarness.logger, now: Self.now)
            #expect(ContinuousClock.now - started < .seconds(15))
            #expect(try DigestPicturesTests.listImages(alone.data).isEmpty)
            #expect(try DigestPicturesTests.text(alone.data).contains("Photo — Photo Demo"))
            #expect(try await store.imageRequests(limit: 10).isEmpty, "nothing requested without an owner")
            await store.shutdown()
        }
    }
}
