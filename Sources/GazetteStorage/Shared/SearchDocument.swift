import GazetteCore
import GazetteText

/// A post and a query as each search engine takes them. The words are `SearchTerms` (Snowball stems of letters and
/// digits only); what the user typed never reaches SQL: these strings are bound as values, and inside them every term is
/// quoted by the engine's own syntax.
enum SearchDocument {
    /// What SQLite's FTS5 table keeps of a post, as UTF-8: its terms separated by spaces, which the table's `ascii`
    /// tokenizer splits back into exactly these terms (they hold no ASCII punctuation or spaces). Written from the
    /// stems' bytes (`SearchTerms.forEach`): an array of `String`s joined cost more than the stemming.
    static func fts5(text: String, title: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        Stemmer.with { stemmer in
            SearchTerms.forEach(text: text, title: title, stemmer: stemmer) { stem in
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: stem)
            }
        }
        return out
    }

    /// The same terms as a PostgreSQL `tsvector` literal, with their positions (for phrases): `'выбор':1,7 'москв':2`,
    /// lexemes in the order they first appear. PostgreSQL keeps at most 256 positions of one lexeme; the rest are left
    /// out here rather than by the server. Built from the stems' bytes, as `fts5(text:title:)` is.
    static func tsvector(text: String, title: String?) -> String {
        var lexemes: [(term: [UInt8], positions: [Int])] = []
        var known: [[UInt8]: Int] = [:]
        var position = 0
        Stemmer.with { stemmer in
            SearchTerms.forEach(text: text, title: title, stemmer: stemmer) { stem in
                position += 1
                let term = Array(stem)
                if let i = known[term] {
                    if lexemes[i].positions.count < 256 { lexemes[i].positions.append(position) }
                } else {
                    known[term] = lexemes.count
                    lexemes.append((term, [position]))
                }
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        for (term, positions) in lexemes {
            if !out.isEmpty { out.append(0x20) }
            out.append(0x27)  // '
            for byte in term {
                // Terms are letters and digits; a quote or backslash would still be escaped as `lexeme` does.
                if byte == 0x27 || byte == 0x5C { out.append(byte) }
                out.append(byte)
            }
            out.append(0x27)
            out.append(0x3A)  // :
            for (i, p) in positions.enumerated() {
                if i > 0 { out.append(0x2C) }  // ,
                out.append(contentsOf: String(p).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The FTS5 query: `"выбор" AND ("москв" * OR …) AND "нов тариф"`, then `NOT (…)` for the excluded terms.
    static func fts5(_ query: SearchQuery) -> String {
        func term(_ t: SearchQuery.Term) -> String {
            switch t {
            case .word(let stem): quoted(stem)
            case .prefix(let starts): "(" + starts.map { quoted($0) + " *" }.joined(separator: " OR ") + ")"
            case .phrase(let stems): quoted(stems.joined(separator: " "))
            }
        }
        let wanted = query.include.map(term).joined(separator: " AND ")
        guard !query.exclude.isEmpty else { return wanted }
        return "(" + wanted + ") NOT (" + query.exclude.map(term).joined(separator: " OR ") + ")"
    }

    /// The `tsquery`: `'выбор' & ('москв':* | …) & ('нов' <-> 'тариф') & !'реклам'`.
    static func tsquery(_ query: SearchQuery) -> String {
        func term(_ t: SearchQuery.Term) -> String {
            switch t {
            case .word(let stem): lexeme(stem)
            case .prefix(let starts): "(" + starts.map { lexeme($0) + ":*" }.joined(separator: " | ") + ")"
            case .phrase(let stems): "(" + stems.map(lexeme).joined(separator: " <-> ") + ")"
            }
        }
        return (query.include.map(term) + query.exclude.map { "!" + term($0) }).joined(separator: " & ")
    }

    private static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func lexeme(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
