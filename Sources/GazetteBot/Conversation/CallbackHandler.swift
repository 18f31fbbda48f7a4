import Foundation
import GazetteCore

/// Inline menu buttons. Callback data is validated; a button that no longer applies is answered politely and
/// replaced by a fresh screen.
extension BotHandler {
    func handleCallback(_ query: CallbackQuery) async throws {
        guard isAllowed(query.from.id) else {
            try await messenger.answer(callbackID: query.id, text: Screens.notAllowed)
            return
        }
        guard let message = query.message else {
            try await messenger.answer(callbackID: query.id, text: Screens.staleButton)
            return
        }
        let chatID = message.chat.id
        let userID = query.from.id
        guard let action = query.data.flatMap(CallbackAction.parse) else {
            logger.notice("invalid callback data", metadata: ["bytes": .stringConvertible(query.data?.utf8.count ?? 0)])
            try await messenger.answer(callbackID: query.id, text: Screens.staleButton)
            try await messenger.send(chatID: chatID, html: Screens.menuText, keyboard: Screens.menuKeyboard)
            return
        }
        try await messenger.answer(callbackID: query.id)
        let settings = try await rememberChat(userID: userID, chatID: chatID)
        func show(_ screen: (String, InlineKeyboardMarkup)) async throws {
            // A button on a message the bot can no longer reach (too old, deleted) arrives as an InaccessibleMessage,
            // date 0: editing it fails, so the screen comes as a fresh message instead.
            if message.isInaccessible {
                try await messenger.send(chatID: chatID, html: screen.0, keyboard: screen.1)
            } else {
                try await messenger.edit(chatID: chatID, messageID: message.messageID, html: screen.0, keyboard: screen.1)
            }
        }
        switch action {
        case .menu:
            try await show((Screens.menuText, Screens.menuKeyboard))
        case .channels(let page):
            try await show(try await channelList(userID: userID, page: page))
        case .channel(let id):
            guard let sub = try await subscription(userID: userID, channelID: id) else { return try await showGone(show, userID: userID) }
            try await show(Screens.channelDetail(sub))
        case .askUnsubscribe(let id):
            guard let sub = try await subscription(userID: userID, channelID: id) else { return try await showGone(show, userID: userID) }
            try await show(Screens.confirmUnsubscribe(sub.channel))
        case .confirmUnsubscribe(let id):
            let channel = try await store.channel(id: id)
            let removed = try await store.unsubscribe(userID: userID, channelID: id)
            let (list, keyboard) = try await channelList(userID: userID, page: 0)
            let note = removed ? "✅ Unsubscribed from \(channel.map(Screens.channelLabel) ?? "the channel")." : "You were not subscribed to that channel any more."
            try await show((note + "\n\n" + list, keyboard))
        case .subscribe:
            try await setAwaiting(.subscribe, userID: userID)
            try await show((Screens.askChannel, Self.cancelKeyboard))
        case .cancel:
            try await setAwaiting(nil, userID: userID)
            try await show((Screens.menuText, Screens.menuKeyboard))
        case .digest(let hours):
            try await responder.respond(chatID: chatID, userID: userID, hours: hours, settings: settings)
        case .settings:
            try await show(try await settingsScreen(settings))
        case .cycleLanguage:
            let current = try await store.readerLanguage(userID: userID)
            try await store.setReaderLanguage(userID: userID, Screens.nextLanguage(current))
            try await show(try await settingsScreen(settings))
        case .toggleAds:
            let noAds = ReaderFilter(kind: .noAds)
            if try await !store.removeReaderFilter(userID: userID, noAds) { _ = try await store.addReaderFilter(userID: userID, noAds) }
            try await show(try await settingsScreen(settings))
        case .askFilter(let kind):
            try await setAwaiting(kind == .mute ? .mute : kind == .include ? .include : .exclude, userID: userID)
            try await show((Screens.askFilter(kind), InlineKeyboardMarkup([[Screens.button("Cancel", .settings)]])))
        case .clearFilters:
            for f in try await store.readerFilters(userID: userID) { _ = try await store.removeReaderFilter(userID: userID, f) }
            try await show(try await settingsScreen(settings))
        case .toggleDestination(let destination):
            var updated = settings
            if updated.destinations.contains(destination) {
                updated.destinations.remove(destination)
            } else {
                guard destination != .email || settings.email != nil else {
                    let (screen, keyboard) = try await settingsScreen(settings)
                    return try await show(("📧 " + Screens.emailHelp + "\n\n" + screen, keyboard))
                }
                updated.destinations.insert(destination)
            }
            try await store.saveUserSettings(updated)
            try await show(try await settingsScreen(updated))
        case .chooseHour:
            try await show(Screens.hourPicker())
        case .chooseTimeZone:
            try await show(Screens.timeZonePicker())
        case .toggleDaily, .setHour, .setTimeZone, .toggleFormat:
            var updated = settings
            switch action {
            case .toggleDaily: updated.dailyDigest.toggle()
            case .setHour(let hour): updated.dailyHour = hour
            case .setTimeZone(let zone): updated.timeZone = zone
            default: updated.format = settings.format == .pdf ? .text : .pdf
            }
            try await store.saveUserSettings(updated)
            try await show(try await settingsScreen(updated))
        }
    }

    private func subscription(userID: Int64, channelID: Int64) async throws -> SubscribedChannel? {
        try await store.subscription(userID: userID, channelID: channelID)
    }

    /// A button for a channel the user has since unsubscribed from (e.g. in another chat or from the shell).
    private func showGone(_ show: ((String, InlineKeyboardMarkup)) async throws -> Void, userID: Int64) async throws {
        let (list, keyboard) = try await channelList(userID: userID, page: 0)
        try await show(("You are no longer subscribed to that channel.\n\n" + list, keyboard))
    }
}
