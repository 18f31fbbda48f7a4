import Foundation

/// A file attached to a mail.
public struct MailAttachment: Sendable, Equatable {
    public var fileName: String
    public var contentType: String
    public var data: Data
    public init(fileName: String, contentType: String, data: Data) {
        self.fileName = fileName
        self.contentType = contentType
        self.data = data
    }
}

/// An email as Gazette sends it: a plain-text and an HTML alternative, then attachments.
///
/// `rendered()` writes the RFC 5322 / MIME message itself: `multipart/mixed` holding a `multipart/alternative`
/// (text/plain, text/html) and each attachment; every line ends in CRLF, every body part is base64 in lines of 76
/// characters, and a non-ASCII subject is an RFC 2047 encoded word. The SMTP library only carries the bytes.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var fromName: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    public var attachments: [MailAttachment]
    public var date: Date
    /// Without the angle brackets: `<id>@<domain>`.
    public var messageID: String

    public init(from: String, fromName: String = "Gazette", to: String, subject: String, text: String, html: String,
                attachments: [MailAttachment] = [], date: Date, messageID: String? = nil) {
        self.from = from
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.date = date
        self.messageID = messageID ?? MailMessage.makeMessageID(from: from)
    }

    /// A unique id in the sender's domain, as RFC 5322 asks.
    public static func makeMessageID(from address: String) -> String {
        let domain = address.split(separator: "@").last.map(String.init) ?? "gazette.invalid"
        return "\(UUID().uuidString.lowercased()).gazette@\(domain)"
    }

    public func rendered() -> Data {
        // Short enough for the Content-Type lines to stay within 78 characters; base64 never contains "-".
        let mixed = "gz-mixed-" + Self.randomHex(10)
        let alternative = "gz-alt-" + Self.randomHex(10)
        var lines: [String] = [
            "Date: \(Self.rfc5322Date(date))",
            "From: \(Self.encodedWord(fromName)) <\(from)>",
            "To: <\(to)>",
            Self.folded("Subject: " + Self.encodedWord(subject)),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            // RFC 3834: an automatic message; vacation responders stay quiet.
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/mixed; boundary=\"\(mixed)\"",
            "",
            "This is a multi-part message in MIME format.",
            "--\(mixed)",
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
            "",
            "--\(alternative)",
        ]
        lines += Self.part(contentType: "text/plain; charset=UTF-8", data: Data(Self.crlf(text).utf8))
        lines.append("--\(alternative)")
        lines += Self.part(contentType: "text/html; charset=UTF-8", data: Data(Self.crlf(html).utf8))
        lines.append("--\(alternative)--")
        for attachment in attachments {
            lines.append("--\(mixed)")
            let name = Self.safeFileName(attachment.fileName)
            lines += Self.part(contentType: "\(attachment.contentType); name=\"\(name)\"", data: attachment.data,
                               disposition: "attachment; filename=\"\(name)\"")
        }
        lines.append("--\(mixed)--")
        lines.append("")
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    static func part(contentType: String, data: Data, disposition: String? = nil) -> [String] {
        var out = ["Content-Type: \(contentType)", "Content-Transfer-Encoding: base64"]
        if let disposition { out.append("Content-Disposition: \(disposition)") }
        out.append("")
        out += base64Lines(data)
        return out
    }

    /// Base64 in lines of at most 76 characters (RFC 2045).
    static func base64Lines(_ data: Data) -> [String] {
        let encoded = data.base64EncodedString()
        var out: [String] = []
        out.reserveCapacity(encoded.utf8.count / 76 + 1)
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            out.append(String(encoded[index..<end]))
            index = end
        }
        return out
    }

    /// Text with every line ending made CRLF.
    static func crlf(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n")
    }

    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// ASCII printable text as it is; anything else (or a line break) as RFC 2047 `=?UTF-8?B?…?=` words of at most
    /// 75 characters, split between whole characters, separated by spaces (folded by `folded`).
    static func encodedWord(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if plain, !text.contains("=?") { return text }
        // 39 bytes make 52 base64 characters, a 64-character word: "Subject: " and the first word fit in 78.
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: " ")
    }

    /// A header line folded before words so that no line is longer than 78 characters (RFC 5322 §2.2.3).
    static func folded(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var out: [String] = []
        var current = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            // The field name keeps its first word: a header line never ends right after "Subject:".
            if index > 1, current.count + 1 + word.count > 78 {
                out.append(current)
                current = " " + word
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        out.append(current)
        return out.joined(separator: "\r\n")
    }

    /// Letters, digits, `._-` only: a file name is never a header injection.
    static func safeFileName(_ name: String) -> String {
        let cleaned = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        })
        return cleaned.isEmpty ? "attachment" : String(cleaned.prefix(100))
    }

    static func rfc5322Date(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) +0000",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian)))
    }
}
