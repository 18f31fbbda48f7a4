import Foundation
import Synchronization
import GazetteCore
import GazetteSources

/// Reading one channel through a logged-in session: the chat looked up (public) or joined (invite link), history
/// paged back, forwarded-from names resolved, messages mapped into posts. Flood waits (TDLib's 429 "retry after N")
/// are respected per method: a method Telegram asked to wait is not called again before the wait is over.
struct AccountReading: Sendable {
    let client: TDClient
    let flood: FloodWaits
    let names: NameCache
    let now: @Sendable () -> Date
    /// `getChatHistory` pages (up to 100 messages each) per fetch.
    var maxPages = 50

    /// The channel's chat, or where joining it stands while the account is not a member.
    enum Lookup: Equatable {
        case chat(TDChat)
        case notJoined(AccountJoin)
    }

    /// The chat of the channel: the remembered one, a public channel by its username, an invite link joined when the
    /// account cannot read the chat yet. A join already answered (a request awaiting approval, a guard bot) is not
    /// asked again: the link is only checked, until the account is a member.
    func chat(for channel: Channel, route: FetchRoute?) async throws(SourceError) -> Lookup {
        if let knownID = route?.accountChatID {
            return .chat(try await decode(.getChat(knownID), as: TDChat.self, channel: channel))
        }
        switch channel.ref {
        case .telegram(let username):
            return .chat(try await decode(.searchPublicChat(username), as: TDChat.self, channel: channel))
        case .invite(let hash):
            let link = "https://t.me/+\(hash)"
            let info = try await decode(.checkChatInviteLink(link), as: TDInviteLinkInfo.self, channel: channel)
            // A chat id with preview time left (`accessible_for`) is not membership: reading would stop when it runs out.
            if info.readable { return .chat(TDChat(id: info.chatID, title: info.title)) }
            if let pending = route?.accountJoin { return .notJoined(pending) }
            switch try await decode(.joinChatByInviteLink(link), as: TDChatJoinResult.self, channel: channel) {
            case .success(let chatID): return .chat(TDChat(id: chatID, title: info.title))
            case .notJoined(let join): return .notJoined(join)
            }
        case .feed, .botapi:
            throw .unsupported(channel.kind)
        }
    }

    /// Messages newer than `lastMessageID` (a server id) and dated at or after `since`, paging back from the newest.
    func history(chatID: Int64, channel: Channel, since: Date, lastMessageID: Int64?) async throws(SourceError) -> (messages: [TDMessage], pages: Int) {
        var collected: [TDMessage] = []
        var from: Int64 = 0
        var pages = 0
        let floor = Int64(since.timeIntervalSince1970)
        while pages < maxPages {
            let page = try await decode(.getChatHistory(chatID, from: from), as: TDMessages.self, channel: channel).messages.compactMap { $0 }
            pages += 1
            // TDLib may answer fewer than asked (the first page often holds one message): only an empty page ends.
            guard let oldest = page.min(by: { $0.id < $1.id }), oldest.id != from else { break }
            collected += page.filter { $0.date >= floor && ($0.serverID ?? 0) > (lastMessageID ?? 0) }
            if oldest.date < floor { break }
            if let lastMessageID, let serverID = oldest.serverID, serverID <= lastMessageID { break }
            from = oldest.id
        }
        return (collected, pages)
    }

    /// Names of the chats and users the messages were forwarded from (cached for the process).
    func origins(of messages: [TDMessage]) async -> [TDForwardOrigin: String] {
        var out: [TDForwardOrigin: String] = [:]
        for origin in Set(messages.compactMap(\.forwardOrigin)) {
            if let known = names.get(origin) {
                out[origin] = known
                continue
            }
            let request: TDRequest
            switch origin {
            case .chat(let id), .channel(let id): request = .getChat(id)
            case .user(let id): request = .getUser(id)
            case .hiddenUser: continue
            }
            // A name that cannot be read (a chat the account cannot see) is left out; the post is kept.
            if flood.remaining(request.type, now: now()) != nil { continue }
            guard let data = try? await client.call(request) else { continue }
            let name: String?
            switch origin {
            case .user: name = (try? JSONDecoder().decode(TDUser.self, from: data)).map { [$0.firstName, $0.lastName].filter { !$0.isEmpty }.joined(separator: " ") }
            default: name = (try? JSONDecoder().decode(TDChat.self, from: data))?.title
            }
            if let name, !name.isEmpty {
                names.set(origin, name)
                out[origin] = name
            }
        }
        return out
    }

    func decode<Answer: Decodable>(_ request: TDRequest, as: Answer.Type, channel: Channel) async throws(SourceError) -> Answer {
        let data = try await call(request, channel: channel)
        do {
            return try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw .account(channel: channel.key, reason: "unexpected answer to \(request.type)")
        }
    }

    /// One request, with the method's flood wait respected and TDLib's errors in the sources' terms.
    func call(_ request: TDRequest, channel: Channel) async throws(SourceError) -> Data {
        if let wait = flood.remaining(request.type, now: now()) {
            throw .rateLimited(url: "tdlib:\(request.type)", retryAfter: wait)
        }
        do {
            return try await client.call(request)
        } catch {
            switch error {
            case .floodWait(let method, let seconds):
                flood.record(method, until: now().addingTimeInterval(TimeInterval(seconds)))
                throw .rateLimited(url: "tdlib:\(method)", retryAfter: TimeInterval(seconds))
            case .telegram(let td):
                throw Self.sourceError(td, channel: channel)
            default:
                throw .account(channel: channel.key, reason: error.description)
            }
        }
    }

    static func sourceError(_ error: TDError, channel: Channel) -> SourceError {
        switch error.message {
        case "USERNAME_NOT_OCCUPIED", "USERNAME_INVALID":
            if case .telegram(let username) = channel.ref { return .channelNotFound(channel: username) }
            return .account(channel: channel.key, reason: error.message)
        case "INVITE_HASH_EXPIRED", "INVITE_HASH_INVALID":
            return .account(channel: channel.key, reason: "the invite link expired or was revoked; add a new one")
        case "CHANNEL_PRIVATE", "CHAT_NOT_FOUND", "Chat not found":
            return .account(channel: channel.key, reason: "the account cannot see this channel (left, banned or private)")
        default:
            return .account(channel: channel.key, reason: "\(error.message) (\(error.code))")
        }
    }
}

/// Per-method flood-wait deadlines.
final class FloodWaits: Sendable {
    private let until = Mutex<[String: Date]>([:])

    func record(_ method: String, until date: Date) {
        until.withLock { $0[method] = max($0[method] ?? date, date) }
    }

    /// Seconds left to wait before calling `method`, nil when it may be called.
    func remaining(_ method: String, now: Date) -> TimeInterval? {
        until.withLock { map in
            guard let date = map[method], date > now else { return nil }
            return date.timeIntervalSince(now)
        }
    }
}

/// Names of forward origins, kept for the life of the process.
final class NameCache: Sendable {
    private let names = Mutex<[TDForwardOrigin: String]>([:])
    func get(_ origin: TDForwardOrigin) -> String? { names.withLock { $0[origin] } }
    func set(_ origin: TDForwardOrigin, _ name: String) { names.withLock { $0[origin] = name } }
}
