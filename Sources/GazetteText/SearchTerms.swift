/// What the search index keeps of a post: the Snowball stem of each of its words (`SearchWords`), in order, so that
/// «выборах» is found by «выборы» and a phrase by its words next to each other. The text comes first, then the title of
/// its link preview. Both stores index exactly this list.
public enum SearchTerms {
    /// Words of one post that are indexed; later words are not (PostgreSQL keeps word positions up to 16,383).
    public static let maxWords = 16_383

    /// Calls `body` with the stem of each of the post's words, in order, as UTF-8 bytes valid only during the call:
    /// the words of `SearchWords.scanUTF8` through the stemmer's byte memo, with no `String` per word (the index's
    /// writers copy the bytes as they are).
    public static func forEach(text: String, title: String?, stemmer: Stemmer, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var count = 0
        func each(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
            stemmer.stem(utf8: word, body)
            count += 1
            return count < maxWords
        }
        guard SearchWords.scanUTF8(text, each), let title, !title.isEmpty else { return }
        SearchWords.scanUTF8(title, each)
    }

    /// The stems of the post's words, in order.
    public static func of(text: String, title: String?, stemmer: Stemmer) -> [String] {
        var out: [String] = []
        forEach(text: text, title: title, stemmer: stemmer) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    public static func of(text: String, title: String?) -> [String] {
        Stemmer.with { of(text: text, title: title, stemmer: $0) }
    }
}
