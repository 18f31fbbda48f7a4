/// What the search index keeps of a post: the Snowball stem of each of its words (`SearchWords`), in order, so that
/// «выборах» is found by «выборы» and a phrase by its words next to each other. The text comes first, then the title of
/// its link preview. Both stores index exactly this list.
public enum SearchTerms {
    /// Words of one post that are indexed; later words are not (PostgreSQL keeps word positions up to 16,383).
    public static let maxWords = 16_383

    /// The stems of the post's words, in order.
    public static func of(text: String, title: String?, stemmer: Stemmer) -> [String] {
        var out: [String] = []
        for part in [text, title ?? ""] where !part.isEmpty {
            SearchWords.scan(part) { _, word in
                out.append(stemmer.stem(word))
                return out.count < maxWords
            }
            if out.count >= maxWords { break }
        }
        return out
    }

    public static func of(text: String, title: String?) -> [String] {
        Stemmer.with { of(text: text, title: title, stemmer: $0) }
    }
}
