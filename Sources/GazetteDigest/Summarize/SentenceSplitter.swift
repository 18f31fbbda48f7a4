import Foundation

/// Splits Russian and English post text into sentences.
///
/// Telegram posts are not newspaper prose: line breaks separate thoughts, URLs contain dots, emoji stand
/// after the final punctuation, numbers have decimal points and lists are numbered. A boundary is a run
/// of `.`, `!`, `?` or `…` (outside a URL) followed by whitespace and a character that is not a lowercase
/// letter, unless the word before a single `.` is a known abbreviation, an initial or a list number.
/// Every line break is a boundary.
///
/// Works on Unicode scalars rather than `Character`s: grapheme breaking dominated the digest's run time,
/// and every decision here is about single scalars (emoji sequences are recognised by their parts).
public enum SentenceSplitter {
    typealias Scalar = Unicode.Scalar

    public static func split(_ text: String) -> [String] {
        split(text, limit: .max)
    }

    /// `split(text).first`, without reading much past it (the story clusterer's headline of a post). A boundary is
    /// decided by the scalars right after it, so a first sentence that ends well inside the text's first `window`
    /// scalars is the same in that prefix as in the whole text (unless more than 128 spaces or emoji follow it);
    /// otherwise the whole text is read.
    public static func first(_ text: String, window: Int = 1024) -> String? {
        let scalars = text.unicodeScalars
        if let cut = scalars.index(scalars.startIndex, offsetBy: window, limitedBy: scalars.endIndex), cut < scalars.endIndex {
            let head = String(scalars[..<cut])
            if let first = split(head, limit: 1).first, let end = end(of: first, in: head),
               head.utf8.distance(from: end, to: head.utf8.endIndex) >= 128 * 4 {
                return first
            }
        }
        return split(text, limit: 1).first
    }

