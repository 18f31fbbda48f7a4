import Foundation
import GazetteCore

/// A user's subscriptions into and out of OPML, for `gazette channels import|export --opml` and the MCP tools
/// `import_opml` / `export_opml`. Import only adds: an existing subscription is never changed or removed.
public enum OPMLSubscriptions {
    /// Most channels one import adds or considers; the rest of a larger file is skipped and reported.
    public static let maxEntries = 1000

    /// Why an outline was not imported.
    public enum SkipReason: String, Sendable, CaseIterable {
        case alreadySubscribed = "already_subscribed"
        case duplicateInFile = "duplicate_in_file"
        case noURL = "no_url"
        case notAURL = "not_a_url"
        case unsupportedScheme = "unsupported_scheme"
        case privateAddress = "private_address"
        case invalidChannel = "invalid_channel"
        case tooMany = "too_many"
        case refused
    }

    public struct Added: Sendable, Equatable {
        public var channel: Channel
        /// The URL the outline gave.
        public var source: String
        public var tags: [String]
    }

    public struct Skipped: Sendable, Equatable {
        /// The URL the outline gave, else its title.
        public var source: String
        public var line: Int
        public var reason: SkipReason
        /// What a person reads: why, in words.
        public var detail: String
    }

    public struct Report: Sendable, Equatable {
        public var added: [Added] = []
        public var skipped: [Skipped] = []
        /// Subscription outlines found in the file.
        public var outlines: Int = 0
    }

    /// One outline understood: the channel it means and the tags its folders and categories give.
    struct Candidate: Equatable {
        var ref: ChannelRef
        var source: String
        var line: Int
        var tags: [String]
    }

    /// What the file asks for, before the store is asked: each outline becomes a candidate or a skip.
    static func plan(_ outlines: [OPMLOutline], allowPrivate: Bool) -> (candidates: [Candidate], skipped: [Skipped]) {
        var candidates: [Candidate] = []
        var skipped: [Skipped] = []
        var seen: Set<ChannelRef> = []
        for outline in outlines {
            func skip(_ source: String, _ reason: SkipReason, _ detail: String) {
                skipped.append(Skipped(source: source, line: outline.line, reason: reason, detail: detail))
            }
            // xmlUrl first; a page URL only when the outline has no feed URL (a t.me page is the channel itself).
            guard let url = outline.xmlURL ?? outline.htmlURL else {
                skip(outline.title ?? "(untitled outline)", .noURL, "the outline has no xmlUrl or htmlUrl")
                continue
            }
            let ref: ChannelRef
            switch classify(url, allowPrivate: allowPrivate) {
            case .success(let r): ref = r
            case .failure(let failure):
                skip(url, failure.reason, failure.detail)
                continue
            }
            guard !seen.contains(ref) else {
                skip(url, .duplicateInFile, "the file lists \(ref.key) more than once; the first is imported")
                continue
            }
            guard candidates.count < maxEntries else {
                skip(url, .tooMany, "one import adds at most \(maxEntries) channels")
                continue
            }
            seen.insert(ref)
            candidates.append(Candidate(ref: ref, source: url, line: outline.line, tags: tags(of: outline)))
        }
        return (candidates, skipped)
    }

    struct Refusal: Error {
        var reason: SkipReason
        var detail: String
    }

