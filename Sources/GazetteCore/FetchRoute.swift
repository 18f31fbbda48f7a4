import Foundation

/// How a telegram channel is to be read (`channels add --via`): `auto` (the default) takes the public preview when
/// the channel has one, else the user account.
public enum FetchVia: String, Sendable, Codable, CaseIterable {
    case auto, preview, account
}

/// How a channel is read in practice.
public enum FetchMethod: String, Sendable, Codable, CaseIterable {
    case preview, account, feed, botapi
}

/// Where joining a private channel through its invite link stands while the account is not a member (TDLib's
/// `ChatJoinResult`); nil once joined. Joining is not asked again while one is recorded: each pass only checks the
/// link, and the channel is read once the account is a member.
public enum AccountJoin: String, Sendable, Hashable, Codable, CaseIterable {
    /// A join request was sent; the channel's administrators approve it.
    case requested
    /// The channel's guard bot must approve joining in a Web App, which only a Telegram app opens.
    case guardBot = "guard_bot"
    /// The channel's guard bot declined the join.
    case declined

    /// The line `channels list`, MCP `list_channels`, the bot and the digest show.
    public var summary: String {
        switch self {
        case .requested: "join requested, waiting for approval"
        case .guardBot: "join needs a guard bot's approval: open the invite link once in a Telegram app"
        case .declined: "join declined by the channel's guard bot"
        }
    }
}

/// A channel's choice (`via`) and what the worker found (`method`, `reason`, the account's chat id once known, where
/// joining stands).
public struct FetchRoute: Sendable, Hashable, Codable {
    public var via: FetchVia
    public var method: FetchMethod?
    public var reason: String?
    public var accountChatID: Int64?
    public var accountJoin: AccountJoin?

    public init(via: FetchVia = .auto, method: FetchMethod? = nil, reason: String? = nil, accountChatID: Int64? = nil,
                accountJoin: AccountJoin? = nil) {
        self.via = via
        self.method = method
        self.reason = reason
        self.accountChatID = accountChatID
        self.accountJoin = accountJoin
    }
}

/// A channel the account reads, with its chat once known: what the account's owner opens at every start.
public struct AccountChannel: Sendable, Hashable {
    public var channel: Channel
    public var chatID: Int64

    public init(channel: Channel, chatID: Int64) {
        self.channel = channel
        self.chatID = chatID
    }
}

/// The method in use for a channel and why, in words a user reads in `channels list`.
public struct ResolvedRoute: Sendable, Hashable {
    public var method: FetchMethod
    public var reason: String
    /// The channel needs the account and no account is logged in: it is kept and read once one is.
    public var waitingForLogin: Bool
    /// The account is not a member of the channel yet (a join request, a guard bot).
    public var accountJoin: AccountJoin?

    /// The fallback chain: feeds and Bot API channels have their own source; an invite link needs the account;
    /// `--via` wins; `auto` reads the preview unless the worker found the channel has none.
    public static func resolve(_ ref: ChannelRef, route: FetchRoute?, accountReady: Bool) -> ResolvedRoute {
        let route = route ?? FetchRoute()
        let (method, reason): (FetchMethod, String)
        switch ref {
        case .feed: (method, reason) = (.feed, "a feed")
        case .botapi: (method, reason) = (.botapi, "Bot API updates to the bot")
        case .invite: (method, reason) = (.account, "private channel: only the account can join it")
        case .telegram:
            switch route.via {
            case .preview: (method, reason) = (.preview, "--via preview")
            case .account: (method, reason) = (.account, "--via account")
            case .auto:
                if route.method == .account {
                    (method, reason) = (.account, route.reason ?? "no public preview")
                } else {
                    (method, reason) = (.preview, "auto, public channel")
                }
            }
        }
        return ResolvedRoute(method: method, reason: reason, waitingForLogin: method == .account && !accountReady,
                             accountJoin: method == .account ? route.accountJoin : nil)
    }

    /// `account (--via account)`, `account: waiting for login (private channel…)`,
    /// `account: join requested, waiting for approval (private channel…)`.
    public var summary: String {
        if waitingForLogin { return "\(method.rawValue): waiting for login (\(reason))" }
        if let accountJoin { return "\(method.rawValue): \(accountJoin.summary) (\(reason))" }
        return "\(method.rawValue) (\(reason))"
    }
}

/// The user account as the processes see it, kept with the account lease.
public enum AccountState: String, Sendable, Codable, CaseIterable {
    /// Logged in and reading channels.
    case loggedIn = "logged_in"
    /// A session exists but is not ready (starting, or a login step is pending).
    case waiting
    /// No session, or Telegram ended it.
    case loggedOut = "logged_out"
}

/// The one row saying which process owns the account (a TDLib database belongs to one process) and its state.
public struct AccountLease: Sendable, Hashable {
    public var owner: String?
    public var leaseUntil: Date?
    public var state: AccountState
    public var updatedAt: Date

    public init(owner: String?, leaseUntil: Date?, state: AccountState, updatedAt: Date) {
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.state = state
        self.updatedAt = updatedAt
    }

    /// True when a live owner reports the account logged in.
    public func ready(now: Date) -> Bool {
        state == .loggedIn && owner != nil && (leaseUntil ?? .distantPast) > now
    }
}
