import Foundation
import GazetteCore
import MCP

/// Gazette's MCP prompts: each turns its arguments into a user message that points the assistant at the resources
/// (and tools) that answer it.
enum MCPPrompts {
    static let all: [Prompt] = [
        Prompt(name: "daily_digest", title: "Daily digest",
               description: "Read the user's digest of the last day (or `hours`) and tell what matters.",
               arguments: [
                   .init(name: "user_id", description: "Telegram user id (defaults to the token's user).", required: false),
                   .init(name: "hours", description: "Window in hours, 1…168 (default 24).", required: false),
               ]),
        Prompt(name: "summarize_channel", title: "Summarize a channel",
               description: "Summarize one subscribed channel's recent posts.",
               arguments: [
                   .init(name: "channel", description: "Channel username or key, e.g. durov.", required: true),
                   .init(name: "hours", description: "Window in hours, 1…168 (default 24).", required: false),
               ]),
        Prompt(name: "whats_new_since", title: "What's new since…",
               description: "What the user's channels reported since a moment (ISO 8601 date or time).",
               arguments: [
                   .init(name: "since", description: "ISO 8601 date or date-time, e.g. 2026-12-02T18:00:00Z.", required: true),
                   .init(name: "user_id", description: "Telegram user id (defaults to the token's user).", required: false),
               ]),
        Prompt(name: "ask_my_channels", title: "Ask my channels",
               description: "Answer a question from what the user's channels wrote: search them (search_posts) and cite the posts' links.",
               arguments: [
                   .init(name: "question", description: "The question, in any language, e.g. What did they write about the metro tariffs?",
                         required: true),
                   .init(name: "user_id", description: "Telegram user id (defaults to the token's user).", required: false),
               ]),
    ]

    static func get(_ name: String, arguments: [String: String], caller: Caller, now: Date) throws -> GetPrompt.Result {
        func userID() throws -> Int64 {
            if let raw = arguments["user_id"], !raw.isEmpty {
                guard let id = Int64(raw), id > 0 else { throw MCPError.invalidParams("user_id must be a positive integer") }
                do throws(ToolError) { try ToolRegistry.authorize(caller, for: id) } catch { throw MCPError.invalidParams(error.description) }
                return id
            }
            guard case .user(let own) = caller else { throw MCPError.invalidParams("user_id is required with an admin token") }
            return own
        }
        func hours() throws -> Int { try MCPResources.hours(arguments["hours"]) }
        func known(_ names: Set<String>) throws {
            if let unknown = arguments.keys.sorted().first(where: { !names.contains($0) }) {
                throw MCPError.invalidParams("unknown argument '\(unknown.prefix(40))' of prompt \(name)")
            }
        }
        switch name {
        case "daily_digest":
            try known(["user_id", "hours"])
            let (user, h) = (try userID(), try hours())
            let uri = "gazette://users/\(user)/digest?hours=\(h)&format=markdown"
            return GetPrompt.Result(description: "Digest of user \(user)'s channels, last \(h) hours", messages: [
                .user(.text(text: "Here is my Telegram digest for the last \(h) hours (resource \(uri)). Tell me the few stories "
                            + "that matter most, one short paragraph each, and which channels reported them. Use the get_stories "
                            + "tool if you need the ranked stories with their links.")),
                .user(.resourceLink(uri: uri, name: "digest", title: "Digest, last \(h) hours", mimeType: "text/markdown")),
            ])
        case "summarize_channel":
            try known(["channel", "hours"])
            guard let raw = arguments["channel"], !raw.isEmpty else { throw MCPError.invalidParams("channel is required") }
            let ref: ChannelRef
            do throws(ChannelRefError) { ref = try ChannelRef.parse(raw) } catch { throw MCPError.invalidParams("channel: \(error.description)") }
            let h = try hours()
            let uri = MCPResources.postsURI(ref.key, hours: h)
            return GetPrompt.Result(description: "Summary of \(ref.key), last \(h) hours", messages: [
                .user(.text(text: "Summarize the posts of the Telegram channel \(ref.key) from the last \(h) hours (resource \(uri)): "
                            + "the main topics in at most five sentences, in the posts' language, with links to the key posts.")),
                .user(.resourceLink(uri: uri, name: "posts", title: "\(ref.key): posts", mimeType: "application/json")),
            ])
        case "whats_new_since":
            try known(["since", "user_id"])
            guard let raw = arguments["since"], let since = ToolJSON.parseDate(raw) else {
                throw MCPError.invalidParams("since must be an ISO 8601 date or date-time, e.g. 2026-12-02T18:00:00Z")
            }
            let user = try userID()
            let seconds = now.timeIntervalSince(since)
            guard seconds > 0 else { throw MCPError.invalidParams("since must be in the past") }
            let h = min(168, max(1, Int((seconds / 3600).rounded(.up))))
            let uri = "gazette://users/\(user)/digest?hours=\(h)&format=markdown"
            return GetPrompt.Result(description: "What's new for user \(user) since \(since.formatted(.iso8601))", messages: [
                .user(.text(text: "What is new in my Telegram channels since \(since.formatted(.iso8601))? The digest of the last "
                            + "\(h) hours is in \(uri)\(seconds > 168 * 3600 ? " (Gazette keeps at most 168 hours)" : ""). "
                            + "List what happened, newest first, and leave out anything older than that moment.")),
                .user(.resourceLink(uri: uri, name: "digest", title: "Digest, last \(h) hours", mimeType: "text/markdown")),
            ])
        case "ask_my_channels":
            try known(["question", "user_id"])
            let question = (arguments["question"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !question.isEmpty else { throw MCPError.invalidParams("question is required") }
            guard question.count <= 2_000 else { throw MCPError.invalidParams("question is at most 2000 characters") }
            let user = try userID()
            return GetPrompt.Result(description: "Answer from user \(user)'s channels", messages: [
                .user(.text(text: """
                    Answer my question from what my Telegram channels wrote, and only from that.

                    Question: \(question)

                    Search the posts with the search_posts tool (user_id \(user)). Search for the question's key words \
                    (any inflection matches), a "phrase in quotes" for names, -word to leave noise out, and since (e.g. 7d) \
                    when the question is about recent events; try other words or synonyms when a search finds nothing. \
                    Read the posts you use. Answer briefly, in the question's language, and cite every claim with the link \
                    (url) of the post it comes from, e.g. [1](https://t.me/channel/123), listing the cited posts at the end. \
                    If the posts do not answer the question, say so instead of answering from elsewhere.
                    """)),
            ])
        default:
            throw MCPError.invalidParams("unknown prompt '\(name.prefix(64))'; prompts: daily_digest, summarize_channel, whats_new_since, ask_my_channels")
        }
    }
}
