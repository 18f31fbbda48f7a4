/// The words of a text as search sees them, in the index, in queries and in snippets alike: runs of letters and
/// digits, lowercased. Everything else separates words (spaces, punctuation, emoji, apostrophes and hyphens: «Санкт-
/// Петербург» is two words, found together as a phrase). Combining marks and invisible format characters inside a
/// word are dropped, so a stress mark («вы́боры») or a soft hyphen does not split or change it. A word longer than
/// `maxScalars` keeps its first `maxScalars` scalars, in the index and in queries alike. «ё» is read as «е».
///
/// The output of a word holds only letters and digits, which is what lets both stores take the words as they are:
/// SQLite's FTS5 `ascii` tokenizer splits on nothing else, and PostgreSQL gets them as `tsvector` lexemes.
public enum SearchWords {
    public static let maxScalars = 64

    /// Calls `body` with each word's range in `text` and its lowercased form, in order, until `body` returns false.
    public static func scan(_ text: String, _ body: (Range<String.Index>, String) -> Bool) {
        let scalars = text.unicodeScalars
        var word = String.UnicodeScalarView()
        var count = 0
        var start: String.Index?
        var end = scalars.startIndex
        var i = scalars.startIndex
        while i < scalars.endIndex {
            let scalar = scalars[i]
            let next = scalars.index(after: i)
            switch Kind.of(scalar) {
            case .letter(let lower):
                if start == nil { start = i }
                if count < maxScalars { word.append(lower); count += 1 }
                end = next
            case .other(let lowered):
                if start == nil { start = i }
                if count < maxScalars {
                    for s in lowered.unicodeScalars { word.append(s) }
                    count += 1
                }
                end = next
            case .inside:
                if start != nil { end = next }
            case .separator:
                if let s = start {
                    let more = body(s..<end, String(word))
                    start = nil
                    word = String.UnicodeScalarView()
                    count = 0
                    if !more { return }
                }
            }
            i = next
        }
        if let s = start { _ = body(s..<end, String(word)) }
    }

    /// The same words as `scan`, as lowercased UTF-8 bytes and without their ranges: what the index is written from,
    /// with no `String` made per word. `body` gets bytes valid only during the call and returns false to stop; the
    /// result is false when it did.
    @discardableResult
    public static func scanUTF8(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            var word: [UInt8] = []
            word.reserveCapacity(maxScalars * 2)
            var count = 0
            var inWord = false
            func letter(_ s: Unicode.Scalar) {
                inWord = true
                guard count < maxScalars else { return }
                UTF8.encode(s) { word.append($0) }
                count += 1
            }
            func wordEnds() -> Bool {
                guard inWord else { return true }
                let more = word.withUnsafeBufferPointer(body)
                word.removeAll(keepingCapacity: true)
                count = 0
                inWord = false
                return more
            }
            var i = 0
            while i < utf8.count {
                let b0 = utf8[i]
                if b0 < 0x80 {
                    // ASCII, as `Kind.of` decides it, without building a scalar.
                    i += 1
                    switch b0 {
                    case 0x30...0x39, 0x61...0x7A: letter(Unicode.Scalar(b0))
                    case 0x41...0x5A: letter(Unicode.Scalar(b0 + 0x20))
                    default: if !wordEnds() { return false }
                    }
                    continue
                }
                // A Swift string is valid UTF-8: the lead byte gives the length.
                var value: UInt32
                if b0 < 0xE0 {
                    value = UInt32(b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                    i += 2
                } else if b0 < 0xF0 {
                    value = UInt32(b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                    i += 3
                } else {
                    value = UInt32(b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                        | UInt32(utf8[i + 3] & 0x3F)
                    i += 4
                }
                guard let scalar = Unicode.Scalar(value) else { continue }  // not reached for valid UTF-8
                switch Kind.of(scalar) {
                case .letter(let lower): letter(lower)
                case .other(let lowered):
                    inWord = true
                    guard count < maxScalars else { break }
                    for s in lowered.unicodeScalars { UTF8.encode(s) { word.append($0) } }
                    count += 1
                case .inside: break
                case .separator: if !wordEnds() { return false }
                }
            }
            return wordEnds()
        }
    }

    /// The lowercased words of `text`, in order.
    public static func of(_ text: String) -> [String] {
        var out: [String] = []
        scan(text) { _, word in
            out.append(word)
            return true
        }
        return out
    }

    /// What a scalar is to a word.
    enum Kind {
        /// A letter or digit whose lowercase form is one scalar.
        case letter(Unicode.Scalar)
        /// A letter or digit whose lowercase form is several scalars (rare).
        case other(String)
        /// Part of a word that leaves no trace: a combining mark, a soft hyphen, a zero-width joiner.
        case inside
        case separator

        /// ASCII and the basic Cyrillic block (U+0400–U+045F, all letters) are decided by value; every other scalar by
        /// its Unicode general category.
        static func of(_ s: Unicode.Scalar) -> Kind {
            switch s.value {
            case 0x30...0x39, 0x61...0x7A: return .letter(s)
            case 0x41...0x5A: return .letter(Unicode.Scalar(s.value + 0x20)!)
            case 0x00...0x7F: return .separator
            case 0x0401, 0x0451: return .letter("е")  // ё is written е as often as not; search makes them one letter
            case 0x0410...0x042F: return .letter(Unicode.Scalar(s.value + 0x20)!)  // А–Я
            case 0x0400...0x040F: return .letter(Unicode.Scalar(s.value + 0x50)!)  // Ѐ–Џ, Ё among them
            case 0x0430...0x045F: return .letter(s)
            default: break
            }
            if isLetterOrDigit(s) {
                // Lowercasing may add a combining mark (İ → i̇): only the letters and digits of the result are kept.
                let lowered = s.properties.lowercaseMapping.unicodeScalars.filter(isLetterOrDigit)
                if lowered.count == 1, let only = lowered.first { return .letter(only) }
                return lowered.isEmpty ? .inside : .other(String(String.UnicodeScalarView(lowered)))
            }
            switch s.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark, .format: return .inside
            default: return .separator
            }
        }

        static func isLetterOrDigit(_ s: Unicode.Scalar) -> Bool {
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber: true
            default: false
            }
        }
    }
}
