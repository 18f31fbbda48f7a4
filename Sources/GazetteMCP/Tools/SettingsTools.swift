import Foundation
import GazetteCore
import MCP

/// `get_settings`, `update_settings`: where and when a user's daily digest goes (issue 18).
enum SettingsTools {
    static let all = [getSettings, updateSettings]

    static let destinationNames: Value = .array(DigestDestination.allCases.map { .string($0.rawValue) })

    static let settingsSchema = Schema.result([
        "user_id": Schema.outInt,
        "daily_digest": Schema.outBool,
        "daily_hour": Schema.out("integer", "Local hour 0–23."),
        "time_zone": Schema.out("string", "IANA time zone."),
        "destinations": Schema.list(of: .object(["type": "string", "enum": destinationNames]), "Where the daily digest goes."),
        "email": Schema.nullable("string", "The address of the email destination."),
        "telegram_chat": Schema.outBool,
        "format": Schema.out("string", "pdf or text (the Telegram digest)."),
    ])

    static func json(_ s: UserSettings) -> Value {
        [
            "user_id": ToolJSON.id(s.userID), "daily_digest": .bool(s.dailyDigest), "daily_hour": .int(s.dailyHour),
            "time_zone": .string(s.timeZone), "destinations": .array(s.destinations.sorted().map { .string($0.rawValue) }),
            "email": ToolJSON.string(s.email), "telegram_chat": .bool(s.chatID != nil), "format": .string(s.format.rawValue),
        ]
    }

    static func current(_ userID: Int64, _ ctx: ToolContext) async throws(ToolError) -> UserSettings {
        do {
            return try await ctx.store.userSettings(userID: userID) ?? UserSettings(userID: userID)
        } catch {
            throw ToolError.from(store: error)
        }
    }

    static let getSettings = ToolDefinition(
        name: "get_settings",
        title: "Delivery settings",
        hints: .readOnly,
        description: "A user's daily digest settings: on or off, local hour and time zone, where it goes (telegram, email, "
            + "feed) and the email address. telegram_chat says whether the user has started the bot.",
        inputSchema: Schema.object(["user_id": Schema.userID], required: ["user_id"]),
        outputSchema: settingsSchema
    ) { args, ctx async throws(ToolError) in
        json(try await current(try args.id("user_id"), ctx))
    }

    static let updateSettings = ToolDefinition(
        name: "update_settings",
        title: "Change delivery settings",
        hints: .additiveIdempotent,
        description: "Change a user's daily digest settings; arguments left out stay as they are. destinations is any of "
            + "telegram, email, feed (an empty list: none); email \"\" removes the address; the email destination needs an "
            + "address. Returns the settings after the change.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "destinations": .object(["type": "array", "description": "Where the daily digest goes.", "uniqueItems": true,
                                     "items": .object(["type": "string", "enum": destinationNames]), "maxItems": 3]),
            "email": Schema.string("Email address for the email destination; \"\" removes it.", maxLength: EmailAddress.maxLength),
            "daily_digest": .object(["type": "boolean", "description": "The daily digest on or off."]),
            "daily_hour": Schema.integer("Local hour of the daily digest.", minimum: 0, maximum: 23),
            "time_zone": Schema.string("IANA time zone, e.g. Europe/Berlin.", maxLength: 64),
        ], required: ["user_id"]),
        outputSchema: settingsSchema
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        var change = SettingsChange()
        if let list = try args.stringList("destinations", maxCount: 3, maxLength: 16) {
            do throws(SettingsError) {
                change.destinations = list.isEmpty ? [] : try DigestDestination.parse(list.joined(separator: ","))
            } catch {
                throw .invalidArguments(argument: "destinations", reason: error.reason)
            }
        }
        if let email = try args.optionalString("email", maxLength: EmailAddress.maxLength) {
            change.email = .some(email.isEmpty ? nil : email)
        }
        if let value = args.present("daily_digest") {
            guard case .bool(let on) = value else {
                throw .invalidArguments(argument: "daily_digest", reason: "expected true or false, got \(ToolArguments.typeName(value))")
            }
            change.dailyDigest = on
        }
        if args.present("daily_hour") != nil { change.dailyHour = try args.int("daily_hour", in: 0...23) }
        change.timeZone = try args.optionalString("time_zone", maxLength: 64)
        var settings = try await current(userID, ctx)
        do throws(SettingsError) {
            settings = try change.applied(to: settings)
        } catch {
            throw .invalidArguments(argument: error.field == "deliver" ? "destinations" : error.field, reason: error.reason)
        }
        do {
            try await ctx.store.saveUserSettings(settings)
        } catch {
            throw ToolError.from(store: error)
        }
        return json(settings)
    }
}
