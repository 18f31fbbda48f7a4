import Foundation

/// Builds pages in t.me's preview markup, for fake servers in tests and benchmarks.
public enum SyntheticPreviewPage {
    public struct Message: Sendable {
        public var id: Int64
        public var date: Date
        public var text: String
        public var views: Int
        /// Rendered as t.me renders a service message ("Channel created", a pin…): a `service_message` block with
        /// its text and date, no views.
        public var isService: Bool
        public init(id: Int64, date: Date, text: String, views: Int = 1234, isService: Bool = false) {
            self.id = id
            self.date = date
            self.text = text
            self.views = views
            self.isService = isService
        }
    }

    /// A channel page with header and messages (oldest first) and, when `before` is set, a "load more" link.
    public static func html(channel: String, title: String, subscribers: String = "12.5K", messages: [Message],
                            before: Int64?) -> String {
        let formatter = ISO8601DateFormatter()
        var out = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(escape(title)) – Telegram</title></head><body>
        <div class="tgme_channel_info"><div class="tgme_channel_info_header">
        <i class="tgme_page_photo_image"><img src="https://cdn.example.invalid/\(channel).jpg"></i>
        <div class="tgme_channel_info_header_title"><span dir="auto">\(escape(title))</span></div>
        <div class="tgme_channel_info_header_username"><a href="https://t.me/\(channel)">@\(channel)</a></div></div>
        <div class="tgme_channel_info_counters"><div class="tgme_channel_info_counter"><span class="counter_value">\(subscribers)</span>
        <span class="counter_type">subscribers</span></div></div>
        <div class="tgme_channel_info_description">Synthetic channel \(channel)</div></div>
        <main class="tgme_main"><section class="tgme_channel_history js-message_history">

        """
        if let before {
            out += #"<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/\#(channel)?before=\#(before)" class="tme_messages_more js-messages_more" data-before="\#(before)"></a></div>"#
        }
        for m in messages {
            let date = formatter.string(from: m.date)
            out += m.isService ? serviceBlock(m, channel: channel, date: date) : postBlock(m, channel: channel, date: date)
        }
        out += "</section></main></body></html>\n"
        return out
    }

    private static func postBlock(_ m: Message, channel: String, date: String) -> String {
        """
        <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="\(channel)/\(m.id)">
        <div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text" dir="auto">\(escape(m.text).replacingOccurrences(of: "\n", with: "<br/>"))</div>
        <div class="tgme_widget_message_footer"><div class="tgme_widget_message_info"><span class="tgme_widget_message_views">\(m.views)</span>
        <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/\(channel)/\(m.id)"><time datetime="\(date)" class="time">00:00</time></a></span>
        </div></div></div></div></div>

        """
    }

    /// Like a post block, with `service_message` in the class list and neither views nor an author.
    private static func serviceBlock(_ m: Message, channel: String, date: String) -> String {
        """
        <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message service_message" data-post="\(channel)/\(m.id)">
        <div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text js-message_text" dir="auto">\(escape(m.text))</div>
        <div class="tgme_widget_message_footer"><div class="tgme_widget_message_info">
        <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/\(channel)/\(m.id)"><time datetime="\(date)" class="time">00:00</time></a></span>
        </div></div></div></div></div>

        """
    }

    /// Telegram's stand-alone page for a name: with a title when the name exists but has no preview, without one when
    /// nobody has the name.
    public static func contactPage(title: String?) -> String {
        let titleHTML = title.map { #"<div class="tgme_page_title"><span dir="auto">\#(escape($0))</span></div>"# } ?? ""
        return #"<!DOCTYPE html><html><body><div class="tgme_page">\#(titleHTML)<div class="tgme_page_description">If you have Telegram, you can contact them right away.</div></div></body></html>"#
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
