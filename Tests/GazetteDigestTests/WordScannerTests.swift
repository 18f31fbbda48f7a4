@testable import GazetteDigest
import Testing

/// The words the summarizer and the story clusterer share (`WordScanner`).
@Suite struct WordScannerTests {
    /// The tokens of `text`, written compactly: a word as itself (`^` before it when it starts a sentence, `#` when it
    /// is a number, `.` after a decimal number), `|` for a line break and the mark itself for a mark.
    static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        WordScanner.scan(text) { token in
            switch token {
            case .word(let w): out.append((w.startsSentence ? "^" : "") + (w.isNumber ? "#" : "") + w.text + (w.isDecimal ? "." : ""))
            case .lineBreak: out.append("|")
            case .mark(let c): out.append(String(c))
            }
        }
        return out
    }

    @Test func numbersKeepTheirSeparatorAndASentenceEndsAfterItsDot() {
        #expect(Self.tokens("Рост 3,5 процента в 2026. Путин сказал") == ["^Рост", "#3.5.", "процента", "в", "#2026", "^Путин", "сказал"])
        // A comma after a number separates; it does not end the sentence.
        #expect(Self.tokens("в 2026, Путин") == ["^в", "#2026", "Путин"])
    }

    @Test func linksAreSkippedWholeSchemeIncluded() {
        #expect(Self.tokens("Читайте https://example.org/a/b?c=1 и www.test.ru/x далее") == ["^Читайте", "и", "далее"])
        // "http:" not followed by "//" is a word after all.
        #expect(Self.tokens("http: нет") == ["^http", "нет"])
    }

    @Test func marksAndLineBreaksComeAfterTheWordBeforeThem() {
        #expect(Self.tokens("Итог: «Зенит» победил!\nДалее") == ["^Итог", ":", "«", "Зенит", "»", "победил", "!", "|", "^Далее"])
    }

    @Test func wordsTellTheirCase() {
        var words: [WordScanner.Word] = []
        WordScanner.scan("НАТО и Минобороны") { if case .word(let w) = $0 { words.append(w) } }
        #expect(words.map(\.uppercase) == [4, 0, 1])
        #expect(words.map(\.scalars) == [4, 1, 10])
        #expect(words.map(\.capitalized) == [true, false, true])
    }
}
