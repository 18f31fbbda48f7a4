import Foundation
import GazetteCore
import MCP

/// JSON shapes shared by the tools: post objects, dates, optionals.
enum ToolJSON {
    static let maxPostText = 64 * 1024
    static let maxPostsPerCall = 1000

    static func date(_ date: Date) -> Value { .string(date.formatted(.iso8601)) }
    static func date(_ date: Date?) -> Value { date.map { .string($0.formatted(.iso8601)) } ?? .null }
    static func string(_ s: String?) -> Value { s.map { .string($0) } ?? .null }
    static func int(_ n: Int?) -> Value { n.map { .int($0) } ?? .null }
    static func id(_ n: Int64) -> Value { .int(Int(n)) }

    /// `{message_id, channel, text, date, views?, url?}`.
    static func post(_ post: Post) -> Value {
        var object: [String: Value] = [
            "message_id": id(post.messageID),
            "channel": .string(post.channel),
            "text": .string(post.text),
            "date": date(post.date),
        ]
        if let views = post.views { object["views"] = .int(views) }
        if let url = post.url { object["url"] = .string(url) }
        return .object(object)
    }

    /// Reads a post object given by a client; `channel` defaults to (and for saving is forced to) the tool's channel.
    static func post(_ value: Value, at index: Int, argument: String, channel: String) throws(ToolError) -> Post {
        let name = "\(argument)[\(index)]"
        guard case .object(let object) = value else {
            throw .invalidArguments(argument: name, reason: "must be a post object {message_id, text, date, views?, url?}")
        }
        let known: Set<String> = ["message_id", "channel", "text", "date", "views", "url"]
        for key in object.keys.sorted() where !known.contains(key) {
            throw .invalidArguments(argument: "\(name).\(ToolError.shorten(key, limit: 40))", reason: "unknown field of a post")
        }
        guard let idValue = object["message_id"], !idValue.isNull else {
            throw .invalidArguments(argument: "\(name).message_id", reason: "required (a positive integer)")
        }
        let messageID = try ToolArguments.positiveID(idValue, name: "\(name).message_id")
        guard let textValue = object["text"], !textValue.isNull else {
            throw .invalidArguments(argument: "\(name).text", reason: "required (a string)")
        }
        let text = try ToolArguments.string(textValue, name: "\(name).text", maxLength: maxPostText)
        guard let dateValue = object["date"], !dateValue.isNull else {
            throw .invalidArguments(argument: "\(name).date", reason: "required (ISO 8601, e.g. 2026-11-29T10:00:00Z)")
        }
        let dateText = try ToolArguments.string(dateValue, name: "\(name).date", maxLength: 64)
        guard let date = parseDate(dateText) else {
            throw .invalidArguments(argument: "\(name).date",
                                    reason: "'\(ToolError.shorten(dateText))' is not an ISO 8601 date such as 2026-11-29T10:00:00Z")
        }
        var views: Int?
        if let v = object["views"], !v.isNull {
            let n = try ToolArguments.integer(v, name: "\(name).views")
            guard n >= 0, n <= Int64(Int32.max) * 1000 else {
                throw .invalidArguments(argument: "\(name).views", reason: "must be a non-negative integer, got \(n)")
            }
            views = Int(n)
        }
        var url: String?
        if let u = object["url"], !u.isNull {
            url = try ToolArguments.string(u, name: "\(name).url", maxLength: 2048)
        }
        if let c = object["channel"], !c.isNull {
            _ = try ToolArguments.string(c, name: "\(name).channel", maxLength: ChannelRef.maxInputLength)
        }
        return Post(channel: channel, messageID: messageID, text: text, date: date, views: views, url: url)
    }

    static func posts(_ values: [Value], argument: String, channel: String) throws(ToolError) -> [Post] {
        var out: [Post] = []
        out.reserveCapacity(values.count)
        for (i, value) in values.enumerated() {
            out.append(try post(value, at: i, argument: argument, channel: channel))
        }
        return out
    }

    /// ISO 8601 with or without fractional seconds, with `Z` or an offset. Every date a tool reads is documented
    /// as UTC, so a date-time without an offset (as Python's `datetime.utcnow().isoformat()` writes it) is taken as
    /// UTC, and a calendar date alone (`2026-11-29`) as its midnight UTC.
    static func parseDate(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let dateTime = [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)]
        // The date-only style stops after the day and would read "2026-11-29 10:00" as midnight: whole dates only.
        let dateOnly = trimmed.count == 10 ? [Date.ISO8601FormatStyle().year().month().day()] : []
        let candidates = [(trimmed, dateTime), (trimmed + "Z", dateTime), (trimmed, dateOnly)]
        for (candidate, styles) in candidates {
            for style in styles {
                do {
                    return try Date(candidate, strategy: style)
                } catch {
                    continue  // not this variant; the caller reports the argument when none matches
                }
            }
        }
        return nil
    }

    static func base64(_ data: Data) -> Value { .string(data.base64EncodedString()) }
}
