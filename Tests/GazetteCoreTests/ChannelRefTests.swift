import GazetteCore
import Testing

@Suite("Channel references")
struct ChannelRefTests {
    @Test("every accepted form of a Telegram channel normalizes to the username",
          arguments: ["durov", "@durov", "t.me/durov", "https://t.me/s/durov", "https://t.me/durov/123",
                      "http://t.me/durov", "https://telegram.me/durov", "  @Durov  ", "t.me/s/durov/45", "https://t.me/durov?embed=1"])
    func normalizes(input: String) throws {
        #expect(try ChannelRef.parse(input) == .telegram(username: "durov"))
    }

    @Test("a feed URL is a feed channel")
    func feed() throws {
        let ref = try ChannelRef.parse("https://example.org/feed.xml")
        #expect(ref == .feed(url: "https://example.org/feed.xml"))
        #expect(ref.kind == .feed)
        #expect(ref.key == "https://example.org/feed.xml")
    }

    @Test("invalid references are rejected with a message that says what a valid one looks like",
          arguments: ["", "   ", "hello world", "abc", "1durov", "durov_", "du__rov", "дуров_канал", "t.me/+AbCd",
                      "t.me/joinchat/", "t.me/+AbCdEfGh/12", "t.me/+AbCd$fGhIj", "https://t.me/c/12345/6", "t.me/", "durov'; DROP TABLE posts;--",
                      "https://", "ftp://example.org/feed", String(repeating: "a", count: 33)])
    func rejects(input: String) {
        #expect(throws: ChannelRefError.self) { try ChannelRef.parse(input) }
        do {
            _ = try ChannelRef.parse(input)
        } catch {
            #expect(error.description.contains("5–32 characters"))
            #expect(error.description.contains("@durov"))
        }
    }

    @Test("invite links are telegram channels keyed +HASH, the hash kept as typed",
          arguments: ["https://t.me/+AbCdEfGhIjKl", "t.me/+AbCdEfGhIjKl", "t.me/joinchat/AbCdEfGhIjKl", "+AbCdEfGhIjKl",
                      "https://telegram.me/joinchat/AbCdEfGhIjKl?x=1"])
    func inviteLinks(input: String) throws {
        let ref = try ChannelRef.parse(input)
        #expect(ref == .invite(hash: "AbCdEfGhIjKl"))
        #expect(ref.kind == .telegram)
        #expect(ref.key == "+AbCdEfGhIjKl")
        #expect(ref.needsAccount)
        #expect(try ChannelRef(kind: .telegram, key: ref.key) == ref)
    }

    @Test("a 10 KB username is refused and the message stays short")
    func hugeInput() {
        let huge = String(repeating: "x", count: 10 * 1024)
        do {
            _ = try ChannelRef.parse(huge)
            Issue.record("a 10 KB reference was accepted")
        } catch {
            #expect(error.reason.contains("too long"))
            #expect(error.description.count < 400)
        }
    }

    @Test("username length bounds are 5 and 32")
    func bounds() throws {
        #expect(try ChannelRef.parse("abcde") == .telegram(username: "abcde"))
        #expect(try ChannelRef.parse(String(repeating: "a", count: 32)) == .telegram(username: String(repeating: "a", count: 32)))
        #expect(throws: ChannelRefError.self) { try ChannelRef.parse("abcd") }
    }

    @Test("stored kind and key rebuild the same reference")
    func roundTrip() throws {
        for ref in [ChannelRef.telegram(username: "durov"), .feed(url: "https://example.org/rss"), .botapi(chatID: -1001234)] {
            #expect(try ChannelRef(kind: ref.kind, key: ref.key) == ref)
        }
    }
}

@Suite("Content hash")
struct ContentHashTests {
    @Test("whitespace, case and punctuation do not change the hash")
    func normalization() {
        #expect(ContentHash.of("Привет, мир!  Hello") == ContentHash.of("привет мир hello"))
        #expect(ContentHash.of("Breaking:\nnews") == ContentHash.of("breaking news"))
    }

    @Test("different texts hash differently; empty text has no hash")
    func distinct() {
        #expect(ContentHash.of("one post") != ContentHash.of("another post"))
        #expect(ContentHash.of("") == nil)
        #expect(ContentHash.of("  \n ") == nil)
        #expect(ContentHash.of("🚀") != nil)
    }
}
