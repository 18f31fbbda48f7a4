import Foundation
import GazetteCore
import GazetteDigest
import Logging

/// Turns one update into the bot's answer. Never throws: a failure is logged (without secrets) and, where it
/// helps, the user is told; the poller goes on with the next update.
public struct BotHandler: Sendable {
    let store: any BotStore
    let messenger: BotMessenger
    let responder: DigestResponder
    let ingestor: ChannelPostIngestor
    let metrics: BotMetrics
    let logger: Logger
    /// Nil: everyone may use the bot (`GAZETTE_BOT_ALLOWED_USERS`).
    let allowedUsers: Set<Int64>?
    /// The bot's own username (from `getMe`), so `/cmd@otherbot` in groups is ignored.
    public var botUsername: String?
    public var defaultHours = 24
    public static let maxHours = 168

    public init(store: any BotStore, messenger: BotMessenger, responder: DigestResponder, ingestor: ChannelPostIngestor,
                metrics: BotMetrics, logger: Logger, allowedUsers: Set<Int64>?) {
        self.store = store
        self.messenger = messenger
        self.responder = responder
        self.ingestor = ingestor
        self.metrics = metrics
        self.logger = logger
        self.allowedUsers = allowedUsers
    }

    public func handle(_ update: Update) async {
        metrics.updateReceived(kind: Self.kind(of: update))
        do {
            if let message = update.message {
                try await handleMessage(message)
            } else if let query = update.callbackQuery {
                try await handleCallback(query)
            } else if let post = update.channelPost {
                try await ingestor.ingest(post, edited: false)
            } else if let post = update.editedChannelPost {
                try await ingestor.ingest(post, edited: true)
            } else if let change = update.myChatMember {
                try await handleMembership(change)
            }
        } catch {
            logger.error("update not handled", metadata: ["update_id": .stringConvertible(update.updateID),
                                                          "error": .string(Self.describe(error))])
        }
    }

    static func kind(of update: Update) -> String {
        if update.message != nil { return "message" }
        if update.callbackQuery != nil { return "callback_query" }
        if update.channelPost != nil { return "channel_post" }
        if update.editedChannelPost != nil { return "edited_channel_post" }
        if update.myChatMember != nil { return "my_chat_member" }
        return "other"
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? BotAPIError { return e.description }
        if let e = error as? StoreError { return e.description }
        if let e = error as? DigestError { return e.description }
        return String(describing: error)
    }

    func isAllowed(_ userID: Int64) -> Bool { allowedUsers?.contains(userID) ?? true }

    // MARK: Messages

    func handleMessage(_ message: Message) async throws {
        guard let user = message.from, !user.isBot else { return }
        let chatID = message.chat.id
        guard isAllowed(user.id) else {
            try await messenger.send(chatID: chatID, html: Screens.notAllowed)
            return
        }
        let settings = try await rememberChat(userID: user.id, chatID: chatID)
        if let channel = Self.forwardedChannel(message) {
            try await setAwaiting(nil, userID: user.id)
            try await subscribeForwarded(channel, userID: user.id, chatID: chatID)
            return
        }
        guard let text = message.text, !text.isEmpty else {
            try await messenger.send(chatID: chatID, html: "I read text and forwarded channel posts. See /help.")
            return
        }
        if let command = BotCommandText.parse(text, botUsername: botUsername) {
            try await setAwaiting(nil, userID: user.id)
            try await run(command, user: user, chatID: chatID, settings: settings)
            return
        }
        if message.chat.type != "private" { return }
        switch try await awaiting(userID: user.id) {
        case .subscribe: try await subscribeFromMenu(text, userID: user.id, chatID: chatID)
        case .timeZone: try await setTimeZone(text, settings: settings, chatID: chatID)
        case .include, .exclude, .mute: try await addFilter(text, settings: settings, chatID: chatID)
        case nil: try await messenger.send(chatID: chatID, html: Screens.menuText + "\n(Commands: /help)", keyboard: Screens.menuKeyboard)
        }
    }

