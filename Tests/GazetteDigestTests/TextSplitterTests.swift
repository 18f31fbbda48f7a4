import Foundation
import Testing
@testable import GazetteDigest

@Suite struct TextSplitterTests {
    @Test func shortTextIsOneMessage() {
        #expect(TextSplitter.split("Hello\n\nWorld") == ["Hello\n\nWorld"])
        #expect(TextSplitter.split("  \n\n ").isEmpty)
    }

    @Test func splitsOnParagraphBoundaries() {
        let paragraphs = (0..<30).map { i in "Paragraph \(i): " + String(repeating: "word ", count: 40).trimmingCharacters(in: .whitespaces) }
        let messages = TextSplitter.split(paragraphs.joined(separator: "\n\n"), limit: 1000)
        #expect(messages.count > 1)
        for message in messages {
            #expect(message.utf16.count <= 1000)
            // Every message is made of whole paragraphs.
            for part in message.components(separatedBy: "\n\n") { #expect(paragraphs.contains(part)) }
        }
        #expect(messages.joined(separator: "\n\n") == paragraphs.joined(separator: "\n\n"))
    }

    @Test func neverBreaksALinkOrEntity() {
        let link = #"<a href="https://t.me/durov/123?utm=a&amp;b=c">Очень длинный текст ссылки с пробелами внутри</a>"#
        let paragraph = (0..<200).map { i in i % 7 == 0 ? link : "слово\(i) &amp; ещё" }.joined(separator: " ")
        let messages = TextSplitter.split(paragraph, limit: 500)
        #expect(messages.count > 3)
        for message in messages {
            #expect(message.utf16.count <= 500)
            #expect(message.components(separatedBy: "<a ").count == message.components(separatedBy: "</a>").count)
            #expect(!message.hasSuffix("&amp"))
        }
        #expect(messages.joined(separator: " ").components(separatedBy: link).count - 1 == 29)
    }

    @Test func bareURLsAndMarkdownLinksStayWhole() {
        let url = "https://example.org/a/very/long/path/that/should/not/be/split?query=1"
        let text = (0..<100).map { "see \(url) and [the post](https://t.me/x/\($0)) now" }.joined(separator: " ")
        let messages = TextSplitter.split(text, limit: 300)
        for message in messages {
            #expect(message.utf16.count <= 300)
            for word in message.split(separator: " ") where word.hasPrefix("https://example") { #expect(String(word) == url) }
            #expect(message.components(separatedBy: "[the post](").count == message.components(separatedBy: ") now").count)
        }
    }

    @Test func countsEmojiAsTelegramDoes() {
        let text = String(repeating: "🚀 ", count: 3000)  // 3000 × (2 + 1) UTF-16 units
        let messages = TextSplitter.split(text, limit: 4096)
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.utf16.count <= 4096 })
    }

    @Test func anUnbreakableRunIsCutRatherThanLost() {
        let run = String(repeating: "x", count: 10_000)
        let messages = TextSplitter.split(run, limit: 4096)
        #expect(messages.map(\.count) == [4096, 4096, 1808])
    }
}
