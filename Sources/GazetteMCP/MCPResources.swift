import Foundation
import GazetteCore
import GazetteDigest
import MCP

/// Gazette's MCP resources: a user's channels, a user's digest (markdown or PDF), a channel's stored posts, and the
/// PDFs a session's tools kept on its shelf. Every read goes through the caller's rights: a user's token reads only
/// that user's data (the same rule as the tools), an admin token anyone's.
struct MCPResources: Sendable {
    let registry: ToolRegistry
    let caller: Caller
    let shelf: DocumentShelf

    static let templates: [Resource.Template] = [
        Resource.Template(uriTemplate: "gazette://users/{user_id}/channels", name: "channels", title: "A user's channels",
                          description: "The user's subscribed channels (as list_channels returns them).", mimeType: "application/json"),
        Resource.Template(uriTemplate: "gazette://users/{user_id}/digest{?hours,format}", name: "digest", title: "A user's digest",
                          description: "The digest of the user's channels for the last `hours` (default 24, 1…168): "
                              + "format=markdown (default, text) or format=pdf (an application/pdf blob)."),
        Resource.Template(uriTemplate: "gazette://channels/{channel}/posts{?hours}", name: "channel_posts", title: "A channel's stored posts",
                          description: "Stored posts of one channel for the last `hours` (default 24, 1…168), newest first; "
                              + "a user's token reads only channels the user is subscribed to.", mimeType: "application/json"),
    ]

    /// The caller's own resources: their channels, their latest digest (markdown and PDF) and each channel's posts.
    /// An admin token acts for no one in particular and gets the templates only.
    func list() async throws -> [Resource] {
        guard case .user(let userID) = caller else { return [] }
        var resources = [
            Resource(name: "channels", uri: "gazette://users/\(userID)/channels", title: "My channels", mimeType: "application/json"),
            Resource(name: "digest", uri: "gazette://users/\(userID)/digest?hours=24&format=markdown", title: "My digest (last 24 hours)",
                     mimeType: "text/markdown"),
            Resource(name: "digest_pdf", uri: "gazette://users/\(userID)/digest?hours=24&format=pdf", title: "My digest as PDF (last 24 hours)",
                     mimeType: "application/pdf"),
        ]
        let channels: [SubscribedChannel]
        do {
            channels = try await registry.context.store.subscriptions(userID: userID, limit: 100)
        } catch {
            throw MCPError.internalError(ToolError.from(store: error).description)
        }
        for s in channels {
            resources.append(Resource(name: "posts_\(s.channel.key)", uri: Self.postsURI(s.channel.key, hours: 24),
                                      title: "\(s.channel.displayName): posts of the last 24 hours", mimeType: "application/json"))
        }
        return resources
    }

    static func postsURI(_ key: String, hours: Int) -> String {
        let encoded = key.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? key
        return "gazette://channels/\(encoded)/posts?hours=\(hours)"
    }

    func read(_ uri: String) async throws -> [Resource.Content] {
        if uri.hasPrefix(DocumentShelf.scheme) {
            guard let data = await shelf.get(uri) else {
                throw MCPError.invalidParams("no document \(ToolError.shorten(uri)) in this session (documents are kept for 30 minutes)")
            }
            return [.binary(data, uri: uri, mimeType: "application/pdf")]
        }
        guard let components = URLComponents(string: uri), components.scheme == "gazette", let host = components.host else {
            throw MCPError.invalidParams("unknown resource '\(ToolError.shorten(uri))'; see resources/templates/list")
        }
        let path = components.path.split(separator: "/").map(String.init)
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        switch (host, path.count, path.last) {
        case ("users", 2, "channels"):
            try Self.allow(query, [])
            let userID = try Self.userID(path[0])
            return [.text(try await call("list_channels", ["user_id": .int(Int(userID))]), uri: uri, mimeType: "application/json")]
        case ("users", 2, "digest"):
            try Self.allow(query, ["hours", "format"])
            let userID = try Self.userID(path[0])
            let hours = try Self.hours(query["hours"])
            switch query["format"]?.lowercased() ?? "markdown" {
            case "markdown", "md":
                try authorize(userID)
                let markdown: String
                do throws(DigestError) {
                    markdown = try await registry.context.digest.markdownDigest(userID: userID, hours: hours, now: registry.context.now())
                } catch {
                    throw Self.mcpError(ToolError.from(digest: error, templateArgument: "hours"))
                }
                return [.text(markdown, uri: uri, mimeType: "text/markdown")]
            case "pdf":
                let result = await registry.call("generate_pdf_digest", arguments: ["user_id": .int(Int(userID)), "hours": .int(hours)],
                                                 caller: caller)
                switch result {
                case .success(let value):
                    guard let encoded = value.objectValue?["pdf_bytes"]?.stringValue, let data = Data(base64Encoded: encoded) else {
                        throw MCPError.internalError("the digest has no PDF")
                    }
                    return [.binary(data, uri: uri, mimeType: "application/pdf")]
                case .failure(let error):
                    throw Self.mcpError(error)
                }
            default:
                throw MCPError.invalidParams("format must be markdown or pdf")
            }
        case ("channels", 2, "posts"):
            try Self.allow(query, ["hours"])
            let hours = try Self.hours(query["hours"])
            return [.text(try await posts(path[0], hours: hours), uri: uri, mimeType: "application/json")]
        default:
            throw MCPError.invalidParams("unknown resource '\(ToolError.shorten(uri))'; see resources/templates/list")
        }
    }

