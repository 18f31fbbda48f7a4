import Foundation
import GazetteCore
import GazetteDigest
import GazetteText

/// The bot's texts and inline keyboards, in one place. Everything interpolated is escaped for HTML.
enum Screens {
    typealias Button = InlineKeyboardButton
    static func button(_ text: String, _ action: CallbackAction) -> Button { Button(text: text, callbackData: action.data) }

    static let channelsPerPage = 8

    static func welcome(name: String) -> String {
        """
        👋 Hello, \(HTML.escape(name))! I am <b>Gazette</b>: I collect the posts of the public Telegram channels you follow \
        and send you one digest (PDF or text).

        Subscribe to a channel, then ask for a digest — or turn on the daily digest in Settings.
        """
    }

    static let help = """
        <b>Commands</b>
        /menu — the main menu
        /subscribe <i>channel</i> — follow a channel: <code>@durov</code>, <code>t.me/durov</code> or a feed URL
        /unsubscribe <i>channel</i> — stop following it
        /channels — your channels
        /digest [<i>hours</i>] — a digest of the last 24 hours (or 1–168 hours)
        /search <i>words</i> — find posts of your channels: any inflection, <code>"a phrase"</code>, <code>-word</code>, <code>prefix*</code>
        /settings — daily digest, hour, time zone, PDF or text, digest language, filters (hide words, ads, channels)
        /timezone <i>Area/City</i> — set your time zone, e.g. <code>/timezone Europe/Berlin</code>
        /email <i>address</i> — get the daily digest by email too (<code>/email off</code> stops it)
        /cancel — stop what you were doing

        You can also forward me a post from a channel to subscribe to it.
        """

    static let searchHelp = """
        🔎 <code>/search metro tariffs</code> finds the posts of your channels with all these words, in any inflection. \
        Also: <code>"a phrase"</code>, <code>-word</code> to leave posts out, <code>prefix*</code>.
        """

