import Foundation

/// TDLib's `error` object: `code` (400, 401, 420/429 for floods, 500) and a message such as PHONE_CODE_INVALID.
public struct TDError: Error, Sendable, Equatable, Decodable {
    public let code: Int
    public let message: String

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }

    /// Seconds to wait when this is a flood error. TDLib waits out short floods itself and answers longer ones with
    /// `429 Too Many Requests: retry after N` (it never passes Telegram's `FLOOD_WAIT_N` through).
    public var retryAfter: Int? {
        guard code == 429, let range = message.range(of: "retry after ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }
}

/// The login steps of `updateAuthorizationState` Gazette reacts to.
public enum AuthorizationState: Sendable, Equatable, Decodable {
    case waitTdlibParameters
    case waitPhoneNumber
    /// A QR-code login: `link` (tg://login?token=…) is shown as a QR code for the Telegram app to scan.
    case waitOtherDeviceConfirmation(link: String)
    case waitCode(codeType: String?)
    case waitPassword(hint: String)
    case waitEmailAddress
    case waitEmailCode
    case waitRegistration
    /// Telegram asks for Telegram Premium, bought in a store app, before this account may log in from a new client.
    case waitPremiumPurchase
    case ready
    case loggingOut
    case closing
    case closed
    case other(String)

    private enum Keys: String, CodingKey {
        case type = "@type", link, codeInfo = "code_info", passwordHint = "password_hint"
    }
    private struct CodeInfo: Decodable {
        struct Kind: Decodable { let type: String; enum CodingKeys: String, CodingKey { case type = "@type" } }
        let type: Kind?
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch TDType(rawValue: type) {
        case .authorizationStateWaitTdlibParameters?: self = .waitTdlibParameters
        case .authorizationStateWaitPhoneNumber?: self = .waitPhoneNumber
        case .authorizationStateWaitOtherDeviceConfirmation?: self = .waitOtherDeviceConfirmation(link: try c.decode(String.self, forKey: .link))
        case .authorizationStateWaitCode?:
            let info = try c.decodeIfPresent(CodeInfo.self, forKey: .codeInfo)
            self = .waitCode(codeType: info?.type?.type)
        case .authorizationStateWaitPassword?: self = .waitPassword(hint: try c.decodeIfPresent(String.self, forKey: .passwordHint) ?? "")
        case .authorizationStateWaitEmailAddress?: self = .waitEmailAddress
        case .authorizationStateWaitEmailCode?: self = .waitEmailCode
        case .authorizationStateWaitRegistration?: self = .waitRegistration
        case .authorizationStateWaitPremiumPurchase?: self = .waitPremiumPurchase
        case .authorizationStateReady?: self = .ready
        case .authorizationStateLoggingOut?: self = .loggingOut
        case .authorizationStateClosing?: self = .closing
        case .authorizationStateClosed?: self = .closed
        default: self = .other(type)
        }
    }

    /// A short name for logs, metrics and `login --status`.
    public var name: String {
        switch self {
        case .waitTdlibParameters: "wait_parameters"
        case .waitPhoneNumber: "wait_phone_number"
        case .waitOtherDeviceConfirmation: "wait_qr_confirmation"
        case .waitCode: "wait_code"
        case .waitPassword: "wait_password"
        case .waitEmailAddress: "wait_email_address"
        case .waitEmailCode: "wait_email_code"
        case .waitRegistration: "wait_registration"
        case .waitPremiumPurchase: "wait_premium_purchase"
        case .ready: "ready"
        case .loggingOut: "logging_out"
        case .closing: "closing"
        case .closed: "closed"
        case .other(let type): type
        }
    }
}

/// The account's own user (`getMe`).
public struct TDUser: Sendable, Equatable, Decodable {
    public struct Usernames: Sendable, Equatable, Decodable {
        public let activeUsernames: [String]
        enum CodingKeys: String, CodingKey { case activeUsernames = "active_usernames" }
    }

    public let id: Int64
    public let firstName: String
    public let lastName: String
    public let usernames: Usernames?
    public let phoneNumber: String

    enum CodingKeys: String, CodingKey {
        case id, firstName = "first_name", lastName = "last_name", usernames, phoneNumber = "phone_number"
    }

    /// `Ann Lee (@annlee), phone +44******67`: the phone number masked but for its first and last two digits.
    public var summary: String {
        let name = [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
        let username = usernames?.activeUsernames.first.map { " (@\($0))" } ?? ""
        return "\(name.isEmpty ? "user \(id)" : name)\(username), phone \(Self.mask(phone: phoneNumber))"
    }

    public static func mask(phone: String) -> String {
        let digits = phone.filter(\.isNumber)
        guard digits.count > 4 else { return "+" + String(repeating: "*", count: digits.count) }
        return "+" + digits.prefix(2) + String(repeating: "*", count: digits.count - 4) + digits.suffix(2)
    }
}

/// The `@type` and `@extra` of anything TDLib sends, read before the rest is decoded.
struct TDEnvelope: Decodable {
    let type: String
    let extra: String?
    enum CodingKeys: String, CodingKey { case type = "@type", extra = "@extra" }
}

/// `updateAuthorizationState`.
struct TDAuthorizationUpdate: Decodable {
    let state: AuthorizationState
    enum CodingKeys: String, CodingKey { case state = "authorization_state" }
}
