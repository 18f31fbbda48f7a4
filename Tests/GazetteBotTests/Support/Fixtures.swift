import Foundation
import GazetteTestSupport

/// The Bot API fixtures (`Tests/Fixtures/botapi`, found through `TestFixtures`).
enum Fixtures {
    static func data(_ name: String) -> Data {
        do {
            return try TestFixtures.data("botapi/\(name)")
        } catch {
            fatalError("\(error)")
        }
    }

    static func text(_ name: String) -> String { String(decoding: data(name), as: UTF8.self) }
}

/// `GazetteTestSupport.eventually` that throws, naming what it waited for, when `seconds` pass first.
func eventually(_ seconds: Double = 60, _ what: String = "condition", _ condition: () async throws -> Bool) async throws {
    guard try await eventually(timeout: .milliseconds(Int64(seconds * 1000)), condition) else {
        struct Timeout: Error, CustomStringConvertible { var description: String }
        throw Timeout(description: "timed out waiting for \(what)")
    }
}

/// Builders of update JSON for a private chat with the fixture user (id 123456789).
enum Updates {
    static let userID: Int64 = 123_456_789

    static func text(_ id: Int64, _ text: String, userID: Int64 = userID) -> [String: Any] {
        var message = baseMessage(id: id, userID: userID)
        message["text"] = text
        if text.hasPrefix("/") {
            let length = text.prefix { !$0.isWhitespace }.utf16.count
            message["entities"] = [["type": "bot_command", "offset": 0, "length": length]]
        }
        return ["update_id": id, "message": message]
    }

    static func forwarded(_ id: Int64, fromChannel username: String?, title: String, userID: Int64 = userID) -> [String: Any] {
        var message = baseMessage(id: id, userID: userID)
        message["text"] = "Some forwarded post"
        var chat: [String: Any] = ["id": -1_009_999_999, "type": "channel", "title": title]
        if let username { chat["username"] = username }
        message["forward_origin"] = ["type": "channel", "chat": chat, "message_id": 77, "date": 1_715_930_000]
        return ["update_id": id, "message": message]
    }

    static func callback(_ id: Int64, data: String, userID: Int64 = userID, messageID: Int64 = 5) -> [String: Any] {
        ["update_id": id, "callback_query": [
            "id": "cb\(id)", "chat_instance": "-5829182736450123456", "data": data,
            "from": ["id": userID, "is_bot": false, "first_name": "Иван"],
            "message": ["message_id": messageID, "date": 1_715_934_620, "text": "menu",
                        "chat": ["id": userID, "type": "private", "first_name": "Иван"]],
        ] as [String: Any]]
    }

    private static func baseMessage(id: Int64, userID: Int64) -> [String: Any] {
        ["message_id": id, "date": 1_715_934_600,
         "from": ["id": userID, "is_bot": false, "first_name": "Иван", "username": "ivan_petrov", "language_code": "ru"],
         "chat": ["id": userID, "type": "private", "first_name": "Иван"]]
    }
}
