import Foundation
import GazetteCore

/// Subscribing and unsubscribing: strict validation, so a stray word never becomes a subscription (lesson 7).
extension BotHandler {
    /// `allowBareName`: `/subscribe durov` is an explicit request, so a bare username is accepted there; in the menu
    /// conversation only `@name`, links and feed URLs are, because any word typed there used to become a channel.
    func subscribe(_ input: String, userID: Int64, chatID: Int64, allowBareName: Bool) async throws {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if !allowBareName, !Self.looksLikeChannel(text) {
            try await messenger.send(chatID: chatID, html: Screens.bareWord, keyboard: Self.cancelKeyboard)
            return
        }
        let ref: ChannelRef
        do {
            ref = try ChannelRef.parse(text)
        } catch {
            try await messenger.send(chatID: chatID, html: Screens.invalidChannel(error), keyboard: allowBareName ? nil : Self.cancelKeyboard)
            return
        }
        try await subscribe(ref, userID: userID, chatID: chatID)
    }

    func subscribe(_ ref: ChannelRef, userID: Int64, chatID: Int64) async throws {
        let result: (channel: Channel, created: Bool)
        do {
            result = try await store.subscribe(userID: userID, ref: ref, tags: [])
        } catch StoreError.invalidInput(let field, let reason) {
            try await messenger.send(chatID: chatID, html: "⚠️ Cannot subscribe: \(HTML.escape(field)) \(HTML.escape(reason)).")
            return
        }
        try await setAwaiting(nil, userID: userID)
        logger.info("subscribed", metadata: ["user_id": .stringConvertible(userID), "channel": .string(ref.key),
                                             "created": .stringConvertible(result.created)])
        try await messenger.send(chatID: chatID, html: Screens.subscribed(result.channel, created: result.created),
                                 keyboard: Screens.menuKeyboard)
    }

    func subscribeFromMenu(_ text: String, userID: Int64, chatID: Int64) async throws {
        try await subscribe(text, userID: userID, chatID: chatID, allowBareName: false)
    }

    /// `@name`, a t.me / telegram.me link or an http(s) URL — not a bare word.
    static func looksLikeChannel(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("@") { return true }
        for prefix in ["https://", "http://", ""] {
            for host in ["t.me/", "telegram.me/", "www.t.me/", "telegram.dog/"] where lower.hasPrefix(prefix + host) { return true }
        }
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }

    /// The channel a message was forwarded from, when it was.
    static func forwardedChannel(_ message: Message) -> Chat? {
        if let origin = message.forwardOrigin, origin.type == "channel", let chat = origin.chat { return chat }
        if let chat = message.forwardFromChat, chat.type == "channel" { return chat }
        return nil
    }

    func subscribeForwarded(_ chat: Chat, userID: Int64, chatID: Int64) async throws {
        guard let username = chat.username else {
            try await messenger.send(chatID: chatID, html: """
                \(HTML.bold(chat.title ?? "This channel")) has no public username, so its posts cannot be read from outside. \
                Add me to the channel as an administrator and I will collect its posts for you.
                """)
            return
        }
        let ref: ChannelRef
        do {
            ref = .telegram(username: try ChannelRef.validateUsername(username))
        } catch {
            try await messenger.send(chatID: chatID, html: Screens.invalidChannel(error))
            return
        }
        try await subscribe(ref, userID: userID, chatID: chatID)
    }

    func unsubscribeCommand(_ argument: String, userID: Int64, chatID: Int64) async throws {
        guard !argument.isEmpty else {
            let (text, keyboard) = try await channelList(userID: userID, page: 0)
            try await messenger.send(chatID: chatID, html: "Which channel? Pick one, then Unsubscribe.\n\n" + text, keyboard: keyboard)
            return
        }
        let ref: ChannelRef
        do {
            ref = try ChannelRef.parse(argument)
        } catch {
            try await messenger.send(chatID: chatID, html: Screens.invalidChannel(error))
            return
        }
        guard let sub = try await store.subscription(userID: userID, ref: ref),
              try await store.unsubscribe(userID: userID, channelID: sub.channel.id) else {
            try await messenger.send(chatID: chatID, html: "You are not subscribed to \(HTML.escape(ref.key)). See /channels.")
            return
        }
        try await messenger.send(chatID: chatID, html: "Unsubscribed from \(Screens.channelLabel(sub.channel)).")
    }

    /// The bot was added to (or removed from) a channel. When it becomes an administrator, the person who added it
    /// is subscribed, so the channel's posts (stored from `channel_post` updates) show up in their digest.
    func handleMembership(_ change: ChatMemberUpdated) async throws {
        guard change.chat.type == "channel" else { return }
        let status = change.newChatMember.status
        logger.info("bot membership changed", metadata: ["chat_id": .stringConvertible(change.chat.id), "status": .string(status)])
        guard status == "administrator", !change.from.isBot, isAllowed(change.from.id) else { return }
        let channel = try await ingestor.channel(for: change.chat)
        let (_, created) = try await store.subscribe(userID: change.from.id, ref: channel.ref, tags: [])
        guard created, let settings = try await store.userSettings(userID: change.from.id), let chatID = settings.chatID else { return }
        try await messenger.send(chatID: chatID, html: "📥 I am now an administrator of \(Screens.channelLabel(channel)); its new posts will be in your digest.")
    }
}
