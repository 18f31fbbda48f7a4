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

/// A channel's choice (`via`) and what the worker found (`method`, `reason`, the account's chat id once known).
public struct FetchRoute: Sendable, Hashable, Codable {
    public var via: FetchVia
    public var method: FetchMethod?
    public var reason: String?
    public var accountChatID: Int64?

    public init(via: FetchVia = .auto, method: FetchMethod? = nil, reason: String? = nil, accountChatID: Int64? = nil) {
        self.via = via
        self.method = method
        self.reason = reason
        self.accountChatID = accountChatID
    }
}

/// The method in use for a channel and why, in words a user reads in `channels list`.
public struct ResolvedRoute: Sendable, Hashable {
    public var method: FetchMethod
    public var reason: String
    /// The channel needs the account and no account is logged in: it is kept and read once one is.
    public var waitingForLogin: Bool

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
        return ResolvedRoute(method: method, reason: reason, waitingForLogin: method == .account && !accountReady)
    }

    /// `account (--via account)`, `account: waiting for login (private channel…)`.
    public var summary: String {
        waitingForLogin ? "\(method.rawValue): waiting for login (\(reason))" : "\(method.rawValue) (\(reason))"
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