    /// Where the first occurrence of `sentence` in `text` ends. A sentence this splitter found is right at the start of
    /// the text or after a bullet, so a plain scan of the bytes is quick (the generic substring search is not).
    static func end(of sentence: String, in text: String) -> String.Index? {
        let needle = Array(sentence.utf8), hay = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= hay.count else { return nil }
        for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
            if hay[start..<(start + needle.count)].elementsEqual(needle) {
                return text.utf8.index(text.utf8.startIndex, offsetBy: start + needle.count)
            }
        }
        return nil
    }

    /// The first `limit` sentences.
    private static func split(_ text: String, limit: Int) -> [String] {
        var sentences: [String] = []
        var line: [Scalar] = []
        line.reserveCapacity(256)
        for scalar in text.unicodeScalars {
            if isNewline(scalar) {
                if !line.isEmpty { splitLine(line, limit: limit, into: &sentences) }
                if sentences.count >= limit { return sentences }
                line.removeAll(keepingCapacity: true)
            } else {
                line.append(scalar)
            }
        }
        if !line.isEmpty { splitLine(line, limit: limit, into: &sentences) }
        return sentences
    }

    private static let terminators: Set<Scalar> = [".", "!", "?", "…"]
    private static let closers: Set<Scalar> = ["\"", "'", "»", "”", "’", ")", "]", "“"]
    private static let bulletMarkers: Set<Scalar> = ["•", "-", "–", "—", "*", "▪", "·", ">", "►", "▶"]

    private static func splitLine(_ chars: [Scalar], limit: Int, into sentences: inout [String]) {
        let urls = urlMask(chars)
        var start = 0
        var i = 0
        while i < chars.count {
            guard terminators.contains(chars[i]), !urls[i] else {
                i += 1
                continue
            }
            let punctStart = i
            while i < chars.count, terminators.contains(chars[i]) { i += 1 }
            while i < chars.count, closers.contains(chars[i]) { i += 1 }
            // Emoji and spaces right after the punctuation still belong to this sentence ("Готово! 🎉").
            var j = i
            var end = i
            while j < chars.count, chars[j].fastIsWhitespace || isEmojiPart(chars[j]) {
                if isEmojiPart(chars[j]) { end = j + 1 }
                j += 1
            }
            let atLineEnd = j >= chars.count
            let followedBySpace = i < chars.count && (chars[i].fastIsWhitespace || isEmojiPart(chars[i]))
            guard atLineEnd || followedBySpace else { continue }
            if !atLineEnd {
                let next = chars[j]
                if next.fastIsLowercase { continue }
                if i - punctStart == 1, chars[punctStart] == ".",
                   !endsSentence(wordBefore: chars, dotAt: punctStart, lineStart: start, nextIsUpper: next.fastIsUppercase) {
                    continue
                }
            }
            append(chars[start..<max(end, i)], to: &sentences)
            if sentences.count >= limit { return }
            start = j
            i = j
        }
        if start < chars.count { append(chars[start...], to: &sentences) }
    }

    private static func isLetterOrDigit(_ s: Scalar) -> Bool {
        s.fastIsAlphabetic || s.fastIsNumeric
    }

    /// Decides whether a single dot after a word ends the sentence.
    private static func endsSentence(wordBefore chars: [Scalar], dotAt dot: Int, lineStart: Int, nextIsUpper: Bool) -> Bool {
        var k = dot
        while k > lineStart, !chars[k - 1].fastIsWhitespace { k -= 1 }
        while k < dot, !isLetterOrDigit(chars[k]) { k += 1 }  // "(т.е." → "т.е"
        let letters = chars[k..<dot]
        guard let first = letters.first else { return true }
        // Initials: "А. С. Пушкин", "J. Smith".
        if letters.count == 1, first.fastIsUppercase { return false }
        // A number opening a line is a list item ("1. Buy milk"); elsewhere "in 2024." ends a sentence.
        if letters.allSatisfy({ $0.fastIsNumeric }) {
            return !chars[lineStart..<k].allSatisfy { $0.fastIsWhitespace || bulletMarkers.contains($0) }
        }
        let word = string(letters).lowercased()
        if Abbreviations.neverFinal.contains(word) { return false }
        if Abbreviations.mayBeFinal.contains(word) { return nextIsUpper }
        // "г." is "year" after a number (may end a sentence) and "city" before a name (never does).
        if word == "г" || word == "гг" {
            var b = k
            while b > lineStart, chars[b - 1].fastIsWhitespace { b -= 1 }
            return b > lineStart && chars[b - 1].fastIsNumeric && nextIsUpper
        }
        // Dotted abbreviations such as "U.S." or "т.е.": letters separated by dots.
        if word.contains("."), word.split(separator: ".").allSatisfy({ $0.count <= 2 }) { return false }
        return true
    }

    private static func append(_ slice: ArraySlice<Scalar>, to sentences: inout [String]) {
        var from = slice.startIndex
        var to = slice.endIndex
        // Leading bullet markers and emoji used as bullets are layout, not content.
        while from < to {
            let s = slice[from]
            if s.fastIsWhitespace || bulletMarkers.contains(s) {
                from += 1
            } else if isEmojiPart(s) {
                var e = from
                while e < to, isEmojiPart(slice[e]) { e += 1 }
                guard e < to, slice[e].fastIsWhitespace else { break }
                from = e
            } else {
                break
            }
        }
        while to > from, slice[to - 1].fastIsWhitespace { to -= 1 }
        let body = slice[from..<to]
        if body.contains(where: isLetterOrDigit) { sentences.append(string(body)) }
    }

    private static func string(_ scalars: ArraySlice<Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    /// True for scalars inside a URL (`http://…`, `https://…`, `www.…`, `t.me/…`), whose dots end nothing.
    private static func urlMask(_ chars: [Scalar]) -> [Bool] {
        var mask = [Bool](repeating: false, count: chars.count)
        var i = 0
        while i < chars.count {
            let atWordStart = i == 0 || chars[i - 1].fastIsWhitespace || chars[i - 1] == "(" || chars[i - 1] == "«"
            if atWordStart, startsURL(chars, at: i) {
                var j = i
                while j < chars.count, !chars[j].fastIsWhitespace { j += 1 }
                // Punctuation at the end of a URL belongs to the sentence: "see https://t.me/durov."
                var end = j
                while end > i, terminators.contains(chars[end - 1]) || closers.contains(chars[end - 1]) || chars[end - 1] == "," { end -= 1 }
                for k in i..<end { mask[k] = true }
                i = j
            } else {
                i += 1
            }
        }
        return mask
    }

    private static let urlPrefixes: [[Scalar]] = ["https://", "http://", "www.", "t.me/"].map { Array($0.unicodeScalars) }

    private static func startsURL(_ chars: [Scalar], at i: Int) -> Bool {
        let c = chars[i]
        guard c == "h" || c == "H" || c == "w" || c == "W" || c == "t" || c == "T" else { return false }
        for prefix in urlPrefixes where i + prefix.count <= chars.count {
            var matches = true
            for (offset, p) in prefix.enumerated() {
                let s = chars[i + offset]
                if s != p && !(s.value >= 0x41 && s.value <= 0x5A && s.value + 0x20 == p.value) {
                    matches = false
                    break
                }
            }
            if matches { return true }
        }
        return false
    }

    static func isNewline(_ s: Scalar) -> Bool {
        switch s.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    /// A scalar that is part of an emoji: pictographs, their variation selector, ZWJ, skin tones, keycaps, tags.
    static func isEmojiPart(_ s: Scalar) -> Bool {
        switch s.value {
        case 0xFE0F, 0x200D, 0x20E3, 0x1F3FB...0x1F3FF, 0xE0020...0xE007F: return true
        case 0x00...0x1FFF:
            // No scalar below U+2000 has Emoji_Presentation, and the rest are excluded below anyway.
            return false
        default:
            let p = s.properties
            return p.isEmojiPresentation || (p.isEmoji && s.value >= 0x2000)
        }
    }
}

/// Abbreviations whose dot is not a sentence end (lowercase, without the final dot).
enum Abbreviations {
    /// Always followed by more of the same sentence: titles, "street", "page", "e.g."…
    static let neverFinal: Set<String> = [
        // English
        "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "vs", "e.g", "i.e", "fig", "approx", "dept",
        "gov", "sen", "rep", "lt", "col", "capt", "mt", "jan", "feb", "apr", "aug", "sep", "sept", "oct",
        "nov", "dec", "vol", "pp", "cf",
        // Russian
        "ул", "д", "стр", "им", "проф", "акад", "ок", "напр", "кв", "св", "см", "ср", "рис", "табл", "т",
        "т.е", "т.к", "т.н", "т.ч", "гл", "ст", "тел", "обл", "пос", "н.э",
    ]
    /// Can end a sentence; then the next sentence starts with a capital letter.
    static let mayBeFinal: Set<String> = [
        "etc", "inc", "ltd", "co", "corp", "т.д", "т.п", "др", "пр",
        "руб", "коп", "тыс", "млн", "млрд", "трлн", "долл", "чел", "мин", "сек", "кг", "км", "м", "мм",
    ]
}
