import Foundation
import GazetteCore
import GazetteSources
import MCP

/// `import_opml`, `export_opml`: a user's subscriptions in and out of feed readers (issue 18).
enum OPMLTools {
    static let all = [importOPML, exportOPML]

    static let importOPML = ToolDefinition(
        name: "import_opml",
        title: "Import subscriptions from OPML",
        hints: .additiveIdempotent,
        description: "Subscribe a user to the channels and feeds of an OPML document (a feed reader's export). Nested "
            + "outlines are walked (folders become tags); each outline's xmlUrl is used, else its htmlUrl; t.me links are "
            + "Telegram channels. Returns what was added and what was skipped and why. Existing subscriptions are never "
            + "changed; a malformed document changes nothing.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "opml": Schema.string("The OPML document (XML text, at most 1 MB).", maxLength: OPMLDocument.maxBytes),
        ], required: ["user_id", "opml"]),
        outputSchema: Schema.result([
            "user_id": Schema.outInt,
            "added": Schema.list(of: Schema.result([
                "channel_id": Schema.outInt, "channel": Schema.outString, "kind": Schema.outString, "source": Schema.outString,
                "tags": Schema.list(of: Schema.outString),
            ])),
            "skipped": Schema.list(of: Schema.result([
                "source": Schema.out("string", "The outline's URL, else its title."), "line": Schema.outInt,
                "reason": .object(["type": "string", "enum": .array(OPMLSubscriptions.SkipReason.allCases.map { .string($0.rawValue) })]),
                "detail": Schema.outString,
            ])),
            "outlines": Schema.out("integer", "Subscription outlines in the document."),
        ])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let text = try args.string("opml", maxLength: OPMLDocument.maxBytes)
        let report: OPMLSubscriptions.Report
        do {
            report = try await OPMLSubscriptions.importOPML(Data(text.utf8), userID: userID, store: ctx.store,
                                                            allowPrivate: ctx.allowPrivateSources)
        } catch let error as OPMLError {
            throw .invalidArguments(argument: "opml", reason: error.message)
        } catch {
            throw ToolError.from(store: error)
        }
        return [
            "user_id": ToolJSON.id(userID),
            "added": .array(report.added.map { added in
                ["channel_id": ToolJSON.id(added.channel.id), "channel": .string(added.channel.key),
                 "kind": .string(added.channel.kind.rawValue), "source": .string(added.source),
                 "tags": .array(added.tags.map { .string($0) })]
            }),
            "skipped": .array(report.skipped.map { skipped in
                ["source": .string(skipped.source), "line": .int(skipped.line), "reason": .string(skipped.reason.rawValue),
                 "detail": .string(skipped.detail)]
            }),
            "outlines": .int(report.outlines),
        ]
    }

    static let exportOPML = ToolDefinition(
        name: "export_opml",
        title: "Export subscriptions as OPML",
        hints: .readOnly,
        description: "A user's subscriptions as an OPML 2.0 document for a feed reader: Telegram channels as "
            + "https://t.me/s/<name> (htmlUrl https://t.me/<name>), feeds as their URL, the first tag as folder. Channels "
            + "the bot administers have no URL and are listed in left_out.",
        inputSchema: Schema.object(["user_id": Schema.userID], required: ["user_id"]),
        outputSchema: Schema.result([
            "user_id": Schema.outInt, "opml": Schema.out("string", "The OPML document."),
            "channels": Schema.out("integer", "Channels in the document."),
            "left_out": Schema.list(of: Schema.outString, "Channels without a URL."),
        ])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        do {
            let (opml, channels, leftOut) = try await OPMLSubscriptions.exportOPML(userID: userID, store: ctx.store, now: ctx.now())
            return ["user_id": ToolJSON.id(userID), "opml": .string(opml), "channels": .int(channels),
                    "left_out": .array(leftOut.map { .string($0.key) })]
        } catch {
            throw ToolError.from(store: error)
        }
    }
}
