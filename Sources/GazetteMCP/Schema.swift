import MCP

/// Small builders for the JSON Schemas of tool inputs, so each tool's schema reads like its argument list.
enum Schema {
    static func object(_ properties: [String: Value], required: [String] = []) -> Value {
        .object([
            "type": "object",
            "properties": .object(properties),
            "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ])
    }

    static func integer(_ description: String, minimum: Int? = nil, maximum: Int? = nil, default value: Int? = nil) -> Value {
        var s: [String: Value] = ["type": "integer", "description": .string(description)]
        if let minimum { s["minimum"] = .int(minimum) }
        if let maximum { s["maximum"] = .int(maximum) }
        if let value { s["default"] = .int(value) }
        return .object(s)
    }

    static func string(_ description: String, maxLength: Int? = nil) -> Value {
        var s: [String: Value] = ["type": "string", "description": .string(description)]
        if let maxLength { s["maxLength"] = .int(maxLength) }
        return .object(s)
    }

    static func array(_ description: String, items: Value, maxItems: Int? = nil) -> Value {
        var s: [String: Value] = ["type": "array", "description": .string(description), "items": items]
        if let maxItems { s["maxItems"] = .int(maxItems) }
        return .object(s)
    }

    static func freeObject(_ description: String) -> Value {
        .object(["type": "object", "description": .string(description)])
    }

    // Shared argument schemas.
    static let userID = integer("Telegram user id of the subscriber.", minimum: 1)
    static let channelUsername = string(
        "Channel: durov, @durov, t.me/durov, https://t.me/s/durov, a private invite link (https://t.me/+HASH, read through the user account), or a feed URL.", maxLength: 2048)
    static func hours(default value: Int) -> Value {
        integer("Time window in hours.", minimum: 1, maximum: 168, default: value)
    }

    /// A post object: `{message_id, channel, text, date (ISO 8601 UTC), views?, url?}`.
    static let post: Value = .object([
        "type": "object",
        "properties": .object([
            "message_id": integer("Message id within the channel.", minimum: 1),
            "channel": string("Channel username or key."),
            "text": string("Post text."),
            "date": string("ISO 8601 UTC date, e.g. 2026-11-29T10:00:00Z."),
            "views": integer("View count.", minimum: 0),
            "url": string("Link to the post."),
        ]),
        "required": ["message_id", "text", "date"],
    ])

    // MARK: Output schemas

    /// The object a tool returns. Every listed property is required unless `optional` names it; other properties
    /// are allowed, so a field added later keeps older schemas valid.
    static func result(_ properties: [String: Value], optional: Set<String> = []) -> Value {
        .object([
            "type": "object",
            "properties": .object(properties),
            "required": .array(properties.keys.sorted().filter { !optional.contains($0) }.map { .string($0) }),
        ])
    }

    static func out(_ type: String, _ description: String? = nil) -> Value {
        var s: [String: Value] = ["type": .string(type)]
        if let description { s["description"] = .string(description) }
        return .object(s)
    }

    /// A value of `type` or JSON null (an unknown title, a channel never fetched, …).
    static func nullable(_ type: String, _ description: String? = nil) -> Value {
        var s: [String: Value] = ["type": [.string(type), "null"]]
        if let description { s["description"] = .string(description) }
        return .object(s)
    }

    static func list(of items: Value, _ description: String? = nil) -> Value {
        var s: [String: Value] = ["type": "array", "items": items]
        if let description { s["description"] = .string(description) }
        return .object(s)
    }

    static let outInt = out("integer")
    static let outString = out("string")
    static let outBool = out("boolean")
    static let outNumber = out("number")

    /// A post as tools return it (`ToolJSON.post`).
    static let outPost = result([
        "message_id": outInt, "channel": outString, "text": outString, "date": out("string", "ISO 8601 UTC."),
        "views": outInt, "url": outString,
    ], optional: ["views", "url"])

    /// `{saved, skipped, total}` of a save.
    static let saveCounts: [String: Value] = [
        "saved": out("integer", "Posts stored now."), "skipped": out("integer", "Posts already stored or same-text reposts."),
        "total": out("integer", "Posts given or fetched."),
    ]
}
