import Foundation

/// What one post says about its event, as `StoryLinks` compares posts (issue 25): the words (headline words count
/// twice), and the evidence that tells one event from another of the same kind — the names and figures, quoted titles,
/// dates, who is quoted in the headline, and whether the headline reports a discussion rather than its outcome.
struct PostEvidence {
    /// TF-IDF over stems of the whole post, headline words counted twice.
    var vector: SparseVector
    /// TF-IDF over the headline's stems alone.
    var headline: SparseVector
    /// Every number of two or more digits (ids, sorted), and those rare in the window.
    var numbers: [Int32]
    var rareNumbers: [Int32]
    /// Stems of names (capitalized words that are not just a sentence's first word), rare in the window.
    var rareNames: [Int32]
    /// Names of the headline, one run of adjacent capitalized words each («Брест», "Tim Cook").
    var headlineNames: [[NameWord]]
    /// Who the headline quotes: the name before a verb of speech («Пушков назвал…»), opening it with a colon
    /// ("Кудрин: …") or closing it after a dash ("… – Степанов").
    var speakers: [[NameWord]]
    /// Titles in quotation marks («На спорте», «Кофемания»), as stems.
    var quotes: [Int32]
    /// Calendar dates the post names (month · 100 + day), sorted.
    var dates: [Int32]
    /// The headline reports a discussion or a review («обсуждает», "considers"), not its outcome.
    var deliberates: Bool
    /// What names of other posts are looked up in: hashed word prefixes and the initials of word runs (acronyms).
    var keys: [UInt32]
    /// Consonant skeletons of the names written in Latin letters («Трамп» and "Trump" → "trmp"), hashed and sorted.
    var skeletons: [UInt32]
    /// Most of the letters are Cyrillic.
    var cyrillic: Bool

    /// A name as other posts are searched for it.
    struct NameWord: Hashable {
        /// The first five letters (the whole word when shorter).
        var prefix: UInt32
        /// The Snowball stem's first five letters, when the stem has three or more.
        var stem: UInt32?
        /// The word as an acronym (all capitals, two to five letters).
        var acronym: UInt32?
        /// Its consonant skeleton, to find it in a post in the other script.
        var skeleton: UInt32?
    }

    /// Whether this post mentions the name: a word with its prefix or its stem's, or words whose initials spell it.
    func mentions(_ word: NameWord) -> Bool {
        if let skeleton = word.skeleton, Self.contains(skeletons, skeleton) { return true }
        if Self.contains(keys, word.prefix) { return true }
        if let stem = word.stem, Self.contains(keys, stem) { return true }
        if let acronym = word.acronym, Self.contains(keys, acronym) { return true }
        return false
    }

    /// Whether this post mentions any word of the run ("Андрей Есипенко" is mentioned by «Есипенко»).
    func mentions(run: [NameWord]) -> Bool {
        run.contains { mentions($0) }
    }

    static func contains(_ sorted: [UInt32], _ value: UInt32) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }
}

/// Splits a post into the pieces `PostEvidence` is made of, from the words of `WordScanner` (the summarizer's too).
struct EvidenceReader {
    enum Piece {
        case word(String, capitalized: Bool, allCaps: Bool, sentenceStart: Bool, headline: Bool, quoted: Bool)
        case number(String, headline: Bool)
        case quote(String, headline: Bool)
        case gap
    }

    /// The post's headline and the rest: its first line when the post has several and the first is short, else its
    /// first sentence. A link preview's title is part of the headline.
    ///
    /// Scalars and bytes rather than `Character`s: a post is read whole only by the sentence splitter, for its first
    /// sentence.
    static func headline(_ text: String) -> (head: String, body: String) {
        // Trimmed of `whitespacesAndNewlines`, which is Unicode's White_Space.
        let scalars = text.unicodeScalars
        guard let from = scalars.firstIndex(where: { !$0.fastIsWhitespace }),
              let last = scalars.lastIndex(where: { !$0.fastIsWhitespace }) else { return ("", "") }
        let trimmed = String(text[from...last])
        if let br = trimmed.unicodeScalars.firstIndex(where: isLineBreak) {
            let first = trimmed[..<br].trimmingCharacters(in: .whitespaces)
            if !first.isEmpty, first.count <= 220 { return (first, String(trimmed[br...])) }
        }
        guard let first = SentenceSplitter.first(trimmed), first.utf8.count < trimmed.utf8.count,
              let end = SentenceSplitter.end(of: first, in: trimmed) else { return (trimmed, "") }
        return (first, String(trimmed[end...]))
    }

    /// What `Character.isNewline` is for a scalar ("\r\n" is two of them).
    private static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    static let quoteOpen: Set<Unicode.Scalar> = ["«", "“", "„", "\""]
    static let quoteClose: Set<Unicode.Scalar> = ["»", "”", "“", "\""]

    /// The pieces of one part of a post, in order.
    static func pieces(_ text: String, headline: Bool, into out: inout [Piece]) {
        var quoted = false
        var quoteWords: [String] = []
        WordScanner.scan(text) { token in
            switch token {
            case .word(let word) where word.isNumber:
                out.append(.number(word.text, headline: headline))
            case .word(let word):
                out.append(.word(word.text, capitalized: word.capitalized, allCaps: word.uppercase == word.scalars && word.scalars >= 2,
                                 sentenceStart: word.startsSentence, headline: headline, quoted: quoted))
                if quoted { quoteWords.append(word.text.lowercased()) }
            case .lineBreak:
                out.append(.gap)
            case .mark(let c):
                if quoted && quoteClose.contains(c) && !(c == "\"" && quoteWords.isEmpty) {
                    if (1...6).contains(quoteWords.count) { out.append(.quote(quoteWords.joined(separator: " "), headline: headline)) }
                    quoted = false
                    quoteWords = []
                } else if !quoted && quoteOpen.contains(c) {
                    quoted = true
                    quoteWords = []
                } else {
                    out.append(.gap)
                }
            }
        }
    }

    /// Capitalized words that are not names: headline labels, months and weekdays.
    static let notNames: Set<String> = [
        "сми", "видео", "фото", "онлайн", "срочно", "video", "photo", "watch", "podcast", "update", "breaking", "live", "exclusive",
        "report", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday",
    ]

    static let russianMonths = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
                                "ноября", "декабря"]
    static let englishMonths: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6,
        "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
        "november": 11, "dec": 12, "december": 12,
    ]

    static func month(_ lower: String) -> Int? {
        if let i = russianMonths.firstIndex(of: lower) { return i + 1 }
        return englishMonths[lower]
    }

    /// Stems that make a headline a report of speech, and of a discussion or review.
    static let speechStems = ["заяв", "назва", "назвал", "сообщ", "счита", "рассказ", "прокомментир", "призва", "предупред", "ответ",
                              "отмет", "поясн", "уверен", "высказа", "раскритик", "объясн", "пообеща", "признал", "опроверг",
                              "say", "said", "call", "warn", "claim", "urg", "slam", "criticis", "criticiz", "tell", "told",
                              "accus", "insist"]
    static let deliberationStems = ["обсужда", "обсуд", "рассматрива", "рассмотр", "обдумыва", "discuss", "debat", "weigh",
                                    "consider", "mull"]
}
