import Foundation
import GazetteCore

/// Why a query cannot be searched, in words for the person who typed it.
public struct SearchQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Reads what a person types into a search box:
///
/// - words, all of which must be found, in any inflection (`выборы` finds «выборах», `election` finds "elections");
/// - `"quoted phrases"` (also «…» and “…”): the words next to each other, in this order;
/// - `-word` or `-"a phrase"`: posts with it are left out;
/// - `prefix*`: a word starting so (at least three letters before the `*`).
///
/// A word joined by hyphens or apostrophes («Санкт-Петербург», "don't") is a phrase of its parts, as the index reads
/// it. Very common words (`StopWords`) are dropped when the query has other words, so «выборы в Москве» looks for
/// «выборы» and «Москве»; inside quotes every word counts. Anything it cannot read is a `SearchQueryError` naming the
/// problem; nothing the user typed ever reaches SQL as text (the stores bind the stems as values).
public enum SearchQueryParser {
    public static let maxCharacters = 500
    public static let maxTerms = 20
    public static let minPrefixLetters = 3

    public static func parse(_ input: String) throws(SearchQueryError) -> SearchQuery {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw SearchQueryError("the query is empty: type a word to find") }
        guard text.count <= maxCharacters else {
            throw SearchQueryError("the query is \(text.count) characters long; at most \(maxCharacters)")
        }
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && !$0.properties.isWhitespace }) {
            throw SearchQueryError("the query contains control characters")
        }
        var include: [SearchQuery.Term] = []
        var exclude: [SearchQuery.Term] = []
        var commonWords: Set<SearchQuery.Term> = []
        try Stemmer.with { (stemmer: Stemmer) throws(SearchQueryError) in
            for item in try items(text) {
                guard let (term, common) = try term(item, stemmer: stemmer) else { continue }
                if item.negated {
                    if !exclude.contains(term) { exclude.append(term) }
                } else if !include.contains(term) {
                    include.append(term)
                    if common { commonWords.insert(term) }
                }
            }
        }
        // A common word narrows almost nothing and costs the most to look up: left out when other words remain.
        if include.contains(where: { !commonWords.contains($0) }) {
            include.removeAll { commonWords.contains($0) }
        }
        guard !include.isEmpty else {
            throw SearchQueryError(exclude.isEmpty
                ? "the query has no words to find: type letters or digits"
                : "the query only excludes (-word): add a word to find")
        }
        guard include.count + exclude.count <= maxTerms else {
            throw SearchQueryError("the query has \(include.count + exclude.count) words and phrases; at most \(maxTerms)")
        }
        return SearchQuery(text: text, include: include, exclude: exclude)
    }

    struct Item {
        enum Kind {
            case bare(String)
            case quoted(String)
        }
        var kind: Kind
        var negated: Bool
    }

    /// Opening quote → the quotes that close it.
    static let quotes: [Character: Set<Character>] = ["\"": ["\""], "«": ["»"], "“": ["”", "\""], "„": ["“", "”"]]

    /// Splits the query into bare words and quoted phrases, each possibly negated by a leading `-`.
    static func items(_ text: String) throws(SearchQueryError) -> [Item] {
        var out: [Item] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i].isWhitespace {
                i += 1
                continue
            }
            var negated = false
            if chars[i] == "-" {
                // A `-` alone (or before a space) is punctuation, not an exclusion.
                guard i + 1 < chars.count, !chars[i + 1].isWhitespace else {
                    i += 1
                    continue
                }
                negated = true
                i += 1
            }
            if let closers = quotes[chars[i]] {
                guard let close = chars[(i + 1)...].firstIndex(where: { closers.contains($0) }) else {
                    throw SearchQueryError("a quote is not closed: \(chars[i])\(String(chars[(i + 1)...].prefix(30))) needs its closing quote")
                }
                out.append(Item(kind: .quoted(String(chars[(i + 1)..<close])), negated: negated))
                i = close + 1
            } else {
                var end = i
                while end < chars.count, !chars[end].isWhitespace, quotes[chars[end]] == nil { end += 1 }
                out.append(Item(kind: .bare(String(chars[i..<end])), negated: negated))
                i = end
            }
        }
        return out
    }

    /// The term an item stands for, and whether it is one common word outside quotes; nil for an item without letters
    /// or digits (punctuation, an emoji).
    static func term(_ item: Item, stemmer: Stemmer) throws(SearchQueryError) -> (SearchQuery.Term, common: Bool)? {
        switch item.kind {
        case .quoted(let phrase):
            guard !phrase.contains("*") else {
                throw SearchQueryError("'*' works after a word outside quotes (metro*), not inside \"\(short(phrase))\"")
            }
            let words = SearchWords.of(phrase)
            guard !words.isEmpty else { throw SearchQueryError("the quotes \"\(short(phrase))\" hold no words") }
            return (words.count == 1 ? .word(stemmer.stem(words[0])) : .phrase(words.map(stemmer.stem)), false)
        case .bare(let raw):
            guard raw.contains("*") else {
                let words = SearchWords.of(raw)
                switch words.count {
                case 0: return nil
                case 1: return (.word(stemmer.stem(words[0])), StopWords.common.contains(words[0]))
                default: return (.phrase(words.map(stemmer.stem)), false)
                }
            }
            guard raw.last == "*", !raw.dropLast().contains("*") else {
                throw SearchQueryError("'*' goes at the end of a word, as in metro*; got '\(short(raw))'")
            }
            let words = SearchWords.of(String(raw.dropLast()))
            guard words.count == 1, let word = words.first else {
                throw SearchQueryError(words.isEmpty
                    ? "'*' needs at least \(minPrefixLetters) letters before it; got '\(short(raw))'"
                    : "'*' ends one word; '\(short(raw))' is several")
            }
            guard word.unicodeScalars.count >= minPrefixLetters else {
                throw SearchQueryError("'\(short(raw))' is too short: write at least \(minPrefixLetters) letters before *")
            }
            // The index holds stems, so a prefix matches a word whose stem starts with it («электр*» finds
            // «электричества»). A whole word typed before `*` is stemmed («выборы*» looks for «выбор*»), since the
            // stem of «выборы» is shorter than the word; a prefix longer than a word's stem ("electio*") misses it.
            let stem = stemmer.stem(word)
            if word.hasPrefix(stem), stem.unicodeScalars.count >= minPrefixLetters { return (.prefix([stem]), false) }
            return (stem == word ? .prefix([word]) : .prefix([word, stem]), false)
        }
    }

    static func short(_ s: String) -> String { s.count > 40 ? String(s.prefix(39)) + "…" : s }
}
