import Foundation
import GazetteCore
import Testing

/// `ContentHash.of` takes a fast path for common scripts; it must agree with the reference definition everywhere.
@Suite("Content hash fast path")
struct ContentHashFastPathTests {
    /// Every scalar the fast path handles itself, alone and between letters, upper- and lowercase neighbours.
    @Test func agreesOnEveryFastPathScalar() {
        let ranges: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0x00A0...0x00FF, 0x0400...0x045F, 0x2000...0x2130, 0xFE0F...0xFE0F,
            0x2600...0x27BF, 0x1F1E6...0x1F1FF, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
        ]
        var mismatches: [String] = []
        for range in ranges {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let s = String(Character(scalar))
                for text in [s, "A\(s)b", "Ж\(s)\(s)я 1", " \(s) ", "\(s)Ё"] where ContentHash.of(text) != ContentHash.viaNormalization(text) {
                    mismatches.append(String(format: "U+%04X in %@", value, text.debugDescription))
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test(arguments: [
        "", "   ", "!!!", "Hello, World!", "Привет, мир! Ёжик — «ёлка»…", "📈 Рынок растёт 🚀🚀 +5%",
        "Пост №5", "№№ 5", "N№o", "Цена 5 € / 300 ₽ × 2 — 20 °C ©®", "ﬁnance ２０２６", "й vs и\u{0306}", "Ὀδυσσεύς ΣΊΣΥΦΟΣ", "İstanbul", "🇷🇺🇺🇸 👨‍👩‍👧 👋🏽",
        "x\u{0}y", "中文 テキスト 한국어", "①②③ ❶❷", "a\u{2017}b", "tab\tnew\nline\r\n",
    ])
    func agreesOnSamples(text: String) {
        #expect(ContentHash.of(text) == ContentHash.viaNormalization(text))
    }

    @Test func agreesOnRandomMixes() {
        let pool = Array("aZ09 ,.!?-ЁёЙйЯя«»—…\u{00A0}\u{200D}\u{FE0F}📈🚀👍🏽№ﬁé\u{0301}ΣςİıⅣ①".unicodeScalars)
        var state: UInt64 = 42
        for _ in 0..<3_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<(Int(state % 40) + 1) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(pool[Int(state >> 33) % pool.count])
            }
            let s = String(text)
            #expect(ContentHash.of(s) == ContentHash.viaNormalization(s), "\(s.debugDescription)")
        }
    }

    /// Stored hashes must not change between versions: pinned values of FNV-1a 64 and its 16-digit hex form.
    @Test func storedFormIsStable() {
        #expect(FNV1a.hex(0) == "0000000000000000")
        #expect(FNV1a.hex(1) == "0000000000000001")
        #expect(FNV1a.hex(0xcbf2_9ce4_8422_2325) == "cbf29ce484222325")
        #expect(FNV1a.hex(.max) == "ffffffffffffffff")
        #expect(ContentHash.of("Hello!") == "a430d84680aabd0b")  // normalized "hello"
        #expect(ContentHash.of("Привет, мир!  Hello") == "54fbd25acdda11e8")  // "привет мир hello"
    }
}