    /// What changes when a resource's content may have changed: the post counts of the user's channels (their
    /// channels and digest), or a channel's newest post. Checks the caller's rights like `read`.
    func fingerprint(_ uri: String) async throws -> String {
        guard let components = URLComponents(string: uri), components.scheme == "gazette", let host = components.host else {
            throw MCPError.invalidParams("unknown resource '\(ToolError.shorten(uri))'; see resources/templates/list")
        }
        let path = components.path.split(separator: "/").map(String.init)
        let store = registry.context.store
        do {
            switch (host, path.count, path.last) {
            case ("users", 2, "channels"), ("users", 2, "digest"):
                let userID = try Self.userID(path[0])
                try authorize(userID)
                let channels = try await store.subscriptions(userID: userID, limit: 500)
                return channels.map { "\($0.channel.id):\($0.postCount)" }.joined(separator: ",")
            case ("channels", 2, "posts"):
                let channel = try await channel(path[0])
                let now = registry.context.now()
                let newest = try await store.posts(channelID: channel.id, since: now.addingTimeInterval(-168 * 3600), until: now, limit: 1)
                return newest.first.map { "\($0.messageID)@\($0.date.timeIntervalSince1970)" } ?? "-"
            default:
                throw MCPError.invalidParams("'\(ToolError.shorten(uri))' cannot be subscribed to; see resources/templates/list")
            }
        } catch let error as MCPError {
            throw error
        } catch {
            throw MCPError.internalError(ToolError.from(store: error).description)
        }
    }

    /// A channel the caller may read: any for an admin, a subscribed one for a user.
    private func channel(_ raw: String) async throws -> Channel {
        let ref: ChannelRef
        do throws(ChannelRefError) {
            ref = try ChannelRef.parse(raw)
        } catch {
            throw MCPError.invalidParams("channel: \(error.description)")
        }
        let store = registry.context.store
        let found: Channel?
        switch caller {
        case .admin: found = try await store.channel(ref: ref)
        case .user(let userID): found = try await store.subscription(userID: userID, ref: ref)?.channel
        }
        guard let found else {
            throw MCPError.invalidParams(caller == .admin ? "no channel '\(ref.key)'" : "\(caller) is not subscribed to '\(ref.key)'")
        }
        return found
    }

    private func authorize(_ userID: Int64) throws {
        do throws(ToolError) {
            try ToolRegistry.authorize(caller, for: userID)
        } catch {
            throw Self.mcpError(error)
        }
    }

    private func call(_ tool: String, _ arguments: [String: Value]) async throws -> String {
        switch await registry.call(tool, arguments: arguments, caller: caller) {
        case .success(let value): return String(decoding: JSONResponse.encode(value), as: UTF8.self)
        case .failure(let error): throw Self.mcpError(error)
        }
    }

    /// A channel's stored posts. A user's token reads only a channel the user is subscribed to.
    private func posts(_ raw: String, hours: Int) async throws -> String {
        let store = registry.context.store
        let now = registry.context.now()
        do {
            let channel = try await channel(raw)
            let posts = try await store.posts(channelID: channel.id, since: now.addingTimeInterval(-Double(hours) * 3600), until: now,
                                              limit: 500)
            let value: Value = ["channel": .string(channel.key), "title": .string(channel.displayName), "hours": .int(hours),
                                "count": .int(posts.count), "posts": .array(posts.map(ToolJSON.post))]
            return String(decoding: JSONResponse.encode(value), as: UTF8.self)
        } catch let error as MCPError {
            throw error
        } catch {
            throw MCPError.internalError(ToolError.from(store: error).description)
        }
    }

    static func mcpError(_ error: ToolError) -> MCPError {
        switch error {
        case .invalidArguments, .forbidden, .notFound, .unknownTool: .invalidParams(error.description)
        case .failed, .cancelled: .internalError(error.description)
        }
    }

    static func userID(_ raw: String) throws -> Int64 {
        guard let id = Int64(raw), id > 0 else { throw MCPError.invalidParams("user_id must be a positive integer, got '\(raw.prefix(24))'") }
        return id
    }

    static func hours(_ raw: String?) throws -> Int {
        guard let raw else { return 24 }
        guard let n = Int(raw), (1...168).contains(n) else { throw MCPError.invalidParams("hours must be an integer in 1…168, got '\(raw.prefix(24))'") }
        return n
    }

    static func allow(_ query: [String: String], _ known: Set<String>) throws {
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw MCPError.invalidParams("unknown parameter '\(unknown.prefix(40))'\(known.isEmpty ? "" : "; this resource takes \(known.sorted().joined(separator: ", "))")")
        }
    }
}
