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
    /// Words repeat a lot within a digest; stemming each once is most of the win.
    private var cache: [String: String] = [:]

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
        if let hit = cache[word] { return hit }
        let isCyrillic = word.unicodeScalars.first.map { (0x0400...0x04FF).contains($0.value) } ?? false
        let handle = isCyrillic ? russian : english
        var utf8 = Array(word.utf8)
        let stem: String = utf8.withUnsafeMutableBufferPointer { buffer in
            guard let out = sb_stemmer_stem(handle, buffer.baseAddress, Int32(buffer.count)) else { return word }
            let length = Int(sb_stemmer_length(handle))
            guard length > 0 else { return word }
            return String(decoding: UnsafeBufferPointer(start: out, count: length), as: UTF8.self)
        }
        if cache.count > 50_000 { cache.removeAll(keepingCapacity: true) }
        cache[word] = stem
        return stem
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
