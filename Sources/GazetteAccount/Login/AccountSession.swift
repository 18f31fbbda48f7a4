import Foundation

/// An open TDLib session: the client with its parameters set, past `authorizationStateWaitTdlibParameters`.
public final class AccountSession: Sendable {
    public let client: TDClient

    private init(client: TDClient) {
        self.client = client
    }

    /// Opens the session in `settings.directory` over `transport` and returns it with its first authorization state
    /// after the parameters (wait_phone_number for a new session, ready for a logged-in one).
    public static func open(_ settings: AccountSettings, transport: any TDJSONTransport) async throws(AccountError) -> (AccountSession, AuthorizationState) {
        // The caller names the missing option (GazetteApp checks first); this is the account's own guard.
        guard let apiID = settings.apiID, let apiHash = settings.apiHash else { throw .notConfigured }
        let key = try settings.prepareDirectory()
        let client = TDClient(transport: transport)
        let session = AccountSession(client: client)
        // TDLib sends its first authorization state once it gets any request.
        _ = try await client.call(.getOption("version"))
        var version = 0
        while true {
            let (next, state) = try await client.authorizationState(after: version)
            version = next
            switch state {
            case .waitTdlibParameters:
                do {
                    _ = try await client.call(settings.parametersRequest(apiID: apiID, apiHash: apiHash, key: key))
                } catch {
                    client.stop()
                    throw error
                }
            case .closed:
                client.stop()
                throw .closed
            default:
                return (session, state)
            }
        }
    }

    /// The account's own user, when logged in.
    public func me() async throws(AccountError) -> TDUser {
        try await client.call(.getMe, as: TDUser.self)
    }

    /// Ends the session on Telegram's side (the database is emptied) and waits until TDLib closed.
    public func logOut() async throws(AccountError) {
        _ = try await client.call(.logOut)
        try await waitClosed()
    }

    /// Closes TDLib (the database is flushed) and stops the receive loop.
    public func close() async {
        do {
            _ = try await client.call(.close)
            try await waitClosed()
        } catch {
            // Already closed, or stopped: nothing more to flush.
        }
        client.stop()
    }

    /// Returns once TDLib reports `authorizationStateClosed` (starting from the current state).
    private func waitClosed() async throws(AccountError) {
        var seen = 0
        while true {
            let (next, state) = try await client.authorizationState(after: seen)
            if state == .closed { return }
            seen = next
        }
    }
}
