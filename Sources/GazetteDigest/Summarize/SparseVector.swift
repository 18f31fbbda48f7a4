import Foundation

/// A TF-IDF vector over term ids, its entries sorted by term and scaled to unit length. The one vector type of the
/// extractive summarizer (a sentence) and the story clusterer (a post), so both weigh terms and compare texts the same way.
///
/// Term ids come from the caller, given in a fixed order, and every sum runs over the sorted entries: the same texts give
/// bit-for-bit the same vectors and cosines in every process (summing in dictionary order would not, because Swift seeds
/// hashing per process).
struct SparseVector: Sendable {
    struct Entry: Sendable {
        var term: Int32
        var weight: Double
    }

    private(set) var entries: [Entry]

    /// `(1 + ln tf) · idf(term)` for each distinct term, scaled to unit length. `terms` holds each occurrence with its
    /// weight (1 for a word of the text; more where a word counts more, such as a headline's).
    init(_ terms: [(term: Int32, count: Double)], idf: (Int32) -> Double) {
        var entries: [Entry] = []
        for t in terms.sorted(by: { $0.term < $1.term }) {
            if let last = entries.last, last.term == t.term {
                entries[entries.count - 1].weight += t.count
            } else {
                entries.append(Entry(term: t.term, weight: t.count))
            }
        }
        var norm = 0.0
        for k in entries.indices {
            entries[k].weight = (1 + log(entries[k].weight)) * idf(entries[k].term)
            norm += entries[k].weight * entries[k].weight
        }
        norm = norm.squareRoot()
        if norm > 0 { for k in entries.indices { entries[k].weight /= norm } }
        self.entries = entries
    }

    /// Every occurrence counts once.
    init(_ terms: [Int32], idf: (Int32) -> Double) {
        self.init(terms.map { ($0, 1.0) }, idf: idf)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The cosine of two unit vectors: a merge of the sorted entries.
    func cosine(_ other: SparseVector) -> Double {
        let a = entries, b = other.entries
        var i = 0, j = 0
        var sum = 0.0
        while i < a.count, j < b.count {
            if a[i].term == b[j].term {
                sum += a[i].weight * b[j].weight
                i += 1
                j += 1
            } else if a[i].term < b[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    /// The cosine with a dense unit vector indexed by term (a centroid).
    func cosine(dense: [Double]) -> Double {
        entries.reduce(0) { $0 + $1.weight * dense[Int($1.term)] }
    }

    /// The `count` heaviest terms, heaviest first (the lower id on a tie).
    func heaviest(_ count: Int) -> [Int32] {
        entries.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }.prefix(count).map(\.term)
    }
}
