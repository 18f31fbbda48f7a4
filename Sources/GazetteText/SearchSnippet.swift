import GazetteCore

/// A short piece of a post around what a search found, with the matching words marked. Each surface marks them its own
/// way (`rendered`): `<mark>` on the web page, bold in the bot, `**…**` in MCP answers and the command line.
public struct SearchSnippet: Sendable, Hashable {
    public struct Part: Sendable, Hashable {
        public var text: String
        public var marked: Bool
        public init(text: String, marked: Bool) {
            self.text = text
            self.marked = marked
        }
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }

    /// The snippet's text without marks.
    public var text: String { parts.map(\.text).joined() }

    /// The snippet with every part passed through `plain` (e.g. HTML escaping) and the marked ones then through `mark`.
    public func rendered(plain: (String) -> String = { $0 }, mark: (String) -> String) -> String {
        parts.map { $0.marked ? mark(plain($0.text)) : plain($0.text) }.joined()
    }

    /// Marked as `**word**`, the form of MCP answers and `gazette search`.
    public var markdownBold: String { rendered { "**\($0)**" } }

    /// The part of `text` of about `maxCharacters` characters with the most words matching `query` (a word matches by
    /// its stem, as the search did), whitespace collapsed, `…` where the post goes on. A post whose text has no match
    /// (it matched by its link preview's title) gives its beginning.
    public static func make(text: String, query: SearchQuery, maxCharacters: Int = 240) -> SearchSnippet {
        let matches = matchedWords(in: text, query: query)
        let window = self.window(text, matches: matches, maxCharacters: maxCharacters)
        var parts: [Part] = []
        func add(_ piece: Substring, marked: Bool) {
            let collapsed = collapseWhitespace(piece)
            guard !collapsed.isEmpty else { return }
            if let last = parts.last, last.marked == marked {
                parts[parts.count - 1].text += collapsed
            } else {
                parts.append(Part(text: collapsed, marked: marked))
            }
        }
        if window.lowerBound > text.startIndex { add("…", marked: false) }
        var at = window.lowerBound
        for range in matches where range.lowerBound >= window.lowerBound && range.upperBound <= window.upperBound {
            let gap = text[at..<range.lowerBound]
            // Matched words with only spaces between them are one mark («**новые тарифы**»).
            if parts.last?.marked == true, !gap.isEmpty, gap.allSatisfy(\.isWhitespace) {
                parts[parts.count - 1].text += " " + collapseWhitespace(text[range])
            } else {
                add(gap, marked: false)
                add(text[range], marked: true)
            }
            at = range.upperBound
        }
        add(text[at..<window.upperBound], marked: false)
        if let first = parts.first, !first.marked, first.text.first == " " { parts[0].text.removeFirst() }
        if let last = parts.last, !last.marked, last.text.last == " " { parts[parts.count - 1].text.removeLast() }
        if window.upperBound < text.endIndex { add("…", marked: false) }
        return SearchSnippet(parts: parts.filter { !$0.text.isEmpty })
    }

    /// Words looked at for matches: a snippet comes from the beginning of a very long post.
    static let maxWordsScanned = 20_000

    /// Ranges of the words of `text` that the query's included words, phrases and prefixes match.
    static func matchedWords(in text: String, query: SearchQuery) -> [Range<String.Index>] {
        var stems: Set<String> = []
        var prefixes: [String] = []
        for term in query.include {
            switch term {
            case .word(let stem): stems.insert(stem)
            case .phrase(let words): stems.formUnion(words)
            case .prefix(let starts): prefixes += starts
            }
        }
        var out: [Range<String.Index>] = []
        var scanned = 0
        Stemmer.with { stemmer in
            SearchWords.scan(text) { range, word in
                let stem = stemmer.stem(word)
                if stems.contains(stem) || prefixes.contains(where: { stem.hasPrefix($0) }) { out.append(range) }
                scanned += 1
                return scanned < maxWordsScanned
            }
        }
        return out
    }

    /// The range to show: starting a little before the match with the most matches in the `maxCharacters` after it,
    /// on word boundaries.
    static func window(_ text: String, matches: [Range<String.Index>], maxCharacters: Int) -> Range<String.Index> {
        var best = text.startIndex, bestCount = 0
        for (i, match) in matches.prefix(200).enumerated() {
            let reach = text.index(match.lowerBound, offsetBy: maxCharacters * 3 / 4, limitedBy: text.endIndex) ?? text.endIndex
            let count = matches[i...].prefix { $0.upperBound <= reach }.count
            if count > bestCount {
                best = match.lowerBound
                bestCount = count
            }
        }
        // A match near the beginning shows the beginning: the post's first words say most about it.
        let early = text.index(text.startIndex, offsetBy: maxCharacters * 2 / 3, limitedBy: text.endIndex) ?? text.endIndex
        var start = best < early ? text.startIndex
            : text.index(best, offsetBy: -maxCharacters / 6, limitedBy: text.startIndex) ?? text.startIndex
        if start > text.startIndex {
            // Begin at a word: after the nearest whitespace at or after `start`, unless that passes the match.
            if let space = text[start..<best].firstIndex(where: \.isWhitespace) { start = text.index(after: space) } else { start = best }
        }
        var end = text.index(start, offsetBy: maxCharacters, limitedBy: text.endIndex) ?? text.endIndex
        if end < text.endIndex, let space = text[start..<end].lastIndex(where: \.isWhitespace), space > best {
            end = space
        }
        return start..<end
    }

    static func collapseWhitespace(_ s: Substring) -> String {
        var out = ""
        var space = false
        for c in s {
            if c.isWhitespace {
                space = true
            } else {
                if space { out.append(" ") }
                space = false
                out.append(c)
            }
        }
        if space { out.append(" ") }
        return out
    }
}
