import Foundation
import GazetteCore

/// A chat as `searchPublicChat` and `getChat` return it.
public struct TDChat: Sendable, Equatable, Decodable {
    public let id: Int64
    public let title: String
}

/// `checkChatInviteLink`. `chat_id` is 0 when the account has no access before joining, and also set while the account
/// may only preview the chat for `accessible_for` seconds: only a chat id with no preview time means it can read the
/// chat now (a member, or a public chat).
struct TDInviteLinkInfo: Decodable {
    let chatID: Int64
    let accessibleFor: Int
    let title: String
    enum CodingKeys: String, CodingKey { case chatID = "chat_id", accessibleFor = "accessible_for", title }

    var readable: Bool { chatID != 0 && accessibleFor == 0 }
}

/// `joinChatByInviteLink`'s answer since TDLib 1.8.65 (`ChatJoinResult`): joined, or where joining stands — a join
/// request sent to the administrators (`chatJoinResultRequestSent`), a guard bot's approval needed in a Web App
/// (`chatJoinResultGuardBotApprovalRequired`), or declined by the guard bot (`chatJoinResultDeclined`).
enum TDChatJoinResult: Equatable, Decodable {
    case success(chatID: Int64)
    case notJoined(AccountJoin)

    enum CodingKeys: String, CodingKey { case type = "@type", chatID = "chat_id" }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch TDType(rawValue: type) {
        case .chatJoinResultSuccess?: self = .success(chatID: try c.decode(Int64.self, forKey: .chatID))
        case .chatJoinResultRequestSent?: self = .notJoined(.requested)
        case .chatJoinResultGuardBotApprovalRequired?: self = .notJoined(.guardBot)
        case .chatJoinResultDeclined?: self = .notJoined(.declined)
        default: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "not a ChatJoinResult: \(type)")
        }
    }
}