    /// The best hits of `/search`: the channel and date as a link to the post, then the snippet with the matched words in
    /// bold (every piece escaped).
    static func searchResults(_ page: PostSearch.Page) -> String {
        let query = HTML.bold(page.query.text)
        guard !page.hits.isEmpty else {
            return "🔎 Nothing in your channels matches \(query). Words match in any inflection; try fewer words or <code>prefix*</code>."
        }
        let list = page.hits.enumerated().map { i, hit in
            let day = hit.post.date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: Locale(identifier: "en_GB"),
                                                                timeZone: TimeZone(identifier: "UTC")!))
            let label = "\(hit.channel.displayName) · \(day)"
            let heading = hit.post.url.map { HTML.link(label, $0) } ?? HTML.escape(label)
            return "\(i + 1). \(heading)\n\(hit.snippet.rendered(plain: HTML.escape) { "<b>\($0)</b>" })"
        }.joined(separator: "\n\n")
        let more = page.nextOffset != nil ? "\n\nMore posts match: add a word to narrow the search." : ""
        return "🔎 \(query):\n\n" + list + more
    }

    static let menuText = "What would you like to do?"
    static var menuKeyboard: InlineKeyboardMarkup {
        InlineKeyboardMarkup([
            [button("📰 Digest", .digest(hours: 24))],
            [button("📚 Channels", .channels(page: 0)), button("➕ Subscribe", .subscribe)],
            [button("⚙️ Settings", .settings)],
        ])
    }

    static let askChannel = """
        Send me the channel to follow: <code>@name</code>, a <code>t.me/name</code> link or a feed URL \
        (<code>https://…</code>), or forward me a post from the channel.
        """

    static func invalidChannel(_ error: ChannelRefError) -> String {
        "⚠️ \(HTML.escape(error.reason.prefix(1).uppercased() + error.reason.dropFirst())).\n\n" + askChannel
    }

    static let bareWord = """
        ⚠️ That is not a channel. Send <code>@name</code>, a <code>t.me/name</code> link or a feed URL, \
        or forward a post from the channel. /cancel to stop.
        """

    static func subscribed(_ channel: Channel, created: Bool) -> String {
        guard created else { return "You are already subscribed to \(channelLabel(channel))." }
        if channel.ref.needsAccount {
            // Login itself never happens here: Telegram invalidates login codes sent in messages.
            return "✅ Subscribed to \(channelLabel(channel)). It is read through the server's Telegram user account; "
                + "until one is logged in there (gazette login), it waits and your digest says so."
        }
        return "✅ Subscribed to \(channelLabel(channel)). Its posts will be in your next digest."
    }

    static func channelLabel(_ channel: Channel) -> String {
        switch channel.ref {
        case .telegram(let username):
            let title = channel.metadata.title.map { HTML.escape($0) + " " } ?? ""
            return "\(title)\(HTML.link("@" + username, "https://t.me/" + username))"
        case .feed(let url): return HTML.escape(channel.metadata.title ?? url)
        case .botapi: return HTML.escape(channel.displayName)
        case .invite: return HTML.escape(channel.metadata.title ?? "a private channel (invite link)")
        }
    }

    static func buttonLabel(_ channel: Channel) -> String {
        let base: String = switch channel.ref {
        case .telegram(let username): "@" + username
        case .feed, .botapi, .invite: channel.displayName
        }
        return base.count > 40 ? String(base.prefix(39)) + "…" : base
    }

    /// The pages of `total` subscriptions and which one `requested` means (the last one when it is past the end).
    static func page(_ requested: Int, total: Int) -> (current: Int, pages: Int) {
        let pages = max(1, (total + channelsPerPage - 1) / channelsPerPage)
        return (min(max(0, requested), pages - 1), pages)
    }

    /// One page of the user's channels: `subs` are that page's subscriptions, `total` all of them.
    static func channelList(_ subs: [SubscribedChannel], page current: Int, total: Int) -> (String, InlineKeyboardMarkup) {
        guard total > 0 else {
            return ("You have no channels yet.", InlineKeyboardMarkup([[button("➕ Subscribe", .subscribe)], [button("⬅️ Menu", .menu)]]))
        }
        let pages = page(current, total: total).pages
        // A private channel the account has not joined yet is marked: ⏳ a join request, ⚠️ a guard bot's answer.
        var rows = subs.map { sub in
            let mark = sub.accountJoin.map { $0 == .requested ? "⏳ " : "⚠️ " } ?? ""
            return [button(mark + buttonLabel(sub.channel), .channel(id: sub.channel.id))]
        }
        var nav: [Button] = []
        if current > 0 { nav.append(button("◀️", .channels(page: current - 1))) }
        if current < pages - 1 { nav.append(button("▶️", .channels(page: current + 1))) }
        if !nav.isEmpty { rows.append(nav) }
        rows.append([button("➕ Subscribe", .subscribe), button("⬅️ Menu", .menu)])
        let header = "📚 <b>Your channels</b> (\(total))" + (pages > 1 ? " — page \(current + 1)/\(pages)" : "")
        return (header, InlineKeyboardMarkup(rows))
    }

    static func channelDetail(_ sub: SubscribedChannel) -> (String, InlineKeyboardMarkup) {
        var lines = ["<b>\(HTML.escape(sub.channel.displayName))</b>", channelLabel(sub.channel)]
        if let description = sub.channel.metadata.description, !description.isEmpty {
            lines.append(HTML.escape(String(description.prefix(500))))
        }
        if let subscribers = sub.channel.metadata.subscribers { lines.append("Subscribers: \(subscribers)") }
        lines.append("Posts stored: \(sub.postCount)")
        if let last = sub.lastSuccessAt { lines.append("Last fetched: \(timestamp(last))") }
        if let join = sub.accountJoin {
            lines.append("\(join == .requested ? "⏳" : "⚠️") \(HTML.escape(join.summary.prefix(1).uppercased() + join.summary.dropFirst()))")
        } else if let error = sub.lastError {
            lines.append("Last error: \(HTML.escape(String(error.prefix(300))))")
        }
        return (lines.joined(separator: "\n"), InlineKeyboardMarkup([
            [button("❌ Unsubscribe", .askUnsubscribe(id: sub.channel.id))],
            [button("⬅️ Channels", .channels(page: 0))],
        ]))
    }

    static func confirmUnsubscribe(_ channel: Channel) -> (String, InlineKeyboardMarkup) {
        ("Unsubscribe from \(channelLabel(channel))?", InlineKeyboardMarkup([
            [button("Yes, unsubscribe", .confirmUnsubscribe(id: channel.id)), button("No", .channel(id: channel.id))],
        ]))
    }

    static func settings(_ s: UserSettings, filters: [ReaderFilter] = [], language: String? = nil) -> (String, InlineKeyboardMarkup) {
        var text = """
            ⚙️ <b>Settings</b>
            Daily digest: \(s.dailyDigest ? "on" : "off"), at \(String(format: "%02d:00", s.dailyHour)) \(HTML.escape(s.timeZone))
            Deliver to: \(destinationsText(s))
            Format: \(s.format == .pdf ? "PDF" : "text")
            Digest language: \(languageName(language))
            """
        text += "\n\n<b>Filters</b>"
        if filters.isEmpty { text += "\nnone: every post of your channels is in the digest" }
        for f in filters.prefix(20) { text += "\n• " + HTML.escape(filterLabel(f)) }
        if filters.count > 20 { text += "\n… and \(filters.count - 20) more" }
        let ads = filters.contains { $0.kind == .noAds }
        var rows: [[Button]] = [
            [button(s.dailyDigest ? "🔕 Daily digest: turn off" : "🔔 Daily digest: turn on", .toggleDaily)],
            [button("🕗 Hour", .chooseHour), button("🌍 Time zone", .chooseTimeZone)],
            [button(s.format == .pdf ? "📝 Send text instead of PDF" : "📄 Send PDF instead of text", .toggleFormat)],
            DigestDestination.allCases.map { d in
                button("\(s.destinations.contains(d) ? "✅" : "⬜️") \(destinationName(d))", .toggleDestination(d))
            },
            [button("🌐 Language: \(languageName(nextLanguage(language)))", .cycleLanguage),
             button(ads ? "📢 Show ads again" : "🚫 Hide ads", .toggleAds)],
            [button("➖ Hide a word", .askFilter(.exclude)), button("➕ Only a word", .askFilter(.include))],
            [button("🔇 Mute a channel", .askFilter(.mute))],
        ]
        if !filters.isEmpty { rows.append([button("🧹 Clear filters", .clearFilters)]) }
        rows.append([button("⬅️ Menu", .menu)])
        return (text, InlineKeyboardMarkup(rows))
    }

    static func destinationName(_ d: DigestDestination) -> String {
        switch d {
        case .telegram: "Telegram"
        case .email: "Email"
        case .feed: "Feed"
        }
    }

    /// `Telegram, email (reader@example.com)`, or none.
    static func destinationsText(_ s: UserSettings) -> String {
        guard !s.destinations.isEmpty else { return "nowhere (choose below)" }
        return s.destinations.sorted().map { d in
            d == .email ? "email (\(HTML.escape(s.email ?? "no address")))" : destinationName(d)
        }.joined(separator: ", ")
    }

    static let emailHelp = """
        Send <code>/email you@example.com</code> to get the daily digest by email (the PDF attached); \
        <code>/email off</code> stops it.
        """

    static func languageName(_ language: String?) -> String {
        switch language {
        case "ru": "русский"
        case "en": "English"
        default: "auto (the language of most posts)"
        }
    }

    static func nextLanguage(_ language: String?) -> String? {
        switch language {
        case nil: "ru"
        case "ru": "en"
        default: nil
        }
    }

    static func filterLabel(_ f: ReaderFilter) -> String {
        switch f.kind {
        case .include: "only posts with “\(f.value)”"
        case .exclude: "hide posts with “\(f.value)”"
        case .mute: "muted: \(f.value)"
        case .noAds: "hide ads"
        case .adMarker: "ad marker “\(f.value)”"
        case .minLength: "hide posts shorter than \(f.value) characters"
        }
    }

    static func askFilter(_ kind: ReaderFilter.Kind) -> String {
        switch kind {
        case .mute: "Send the channel to mute (e.g. <code>@durov</code>). Its posts leave your digest; you stay subscribed."
        case .include: "Send a word or phrase: only posts with it (in any form) will be in your digest."
        default: "Send a word or phrase: posts with it (in any form, e.g. «выборы» also hides «выборах») leave your digest."
        }
    }

    static func hourPicker() -> (String, InlineKeyboardMarkup) {
        let rows = stride(from: 0, to: 24, by: 6).map { start in
            (start..<start + 6).map { button(String(format: "%02d", $0), .setHour($0)) }
        }
        return ("At which hour (your time zone) should the daily digest arrive?",
                InlineKeyboardMarkup(rows + [[button("⬅️ Settings", .settings)]]))
    }

    static func timeZonePicker() -> (String, InlineKeyboardMarkup) {
        let buttons = CallbackAction.timeZones.map { button($0, .setTimeZone($0)) }
        let rows = stride(from: 0, to: buttons.count, by: 2).map { Array(buttons[$0..<min($0 + 2, buttons.count)]) }
        return ("Choose your time zone, or send /timezone <i>Area/City</i> for any other.",
                InlineKeyboardMarkup(rows + [[button("⬅️ Settings", .settings)]]))
    }

    static let notAllowed = "Sorry, this Gazette bot is private. Ask its operator to add your Telegram user id."
    static let staleButton = "This button is no longer valid — here is a fresh menu."

    static func unknownCommand(_ raw: String) -> String {
        "I don't know /\(HTML.escape(String(raw.prefix(32)))). " + "See /help."
    }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d UTC", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }
}

extension BotHandler {
    /// The channel list screen: one page read from the store (the count, then that page's rows), never every
    /// subscription at once.
    func channelList(userID: Int64, page requested: Int) async throws -> (String, InlineKeyboardMarkup) {
        let total = try await store.subscriptionCount(userID: userID)
        let current = Screens.page(requested, total: total).current
        let subs = total == 0 ? [] : try await store.subscriptions(userID: userID, limit: Screens.channelsPerPage,
                                                                   offset: current * Screens.channelsPerPage)
        return Screens.channelList(subs, page: current, total: total)
    }
}
