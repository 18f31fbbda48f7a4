import Foundation

/// Splits Russian and English post text into sentences.
///
/// Telegram posts are not newspaper prose: line breaks separate thoughts, URLs contain dots, emoji stand
/// after the final punctuation, numbers have decimal points and lists are numbered. A boundary is a run
/// of `.`, `!`, `?` or `…` (outside a URL) followed by whitespace and a character that is not a lowercase
/// letter, unless the word before a single `.` is a known abbreviation, an initial or a list number.
/// Every line break is a boundary.
public enum SentenceSplitter {
    public static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline) {
            splitLine(Array(line), into: &sentences)
        }
        return sentences
    }

    private static let terminators: Set<Character> = [".", "!", "?", "…"]
    private static let closers: Set<Character> = ["\"", "'", "»", "”", "’", ")", "]", "“"]
    private static let bulletMarkers: Set<Character> = ["•", "-", "–", "—", "*", "▪", "·", ">", "►", "▶"]

    private static func splitLine(_ chars: [Character], into sentences: inout [String]) {
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
            while j < chars.count, chars[j].isWhitespace || isEmoji(chars[j]) {
                if isEmoji(chars[j]) { end = j + 1 }
                j += 1
            }
            let atLineEnd = j >= chars.count
            let followedBySpace = i < chars.count && (chars[i].isWhitespace || isEmoji(chars[i]))
            guard atLineEnd || followedBySpace else { continue }
            if !atLineEnd {
                let next = chars[j]
                if next.isLowercase { continue }
                if i - punctStart == 1, chars[punctStart] == ".",
                   !endsSentence(wordBefore: chars, dotAt: punctStart, lineStart: start, nextIsUpper: next.isUppercase) {
                    continue
                }
            }
            append(chars[start..<max(end, i)], to: &sentences)
            start = j
            i = j
        }
        if start < chars.count { append(chars[start...], to: &sentences) }
    }

    /// Decides whether a single dot after a word ends the sentence.
    private static func endsSentence(wordBefore chars: [Character], dotAt dot: Int, lineStart: Int, nextIsUpper: Bool) -> Bool {
        var k = dot
        while k > lineStart, !chars[k - 1].isWhitespace { k -= 1 }
        while k < dot, !(chars[k].isLetter || chars[k].isNumber) { k += 1 }  // "(т.е." → "т.е"
        let letters = chars[k..<dot]
        let word = String(letters).lowercased()
        guard let first = letters.first else { return true }
        // Initials: "А. С. Пушкин", "J. Smith".
        if letters.count == 1, first.isUppercase { return false }
        // A number opening a line is a list item ("1. Buy milk"); elsewhere "in 2024." ends a sentence.
        if letters.allSatisfy(\.isNumber) {
            return !chars[lineStart..<k].allSatisfy { $0.isWhitespace || bulletMarkers.contains($0) }
        }
        if Abbreviations.neverFinal.contains(word) { return false }
        if Abbreviations.mayBeFinal.contains(word) { return nextIsUpper }
        // "г." is "year" after a number (may end a sentence) and "city" before a name (never does).
        if word == "г" || word == "гг" {
            let before = String(chars[lineStart..<k]).trimmingCharacters(in: .whitespaces)
            return before.last?.isNumber == true && nextIsUpper
        }
        // Dotted abbreviations such as "U.S." or "т.е.": letters separated by dots.
        if word.contains("."), word.split(separator: ".").allSatisfy({ $0.count <= 2 }) { return false }
        return true
    }

    private static func append(_ slice: ArraySlice<Character>, to sentences: inout [String]) {
        var s = Substring(String(slice)).drop(while: { $0.isWhitespace })
        // A leading bullet marker is layout, not content.
        while let first = s.first, bulletMarkers.contains(first) || (isEmoji(first) && s.dropFirst().first?.isWhitespace == true) {
            s = s.dropFirst().drop(while: { $0.isWhitespace })
        }
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        if trimmed.contains(where: { $0.isLetter || $0.isNumber }) { sentences.append(trimmed) }
    }

    /// True for characters inside a URL (`http://…`, `https://…`, `www.…`, `t.me/…`), whose dots end nothing.
    private static func urlMask(_ chars: [Character]) -> [Bool] {
        var mask = [Bool](repeating: false, count: chars.count)
        var i = 0
        while i < chars.count {
            let atWordStart = i == 0 || chars[i - 1].isWhitespace || chars[i - 1] == "(" || chars[i - 1] == "«"
            if atWordStart, startsURL(chars, at: i) {
                var j = i
                while j < chars.count, !chars[j].isWhitespace { j += 1 }
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

    private static let urlPrefixes: [(first: Character, text: String)] = ["https://", "http://", "www.", "t.me/"].map { ($0.first!, $0) }

    private static func startsURL(_ chars: [Character], at i: Int) -> Bool {
        let c = chars[i]
        guard c == "h" || c == "H" || c == "w" || c == "W" || c == "t" || c == "T" else { return false }
        for (first, prefix) in urlPrefixes where first == c || Character(first.uppercased()) == c {
            let n = prefix.count
            if i + n <= chars.count, String(chars[i..<(i + n)]).lowercased() == prefix { return true }
        }
        return false
    }

    static func isEmoji(_ c: Character) -> Bool {
        let scalars = c.unicodeScalars
        guard let first = scalars.first else { return false }
        if first.properties.isEmojiPresentation { return true }
        // Text-default emoji such as ❤ become emoji with the variation selector U+FE0F.
        return first.properties.isEmoji && scalars.contains("\u{FE0F}")
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
