/// The stems a `Stemmer` has already computed, keyed by the word's UTF-8 bytes. Text repeats its words (a Zipfian
/// vocabulary), so most lookups hit. A `[String: String]` cost as much as the stemming it saved: hashing a non-ASCII
/// `String` goes through Unicode normalization. This table hashes the bytes (FNV-1a) and keeps words and stems in one
/// byte array, so a hit allocates nothing. It holds at most `capacity` words and starts over when full.
struct StemMemo {
    static let capacity = 50_000

    private struct Entry {
        var hash: UInt64
        var start: Int  // the word's bytes, then its stem's, in `bytes`
        var wordLength: Int
        var stemLength: Int
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Open addressing, linear probing: an entry's index + 1, 0 for an empty slot. Kept at most half full; it grows
    /// with the entries, so a stemmer that sees few words stays small.
    private var slots = [Int32](repeating: 0, count: 1_024)
    private var mask = 1_023

    static func hash(_ word: UnsafeBufferPointer<UInt8>) -> UInt64 { FNV1a.hash(word) }

    /// Calls `body` with the stem of `word` if it is known.
    func withStem<R>(of word: UnsafeBufferPointer<UInt8>, hash: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index == 0 { return nil }
            let entry = entries[index - 1]
            if entry.hash == hash && entry.wordLength == word.count {
                let found: R? = bytes.withUnsafeBufferPointer { all in
                    let stored = UnsafeBufferPointer(rebasing: all[entry.start..<entry.start + entry.wordLength])
                    guard stored.elementsEqual(word) else { return nil }
                    let stemStart = entry.start + entry.wordLength
                    return body(UnsafeBufferPointer(rebasing: all[stemStart..<stemStart + entry.stemLength]))
                }
                if let found { return found }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers the stem of a word that `withStem` did not know.
    mutating func insert(word: UnsafeBufferPointer<UInt8>, hash: UInt64, stem: UnsafeBufferPointer<UInt8>) {
        if entries.count >= Self.capacity {
            entries.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            for i in slots.indices { slots[i] = 0 }
        }
        entries.append(Entry(hash: hash, start: bytes.count, wordLength: word.count, stemLength: stem.count))
        bytes.append(contentsOf: word)
        bytes.append(contentsOf: stem)
        if entries.count * 2 > slots.count {
            slots = [Int32](repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for index in entries.indices { place(index) }
        } else {
            place(entries.count - 1)
        }
    }

    private mutating func place(_ index: Int) {
        var slot = Int(truncatingIfNeeded: entries[index].hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index + 1)
    }
}