    func run(_ command: BotCommandText, user: User, chatID: Int64, settings: UserSettings) async throws {
        guard let name = command.name else {
            try await messenger.send(chatID: chatID, html: Screens.unknownCommand(command.raw))
            return
        }
        switch name {
        case .start:
            try await messenger.send(chatID: chatID, html: Screens.welcome(name: user.firstName), keyboard: Screens.menuKeyboard)
        case .help:
            try await messenger.send(chatID: chatID, html: Screens.help)
        case .menu:
            try await messenger.send(chatID: chatID, html: Screens.menuText, keyboard: Screens.menuKeyboard)
        case .subscribe:
            if command.argument.isEmpty {
                try await setAwaiting(.subscribe, userID: user.id)
                try await messenger.send(chatID: chatID, html: Screens.askChannel, keyboard: Self.cancelKeyboard)
            } else {
                try await subscribe(command.argument, userID: user.id, chatID: chatID, allowBareName: true)
            }
        case .unsubscribe:
            try await unsubscribeCommand(command.argument, userID: user.id, chatID: chatID)
        case .channels:
            let (text, keyboard) = try await channelList(userID: user.id, page: 0)
            try await messenger.send(chatID: chatID, html: text, keyboard: keyboard)
        case .digest:
            guard let hours = Self.hours(command.argument, default: defaultHours) else {
                try await messenger.send(chatID: chatID, html: "⚠️ /digest takes a number of hours from 1 to \(Self.maxHours), e.g. <code>/digest 48</code>.")
                return
            }
            try await responder.respond(chatID: chatID, userID: user.id, hours: hours, settings: settings)
        case .search:
            try await search(command.argument, userID: user.id, chatID: chatID)
        case .settings:
            let (text, keyboard) = try await settingsScreen(settings)
            try await messenger.send(chatID: chatID, html: text, keyboard: keyboard)
        case .timezone:
            if command.argument.isEmpty {
                try await setAwaiting(.timeZone, userID: user.id)
                let (text, keyboard) = Screens.timeZonePicker()
                try await messenger.send(chatID: chatID, html: text, keyboard: keyboard)
            } else {
                try await setTimeZone(command.argument, settings: settings, chatID: chatID)
            }
        case .email:
            try await setEmail(command.argument, settings: settings, chatID: chatID)
        case .cancel:
            try await messenger.send(chatID: chatID, html: "OK. " + Screens.menuText, keyboard: Screens.menuKeyboard)
        }
    }

    /// `/email ADDRESS` sets the address and adds the email destination; `/email off` removes both; `/email` alone
    /// says how.
    func setEmail(_ argument: String, settings: UserSettings, chatID: Int64) async throws {
        let change: SettingsChange
        switch argument.lowercased() {
        case "":
            try await messenger.send(chatID: chatID, html: "📧 " + Screens.emailHelp)
            return
        case "off", "none", "stop":
            change = SettingsChange(destinations: settings.destinations.subtracting([.email]), email: .some(nil))
        default:
            change = SettingsChange(destinations: settings.destinations.union([.email]), email: .some(argument))
        }
        let updated: UserSettings
        do {
            updated = try change.applied(to: settings)
        } catch {
            try await messenger.send(chatID: chatID, html: "⚠️ \(HTML.escape(error.reason)).\n\n" + Screens.emailHelp)
            return
        }
        try await store.saveUserSettings(updated)
        let note = updated.email.map { "✅ The daily digest will also go to \(HTML.escape($0))." } ?? "✅ No more digests by email."
        let (screen, keyboard) = try await settingsScreen(updated)
        try await messenger.send(chatID: chatID, html: note + "\n\n" + screen, keyboard: keyboard)
    }

    static let cancelKeyboard = InlineKeyboardMarkup([[Screens.button("Cancel", .cancel)]])

