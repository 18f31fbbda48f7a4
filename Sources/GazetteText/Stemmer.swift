import CStemmer
import Synchronization

/// Snowball stemmers (Debian's libstemmer) for Russian and English: «выборы», «выборах» → «выбор»;
/// "elections", "election" → "elect". A word in Cyrillic goes to the Russian stemmer, any other word to the English one.
/// The digest (summaries, stories, filters) and search (the index and queries) use the same stems.
///
/// A libstemmer handle keeps state between calls, so one `Stemmer` is used by one thread at a time: take one from
/// `Stemmer.with`, which lends an idle one from a small pool (or makes one) and takes it back afterwards.
public final class Stemmer {
    private let russian: OpaquePointer
    private let english: OpaquePointer
    /// Words repeat a lot, in a digest and in the posts of an index; stemming each once is most of the win.
    private var memo = StemMemo()

    init?() {
        guard let ru = sb_stemmer_new("russian", "UTF_8") else { return nil }
        guard let en = sb_stemmer_new("english", "UTF_8") else {
            sb_stemmer_delete(ru)
            return nil
        }
        russian = ru
        english = en
    }

    deinit {
        sb_stemmer_delete(russian)
        sb_stemmer_delete(english)
    }

    /// The stem of one lowercased word; the word itself when the stemmer gives nothing.
    public func stem(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in stem(utf8: bytes) { String(decoding: $0, as: UTF8.self) } }
    }

    /// Calls `body` with the stem of one lowercased word given as UTF-8 bytes (the word itself when the stemmer gives
    /// nothing). The stem's bytes are valid only during the call.
    public func stem<R>(utf8 word: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if word.isEmpty { return body(word) }
        let hash = StemMemo.hash(word)
        if let known = memo.withStem(of: word, hash: hash, body) { return known }
        // A word in Cyrillic (U+0400–U+04FF: lead bytes D0–D3) goes to the Russian stemmer.
        let handle = word.first.map { (0xD0...0xD3).contains($0) } == true ? russian : english
        let out = sb_stemmer_stem(handle, word.baseAddress, Int32(word.count))
        let length = out == nil ? 0 : Int(sb_stemmer_length(handle))
        let stem = length > 0 ? UnsafeBufferPointer(start: out, count: length) : word
        memo.insert(word: word, hash: hash, stem: stem)
        return body(stem)
    }

    private static let pool = Mutex<[Stemmer]>([])

    /// Runs `body` with a stemmer no other thread uses meanwhile.
    public static func with<T, E: Error>(_ body: (Stemmer) throws(E) -> T) throws(E) -> T {
        let lent = pool.withLock { $0.popLast() }
        guard let stemmer = lent ?? Stemmer() else {
            fatalError("libstemmer has no Russian or English stemmer")  // both are built into every libstemmer
        }
        defer { pool.withLock { if $0.count < 8 { $0.append(stemmer) } } }
        return try body(stemmer)
    }
}

extension Stemmer: @unchecked Sendable {}  // lent to one thread at a time by `with`
