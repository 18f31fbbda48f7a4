import GazetteCore
import GazetteText

/// A post and a query as each search engine takes them. The words are `SearchTerms` (Snowball stems of letters and
/// digits only); what the user typed never reaches SQL: these strings are bound as values, and inside them every term is
/// quoted by the engine's own syntax.
enum SearchDocument {
    /// What SQLite's FTS5 table keeps of a post: its terms separated by spaces, which the table's `ascii` tokenizer
    /// splits back into exactly these terms (they hold no ASCII punctuation or spaces).
    static func fts5(_ terms: [String]) -> String { terms.joined(separator: " ") }

    /// The same terms as a PostgreSQL `tsvector` literal, with their positions (for phrases): `'выбор':1,7 'москв':2`.
    /// PostgreSQL keeps at most 256 positions of one lexeme; the rest are left out here rather than by the server.
    static func tsvector(_ terms: [String]) -> String {
        var positions: [String: [Int]] = [:]
        var order: [String] = []
        for (i, term) in terms.enumerated() {
            if positions[term] == nil { order.append(term) }
            if positions[term, default: []].count < 256 { positions[term, default: []].append(i + 1) }
        }
        return order.map { lexeme($0) + ":" + positions[$0, default: []].map(String.init).joined(separator: ",") }
            .joined(separator: " ")
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
