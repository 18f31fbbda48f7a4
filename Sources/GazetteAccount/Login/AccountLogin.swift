/// Asks the person at the terminal. Login never goes through the bot: Telegram invalidates a login code that is sent
/// in a Telegram message.
public protocol LoginPrompter: Sendable {
    /// One answer; `secret` answers (the 2FA password) are not echoed. Throws `.inputEnded` at the end of input.
    func ask(_ question: String, secret: Bool) async throws(AccountError) -> String
    /// A line of information (a wrong code, the next step).
    func tell(_ line: String)
    /// A QR-code login link (tg://login?token=…) to scan with the Telegram app; shown again for each new link.
    func showQRCode(link: String)
}

/// Drives TDLib's login states to `ready`: phone number (or a QR code), code, 2FA password.
public enum AccountLogin {
    /// Logs in and returns the account's user. Wrong and invalid answers are asked again with a message saying why;
    /// an expired code, FLOOD_WAIT and steps that need a Telegram app end the login with a one-line error.
    public static func run(_ session: AccountSession, prompter: some LoginPrompter, qr: Bool) async throws(AccountError) -> TDUser {
        let client = session.client
        var (version, state) = try await client.authorizationState()
        while true {
            switch state {
            case .ready:
                return try await session.me()
            case .waitPhoneNumber:
                if qr {
                    _ = try await client.call(.requestQrCodeAuthentication)
                } else {
                    let phone = try await prompter.ask("Phone number (international format, e.g. +441234567890): ", secret: false)
                    guard try await answer(.setAuthenticationPhoneNumber(phone), client, prompter) else { continue }
                }
            case .waitOtherDeviceConfirmation(let link):
                prompter.showQRCode(link: link)
            case .waitCode:
                let code = try await prompter.ask("Login code (sent to your Telegram app or by SMS): ", secret: false)
                guard try await answer(.checkAuthenticationCode(code), client, prompter) else { continue }
            case .waitPassword(let hint):
                let question = hint.isEmpty ? "Two-step verification password: " : "Two-step verification password (hint: \(hint)): "
                let password = try await prompter.ask(question, secret: true)
                guard try await answer(.checkAuthenticationPassword(password), client, prompter) else { continue }
            case .waitEmailAddress, .waitEmailCode, .waitRegistration:
                throw .telegram(TDError(code: 400, message: "this account must first be set up in a Telegram app (\(state.name)); log in there once, then again here"))
            case .waitPremiumPurchase:
                throw .telegram(TDError(code: 400, message: "Telegram asks this account to buy Telegram Premium in a Telegram app before it may log in here (\(state.name)); buy it there, then log in again"))
            case .waitTdlibParameters, .loggingOut, .closing, .closed, .other:
                throw .closed
            }
            (version, state) = try await client.authorizationState(after: version)
        }
    }

    /// Sends one answer. False (after telling why) when Telegram refused it and the same question is to be asked
    /// again; throws when the login cannot go on.
    private static func answer(_ request: TDRequest, _ client: TDClient, _ prompter: some LoginPrompter) async throws(AccountError) -> Bool {
        do {
            _ = try await client.call(request)
            return true
        } catch .telegram(let error) {
            switch error.message {
            case "PHONE_NUMBER_INVALID": prompter.tell("That phone number is not valid; type it with the country code, e.g. +441234567890.")
            case "PHONE_CODE_INVALID": prompter.tell("That code is wrong; try again.")
            case "PHONE_CODE_EMPTY": prompter.tell("The code is empty; type the code Telegram sent.")
            case "PASSWORD_HASH_INVALID": prompter.tell("That password is wrong; try again.")
            case "PHONE_CODE_EXPIRED":
                throw .telegram(TDError(code: error.code, message: "the login code expired; run `gazette login` again for a new one"))
            default:
                throw .telegram(error)
            }
            return false
        }
    }
}
