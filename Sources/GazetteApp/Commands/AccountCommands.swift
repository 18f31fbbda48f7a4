import Foundation
import GazetteAccount
import GazetteCore
import Logging

extension GazetteCommands {
    /// Another process holds the account's lease: its TDLib database is open there (one database belongs to one process).
    public struct AccountInUse: Error, Sendable, CustomStringConvertible {
        public var holder: String
        public var until: Date?

        public var description: String {
            let expiry = until.map { ", or wait until its lease runs out at \($0.formatted(.iso8601)) if it died" } ?? ""
            return "the Telegram account is in use by \(holder) (one TDLib database belongs to one process); stop it first\(expiry)"
        }
    }

    /// What `gazette login` did.
    public enum LoginOutcome: Sendable, Equatable {
        case alreadyLoggedIn(String)
        case loggedIn(String)
    }

    /// `gazette login`: logs the account in at this terminal (phone, code, 2FA password, or a QR code), while holding
    /// the account's lease so that no worker opens the same TDLib database meanwhile; refused while another process
    /// holds it.
    public static func login(_ config: Configuration, migrate: Bool, prompter: some LoginPrompter, qr: Bool, logger: Logger,
                             accountLibrary: AccountLibrary = .tdlib) async throws -> LoginOutcome {
        try await withAccountSession(config, migrate: migrate, command: "login", logger: logger, library: accountLibrary) { session, state in
            if state == .ready { return .alreadyLoggedIn(try await session.me().summary) }
            return .loggedIn(try await AccountLogin.run(session, prompter: prompter, qr: qr).summary)
        }
    }

    /// `gazette login --status`: "logged in as …" or "not logged in". A directory without a session is answered without
    /// TDLib or the database; while another process holds the account, the state it recorded is shown instead of
    /// opening the session there.
    public static func accountStatus(_ config: Configuration, migrate: Bool, logger: Logger,
                                     accountLibrary: AccountLibrary = .tdlib) async throws -> String {
        guard AccountSettings.hasSession(in: config.account.directory) else { return "not logged in" }
        do {
            return try await withAccountSession(config, migrate: migrate, command: "login --status", logger: logger,
                                                library: accountLibrary) { session, state in
                state == .ready ? "logged in as \(try await session.me().summary)" : "not logged in"
            }
        } catch let inUse as AccountInUse {
            let lease = try await withStore(config, migrate: migrate, logger: logger) { try await $0.accountLease() }
            let state = lease?.state == .loggedIn ? "logged in" : "not logged in"
            return "\(state) (as recorded by \(inUse.holder), which has the session open)"
        }
    }

    /// `gazette logout`: ends the session on Telegram's side and empties the session database.
    public static func logout(_ config: Configuration, migrate: Bool, logger: Logger, accountLibrary: AccountLibrary = .tdlib) async throws -> String {
        guard AccountSettings.hasSession(in: config.account.directory) else { return "not logged in" }
        return try await withAccountSession(config, migrate: migrate, command: "logout", logger: logger, library: accountLibrary) { session, state in
            guard state == .ready else { return "not logged in" }
            try await session.logOut()
            return "logged out"
        }
    }

    /// Checks the account options, loads TDLib, takes the account's lease (renewed while `body` runs, given back after),
    /// opens the session and runs `body`; the session is closed (flushed) in every case.
    private static func withAccountSession<T: Sendable>(
        _ config: Configuration, migrate: Bool, command: String, logger: Logger, library: AccountLibrary,
        _ body: (AccountSession, AuthorizationState) async throws -> T
    ) async throws -> T {
        let settings = try ProcessParts.accountSettings(config)
        try library.load(settings.libraryPath)
        return try await withStore(config, migrate: migrate, logger: logger) { store in
            try await holdingAccountLease(store, owner: ProcessParts.owner(command), lease: config.worker.leaseDuration, logger: logger) {
                let (session, state) = try await AccountSession.open(settings, transport: try library.makeTransport())
                do {
                    let result = try await body(session, state)
                    await session.close()
                    return result
                } catch {
                    await session.close()
                    throw error
                }
            }
        }
    }

    /// Runs `body` holding the account's lease for `owner`: taken first (or `AccountInUse` naming the holder), renewed
    /// every third of `lease` while `body` runs (a login waits on a person), given back afterwards.
    static func holdingAccountLease<T: Sendable>(_ store: any AccountStore, owner: String, lease: TimeInterval, logger: Logger,
                                                 _ body: () async throws -> T) async throws -> T {
        guard try await store.claimAccount(owner: owner, now: Date(), lease: lease) else {
            let current = try await store.accountLease()
            throw AccountInUse(holder: current?.owner ?? "another process", until: current?.leaseUntil)
        }
        let result: Result<T, any Error>
        do {
            let value = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while true {
                        try await Task.sleep(for: .seconds(lease / 3))
                        do {
                            _ = try await store.claimAccount(owner: owner, now: Date(), lease: lease)
                        } catch {
                            logger.warning("could not renew the account lease", metadata: ["error": "\(error)"])
                        }
                    }
                }
                defer { group.cancelAll() }
                return try await body()
            }
            result = .success(value)
        } catch {
            result = .failure(error)
        }
        do {
            try await store.releaseAccount(owner: owner)
        } catch {
            logger.warning("could not give the account lease back; it runs out by itself", metadata: ["error": "\(error)"])
        }
        return try result.get()
    }
}