    /// `""` → the default; otherwise a whole number of hours in 1…168.
    static func hours(_ argument: String, default value: Int) -> Int? {
        if argument.isEmpty { return value }
        guard let n = Int(argument), (1...maxHours).contains(n) else { return nil }
        return n
    }

    // MARK: Settings and conversation state

    /// Makes sure the user has a settings row that knows their chat (the daily digest needs it).
    func rememberChat(userID: Int64, chatID: Int64) async throws -> UserSettings {
        if var settings = try await store.userSettings(userID: userID) {
            if settings.chatID != chatID {
                settings.chatID = chatID
                try await store.saveUserSettings(settings)
            }
            return settings
        }
        let settings = UserSettings(userID: userID, chatID: chatID)
        try await store.saveUserSettings(settings)
        return settings
    }

    enum Awaiting: String { case subscribe, timeZone = "timezone", include = "filter.include", exclude = "filter.exclude", mute = "filter.mute" }

    /// The settings screen with the reader's filters and digest language.
    func settingsScreen(_ settings: UserSettings) async throws -> (String, InlineKeyboardMarkup) {
        Screens.settings(settings, filters: try await store.readerFilters(userID: settings.userID),
                         language: try await store.readerLanguage(userID: settings.userID))
    }

    /// A word, phrase or channel typed after "Hide a word", "Only a word" or "Mute a channel".
    func addFilter(_ text: String, settings: UserSettings, chatID: Int64) async throws {
        let kind: ReaderFilter.Kind
        switch try await awaiting(userID: settings.userID) {
        case .include: kind = .include
        case .mute: kind = .mute
        default: kind = .exclude
        }
        let filter: ReaderFilter
        do {
            filter = try ReaderFilter.make(kind: kind, value: text)
        } catch {
            try await messenger.send(chatID: chatID, html: "⚠️ \(HTML.escape(error.reason)). Try again or /cancel.")
            return
        }
        do {
            _ = try await store.addReaderFilter(userID: settings.userID, filter)
        } catch StoreError.invalidInput(_, let reason) {
            try await messenger.send(chatID: chatID, html: "⚠️ \(HTML.escape(reason)).")
            return
        }
        try await setAwaiting(nil, userID: settings.userID)
        let (screen, keyboard) = try await settingsScreen(settings)
        try await messenger.send(chatID: chatID, html: "✅ Filter added: \(HTML.escape(Screens.filterLabel(filter))).\n\n" + screen, keyboard: keyboard)
    }

    static func awaitingKey(_ userID: Int64) -> String { "bot.awaiting.\(userID)" }

    func awaiting(userID: Int64) async throws -> Awaiting? {
        try await store.stateValue(Self.awaitingKey(userID)).flatMap(Awaiting.init(rawValue:))
    }

    func setAwaiting(_ value: Awaiting?, userID: Int64) async throws {
        let key = Self.awaitingKey(userID)
        if value == nil, try await store.stateValue(key).map({ $0.isEmpty }) ?? true { return }
        try await store.setStateValue(key, value?.rawValue ?? "")
    }

    func setTimeZone(_ text: String, settings: UserSettings, chatID: Int64) async throws {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.count <= 64, let zone = TimeZone(identifier: name) else {
            try await messenger.send(chatID: chatID, html: "⚠️ \(HTML.code(String(name.prefix(64)))) is not a time zone. Use an IANA name such as <code>Europe/Berlin</code> or <code>UTC</code>.")
            return
        }
        var updated = settings
        updated.timeZone = zone.identifier
        try await store.saveUserSettings(updated)
        try await setAwaiting(nil, userID: settings.userID)
        let (screen, keyboard) = try await settingsScreen(updated)
        try await messenger.send(chatID: chatID, html: "✅ Time zone set.\n\n" + screen, keyboard: keyboard)
    }
}