    /// A URL as a channel: t.me links are Telegram channels, other http(s) URLs feeds.
    static func classify(_ url: String, allowPrivate: Bool) -> Result<ChannelRef, Refusal> {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return .failure(Refusal(reason: .notAURL, detail: "not a URL"))
        }
        guard scheme == "http" || scheme == "https" else {
            return .failure(Refusal(reason: .unsupportedScheme, detail: "only http and https URLs can be followed, not \(scheme):"))
        }
        guard let host = components.host, !host.isEmpty else {
            return .failure(Refusal(reason: .notAURL, detail: "the URL has no host"))
        }
        let ref: ChannelRef
        do {
            ref = try ChannelRef.parse(url)
        } catch {
            return .failure(Refusal(reason: .invalidChannel, detail: error.reason))
        }
        // Only what the URL itself says; the worker checks the resolved addresses again before every fetch.
        if case .feed = ref, !allowPrivate {
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            let lower = bare.lowercased()
            if lower == "localhost" || lower.hasSuffix(".localhost") || AddressPolicy.isInternal(lower) {
                return .failure(Refusal(reason: .privateAddress,
                                        detail: "\(bare) is a loopback or private address (set GAZETTE_ALLOW_PRIVATE_SOURCES=1 to allow)"))
            }
        }
        return .success(ref)
    }

    /// Folder titles then categories, without repeats, as subscription tags (at most 20 of at most 64 characters).
    static func tags(of outline: OPMLOutline) -> [String] {
        var out: [String] = []
        for raw in outline.folders + outline.categories {
            let tag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty, tag.count <= 64, !out.contains(tag),
                  !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { continue }
            out.append(tag)
        }
        return Array(out.prefix(20))
    }

    /// Imports the file for `userID`: subscribes to every new channel it lists and reports what was skipped and why.
    /// A malformed file throws before anything is stored. Existing subscriptions are left as they are.
    public static func importOPML(_ data: Data, userID: Int64, store: any ChannelStore,
                                  allowPrivate: Bool) async throws -> Report {
        let outlines = try OPMLDocument.outlines(data)
        let (candidates, skipped) = plan(outlines, allowPrivate: allowPrivate)
        var report = Report(outlines: outlines.count)
        report.skipped = skipped
        for candidate in candidates {
            if try await store.subscription(userID: userID, ref: candidate.ref) != nil {
                report.skipped.append(Skipped(source: candidate.source, line: candidate.line, reason: .alreadySubscribed,
                                              detail: "already subscribed to \(candidate.ref.key)"))
                continue
            }
            do {
                let (channel, _) = try await store.subscribe(userID: userID, ref: candidate.ref, tags: candidate.tags)
                report.added.append(Added(channel: channel, source: candidate.source, tags: candidate.tags))
            } catch let error as StoreError {
                guard case .invalidInput = error else { throw error }
                report.skipped.append(Skipped(source: candidate.source, line: candidate.line, reason: .refused, detail: "\(error)"))
            }
        }
        report.skipped.sort { ($0.line, $0.source) < ($1.line, $1.source) }
        return report
    }

    /// A channel as an OPML entry: Telegram channels as their `https://t.me/s/<name>` page (`htmlUrl`
    /// `https://t.me/<name>`), invite links as themselves, feeds as their URL. Nil for a channel the bot
    /// administers, which has no URL.
    public static func entry(for subscription: SubscribedChannel) -> OPMLDocument.Entry? {
        let channel = subscription.channel
        let title = channel.displayName
        let tags = subscription.subscription.tags
        switch channel.ref {
        case .telegram(let name):
            return .init(title: title, xmlURL: "https://t.me/s/\(name)", htmlURL: "https://t.me/\(name)", tags: tags)
        case .invite(let hash):
            return .init(title: title, xmlURL: "https://t.me/+\(hash)", htmlURL: "https://t.me/+\(hash)", tags: tags)
        case .feed(let url):
            return .init(title: title, xmlURL: url, htmlURL: nil, tags: tags)
        case .botapi:
            return nil
        }
    }

    /// The user's whole subscription list as an OPML document, and the channels that could not be written.
    public static func exportOPML(userID: Int64, store: any ChannelStore, now: Date) async throws -> (opml: String, channels: Int, skipped: [Channel]) {
        var all: [SubscribedChannel] = []
        while true {
            let page = try await store.subscriptions(userID: userID, limit: 500, offset: all.count)
            all += page
            if page.count < 500 { break }
        }
        var entries: [OPMLDocument.Entry] = []
        var skipped: [Channel] = []
        for subscription in all {
            if let entry = entry(for: subscription) { entries.append(entry) } else { skipped.append(subscription.channel) }
        }
        return (OPMLDocument.write(title: "Gazette subscriptions of user \(userID)", entries: entries, created: now), entries.count, skipped)
    }
}
