/// The words of a post as the summarizer (`Terms`) and the story clusterer (`EvidenceReader`) read them, written once
/// for both: runs of letters and digits, with a number's decimal separator kept inside it ("3.5", "2,5" → "2.5"), links
/// skipped whole, and each word told whether it starts a sentence. Works on Unicode scalars: grapheme breaking is the
/// expensive part of reading text, and words need none of it.
///
/// Search has its own word rules (`SearchWords` in GazetteText: lowercased, «ё» read as «е», combining marks dropped),
/// because the index and the queries must agree on them byte for byte; these words keep their case, which is evidence of
/// a name.
enum WordScanner {
    struct Word {
        /// As written; a number's separator as "." and a sentence's final dot ("в 2026.") left out.
        var text: String
        /// Digits only, a decimal separator allowed.
        var isNumber: Bool
        /// A number with a decimal separator inside it.
        var isDecimal: Bool
        /// Its first scalar is an uppercase letter.
        var capitalized: Bool
        /// How many of its scalars are uppercase, and how many it has.
        var uppercase: Int
        var scalars: Int
        /// The text's first word, or the first after a line break or after ".", "!", "?", "…".
        var startsSentence: Bool
    }

    enum Token {
        case word(Word)
        /// A line break (after the word before it).
        case lineBreak
        /// A scalar that is neither a letter, a digit nor whitespace, outside links (after the word before it).
        case mark(Unicode.Scalar)
    }

    /// Marks that end a sentence.
    static func endsSentence(_ c: Unicode.Scalar) -> Bool {
        c == "." || c == "!" || c == "?" || c == "…"
    }

    /// Calls `body` with each token of `text`, in order.
    static func scan(_ text: String, _ body: (Token) -> Void) {
        var word = String.UnicodeScalarView()
        var isNumber = true, capitalized = false, uppercase = 0, decimal = false
        var sentenceStart = true, inLink = false
        var previous: Unicode.Scalar = " "
        func startWord() {
            word = String.UnicodeScalarView()
            isNumber = true; capitalized = false; uppercase = 0; decimal = false
        }
        func flush() {
            guard !word.isEmpty else { return }
            var dotted = false
            if word.last == "." {
                word.removeLast()
                dotted = true
            }
            let count = word.count
            body(.word(Word(text: String(word), isNumber: isNumber, isDecimal: decimal && !dotted, capitalized: capitalized,
                            uppercase: uppercase, scalars: count, startsSentence: sentenceStart)))
            // "в 2026." ends its sentence with the number's dot; "2,5" or "2026, и" does not.
            sentenceStart = dotted && previous == "."
            startWord()
        }
        for c in text.unicodeScalars {
            if c.fastIsWhitespace {
                inLink = false
                flush()
                if c == "\n" {
                    sentenceStart = true
                    body(.lineBreak)
                }
            } else if inLink {
                // Links say nothing about the topic or the event.
            } else if (c == "/" && previous == ":") || (c == "." && isWord(word, "www")) {
                inLink = true
                startWord()
            } else if c.fastIsAlphabetic || c.fastIsNumeric {
                if word.isEmpty { capitalized = c.fastIsUppercase }
                if c.fastIsUppercase { uppercase += 1 }
                word.append(c)
                if !c.fastIsNumeric { isNumber = false }
            } else if c == ":" && (isWord(word, "http") || isWord(word, "https")) {
                // The scheme of a link: wait for "//" and drop it with the link.
            } else if (c == "." || c == ",") && isNumber && !word.isEmpty && !decimal {
                // "3.5", "2,5": the number stays whole; a sentence's final dot is dropped when the word ends.
                decimal = true
                word.append(".")
            } else {
                flush()
                if endsSentence(c) { sentenceStart = true }
                body(.mark(c))
            }
            previous = c
        }
        flush()
    }

    /// Whether `word` is `ascii` in any case.
    private static func isWord(_ word: String.UnicodeScalarView, _ ascii: StaticString) -> Bool {
        guard word.count == ascii.utf8CodeUnitCount else { return false }
        var i = 0
        for s in word {
            let expected = ascii.utf8Start[i]
            guard s.value == UInt32(expected) || s.value == UInt32(expected) - 0x20 else { return false }
            i += 1
        }
        return true
    }
}
