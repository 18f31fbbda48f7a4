import Foundation
import Testing
@testable import GazetteDelivery

@Suite struct MailMessageTests {
    static let date = Date(timeIntervalSince1970: 1_800_000_000)

    static func message(subject: String = "Gazette digest — 2027-01-15: 2 channels, 9 posts", pdf: Data = Data(repeating: 0x25, count: 10_000)) -> MailMessage {
        MailMessage(from: "gazette@example.com", to: "reader@example.org", subject: subject,
                    text: "Line one\nLine two\r\nДва", html: "<p>Hi</p>\n<p>Привет</p>",
                    attachments: [MailAttachment(fileName: "digest_2027-01-15.pdf", contentType: "application/pdf", data: pdf)],
                    date: date, messageID: "abc.gazette@example.com")
    }

    @Test func headersStructureAndLineEndings() throws {
        let text = String(decoding: Self.message().rendered(), as: UTF8.self)
        let (head, _) = try #require(text.range(of: "\r\n\r\n").map { (text[..<$0.lowerBound], text[$0.upperBound...]) })
        let headers = head.components(separatedBy: "\r\n")
        #expect(headers.contains("Date: Fri, 15 Jan 2027 08:00:00 +0000"))
        #expect(headers.contains("From: Gazette <gazette@example.com>"))
        #expect(headers.contains("To: <reader@example.org>"))
        #expect(headers.contains("Message-ID: <abc.gazette@example.com>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains { $0.hasPrefix("Content-Type: multipart/mixed; boundary=") })
        // Every line ends in CRLF: no bare LF or CR anywhere.
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        // No line longer than 78 characters (base64 lines are 76).
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.count <= 78 })
        #expect(text.contains("Content-Type: multipart/alternative; boundary="))
        #expect(text.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(text.contains("Content-Type: text/html; charset=UTF-8"))
        #expect(text.contains("Content-Type: application/pdf; name=\"digest_2027-01-15.pdf\""))
        #expect(text.contains("Content-Disposition: attachment; filename=\"digest_2027-01-15.pdf\""))
    }

    @Test func nonASCIISubjectIsEncodedWordsThatDecodeBack() throws {
        let subject = "Дайджест Gazette — 15 января: 3 канала, 42 поста, и ещё немного текста, чтобы строка была длинной 📰"
        let text = String(decoding: Self.message(subject: subject).rendered(), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var folded = [lines[start]]
        var i = start + 1
        while lines[i].hasPrefix(" ") { folded.append(lines[i]); i += 1 }
        #expect(folded.count > 1, "a long subject is folded")
        let words = folded.joined().dropFirst("Subject: ".count).split(separator: " ")
        var decoded = Data()
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            decoded.append(try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))))
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
        #expect(MailMessage.encodedWord("Plain subject") == "Plain subject")
        #expect(MailMessage.encodedWord("Injected\r\nBcc: x@example.com").hasPrefix("=?UTF-8?B?"), "a line break never reaches a header")
    }

    @Test func attachmentDecodesToTheSameBytes() throws {
        let pdf = Data((0..<50_000).map { UInt8($0 % 251) })
        let text = String(decoding: Self.message(pdf: pdf).rendered(), as: UTF8.self)
        let marker = "Content-Disposition: attachment; filename=\"digest_2027-01-15.pdf\"\r\n\r\n"
        let start = try #require(text.range(of: marker)).upperBound
        let body = text[start...].prefix { $0 != "-" }
        #expect(Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")) == pdf)
        #expect(MailMessage.safeFileName("../x\r\n.pdf\"") == ".._x__.pdf_", "no path separator, line break or quote")
    }
}
