import Foundation

/// What a channel reference is: a Telegram public channel, a feed, or a channel the bot administers.
public enum ChannelKind: String, Sendable, Codable, CaseIterable {
    case telegram
    case feed
    case botapi
}

/// A normalized, validated reference to a source of posts.
///
/// Telegram references are accepted in every form people paste (`durov`, `@durov`, `t.me/durov`,
/// `https://t.me/s/durov`, `https://t.me/durov/123`) and normalized to the lowercase username,
/// because Telegram usernames are case-insensitive. Any other `http(s)://` URL is a feed.
public enum ChannelRef: Hashable, Sendable {
    case telegram(username: String)
    case feed(url: String)
    /// A channel the bot administers; private channels have no username, so the chat id is the key.
    case botapi(chatID: Int64)
    /// A private channel's invite link (`t.me/+HASH`, `t.me/joinchat/HASH`), read through the user account. Stored as
    /// a telegram channel with the key `+HASH` (the hash is case-sensitive).
    case invite(hash: String)

    public static let maxInputLength = 2048
    public static let usernameRules =
        "a Telegram channel is 5–32 characters of letters, digits and underscores, starting with a letter "
        + "(e.g. durov, @durov, t.me/durov, https://t.me/s/durov), a private invite link (https://t.me/+AbCdEf12, "
        + "t.me/joinchat/AbCdEf12), or a feed URL starting with https://"

    public var kind: ChannelKind {
        switch self {
        case .telegram, .invite: .telegram
        case .feed: .feed
        case .botapi: .botapi
        }
    }

    /// The unique key stored in `channels.key`: the username, the feed URL, or `botapi:<chat id>`.
    public var key: String {
        switch self {
        case .telegram(let username): username
        case .feed(let url): url
        case .botapi(let chatID): "botapi:\(chatID)"
        case .invite(let hash): "+" + hash
        }
    }

    /// True for a channel only the user account can read (an invite link).
    public var needsAccount: Bool {
        if case .invite = self { return true }
        return false
    }

    /// Rebuilds a reference from a stored kind and key.
    public init(kind: ChannelKind, key: String) throws(ChannelRefError) {
        switch kind {
        case .telegram: self = try ChannelRef.parse(key)
        case .feed: self = .feed(url: key)
        case .botapi:
            guard key.hasPrefix("botapi:"), let id = Int64(key.dropFirst("botapi:".count)) else {
                throw ChannelRefError(input: key, reason: "not a Bot API channel key")
            }
            self = .botapi(chatID: id)
        }
    }

    /// Parses anything a user may type or paste. Throws with a message that says what a valid channel looks like.
    public static func parse(_ raw: String) throws(ChannelRefError) -> ChannelRef {
        let input = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !input.isEmpty else { throw ChannelRefError(input: raw, reason: "the channel is empty") }
        guard input.utf8.count <= maxInputLength else {
            throw ChannelRefError(input: raw, reason: "the channel reference is too long (\(input.utf8.count) bytes)")
        }
        let lower = input.lowercased()
        for prefix in ["https://", "http://", ""] {
            for host in ["t.me/", "telegram.me/", "www.t.me/", "telegram.dog/"] where lower.hasPrefix(prefix + host) {
                return try telegramPath(String(input.dropFirst(prefix.count + host.count)), original: raw)
            }
        }
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            return try feed(input, original: raw)
        }
        if input.hasPrefix("+") { return .invite(hash: try validateInviteHash(String(input.dropFirst()), original: raw)) }
        let name = input.hasPrefix("@") ? String(input.dropFirst()) : input
        return .telegram(username: try validateUsername(name, original: raw))
    }

    /// `t.me/<name>`, `t.me/s/<name>`, `t.me/<name>/<post id>`, invite links `t.me/+HASH` and `t.me/joinchat/HASH`;
    /// links to a message of a private channel (`c/`) are refused.
    private static func telegramPath(_ path: String, original: String) throws(ChannelRefError) -> ChannelRef {
        let trimmed = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        var parts = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.first == "s" { parts.removeFirst() }
        guard let name = parts.first else {
            throw ChannelRefError(input: original, reason: "the link names no channel")
        }
        if name.hasPrefix("+") {
            guard parts.count == 1 else { throw ChannelRefError(input: original, reason: "an invite link is t.me/+HASH") }
            return .invite(hash: try validateInviteHash(String(name.dropFirst()), original: original))
        }
        if name == "joinchat" {
            guard parts.count == 2 else { throw ChannelRefError(input: original, reason: "an invite link is t.me/joinchat/HASH") }
            return .invite(hash: try validateInviteHash(parts[1], original: original))
        }
        if name == "c" {
            throw ChannelRefError(input: original, reason: "t.me/c/ links point into a private channel; add the channel by its invite link (t.me/+…)")
        }
        if parts.count > 2 || (parts.count == 2 && Int(parts[1]) == nil) {
            throw ChannelRefError(input: original, reason: "the link is not a channel or post link")
        }
        return .telegram(username: try validateUsername(name, original: original))
    }

    private static func feed(_ input: String, original: String) throws(ChannelRefError) -> ChannelRef {
        guard let components = URLComponents(string: input),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host, !host.isEmpty,
              !input.contains(where: { $0.isWhitespace })
        else {
            throw ChannelRefError(input: original, reason: "not a valid feed URL")
        }
        return .feed(url: input)
    }

    /// An invite link's hash: 8–64 letters, digits, `_` and `-` (URL-safe base64), kept as typed.
    public static func validateInviteHash(_ hash: String, original: String) throws(ChannelRefError) -> String {
        guard (8...64).contains(hash.count),
              hash.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") })
        else {
            throw ChannelRefError(input: original, reason: "an invite link's code is 8–64 letters, digits, _ and -")
        }
        return hash
    }

    /// Telegram's rules: 5–32 characters, `[A-Za-z][A-Za-z0-9_]*`, no trailing or doubled underscore.
    public static func validateUsername(_ name: String, original: String? = nil) throws(ChannelRefError) -> String {
        let shown = original ?? name
        guard !name.isEmpty else { throw ChannelRefError(input: shown, reason: "the channel name is empty") }
        let scalars = Array(name.unicodeScalars)
        guard scalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }) else {
            throw ChannelRefError(input: shown, reason: "a channel name has only letters, digits and underscores")
        }
        guard (5...32).contains(scalars.count) else {
            throw ChannelRefError(input: shown, reason: "a channel name is 5–32 characters long, this one has \(scalars.count)")
        }
        guard scalars[0].properties.isAlphabetic else {
            throw ChannelRefError(input: shown, reason: "a channel name starts with a letter")
        }
        guard !name.hasSuffix("_"), !name.contains("__") else {
            throw ChannelRefError(input: shown, reason: "a channel name has no trailing or doubled underscore")
        }
        return name.lowercased()
    }
}

/// A channel reference that could not be understood. The message says why and what a valid one looks like.
public struct ChannelRefError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String

    public init(input: String, reason: String) {
        self.input = input
        self.reason = reason
    }

    public var description: String {
        "invalid channel \(ChannelRefError.quote(input)): \(reason); \(ChannelRef.usernameRules)"
    }

    /// Quotes user input for a message, shortened so a 10 KB value does not flood a log line.
    static func quote(_ s: String) -> String {
        let short = s.count > 64 ? String(s.prefix(61)) + "…" : s
        return "'\(short)'"
    }
}
