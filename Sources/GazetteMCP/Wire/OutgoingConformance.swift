import Foundation

/// Makes what the server sends fit the protocol version of the session (issue 23, item 6). Tools and prompts are
/// written once, against the newest schema; older sessions get the same content in the types their schema has:
///
/// - `resource_link` content (prompts link the resources they are about; a PDF over the embed limit is linked) exists
///   from 2025-06-18 on. For 2024-11-05 and 2025-03-26 a link becomes a text block naming the resource and its URI,
///   which those clients read with `resources/read` as before.
enum OutgoingConformance {
    /// The versions whose content blocks include `resource_link`.
    static func hasResourceLinks(_ version: String?) -> Bool { (version ?? "9999") >= "2025-06-18" }

    /// `data` as the session's version allows; `method` is the request a response answers. Unchanged bytes when nothing
    /// needs changing.
    static func conform(_ data: Data, version: String?, answering method: String?) -> Data {
        conform(data, message: nil, version: version, answering: method)
    }

    /// The same, with `data` already parsed (`message`) when the caller has it.
    static func conform(_ data: Data, message parsed: [String: Any]?, version: String?, answering method: String?) -> Data {
        guard !hasResourceLinks(version), method == "prompts/get" || method == "tools/call",
              data.range(of: Data(#""resource_link""#.utf8)) != nil,
              var message = parsed ?? (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              var result = message["result"] as? [String: Any] else { return data }
        if var messages = result["messages"] as? [[String: Any]] {
            for i in messages.indices {
                if let content = messages[i]["content"] as? [String: Any] { messages[i]["content"] = textForLink(content) }
            }
            result["messages"] = messages
        }
        if let content = result["content"] as? [[String: Any]] {
            result["content"] = content.map(textForLink)
        }
        message["result"] = result
        return (try? JSONSerialization.data(withJSONObject: message, options: [.withoutEscapingSlashes])) ?? data
    }

    /// A `resource_link` block as a text block; any other block as it is.
    static func textForLink(_ block: [String: Any]) -> [String: Any] {
        guard block["type"] as? String == "resource_link", let uri = block["uri"] as? String else { return block }
        let name = (block["title"] as? String) ?? (block["name"] as? String) ?? "resource"
        let type = (block["mimeType"] as? String).map { ", \($0)" } ?? ""
        return ["type": "text", "text": "Resource \"\(name)\" (\(uri)\(type)): read it with resources/read."]
    }

    /// The negotiated version, when `data` is the server's answer to `initialize`.
    static func negotiatedVersion(in data: Data) -> String? {
        guard data.range(of: Data(#""protocolVersion""#.utf8)) != nil,
              let message = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return nil }
        return negotiatedVersion(of: message)
    }

    /// The same, of a message already parsed.
    static func negotiatedVersion(of message: [String: Any]) -> String? {
        guard let result = message["result"] as? [String: Any], result["serverInfo"] != nil else { return nil }
        return result["protocolVersion"] as? String
    }
}
