import Foundation
import GazetteCore
import GazetteText
@testable import GazetteDigest

/// The story merging Gazette shipped before issue 25, kept here as the reference the new method is measured against in
/// the same run: TF-IDF cosine of the whole text, plus 0.08 per shared rare number and 0.05 per shared rare name (at
/// most three of each), minus 0.15 when both give numbers and share none, linked at 0.26 when the cosine itself is at
/// least 0.1 and the posts are at most 36 h apart, stories the connected components (single link). It compares every
/// pair (the shipped one only the pairs its inverted index found, which gives the same links on these small sets).
enum IssueFifteenClusterer {
    static func clusters(_ unordered: [StoryClusterer.Item]) -> [[Int]] {
        let items = unordered.sorted(by: StoryClusterer.order)
        var ids: [String: Int32] = [:]
        func id(_ s: String) -> Int32 {
            if let id = ids[s] { return id }
            let id = Int32(ids.count)
            ids[s] = id
            return id
        }
        var raw: [(terms: [Int32], numbers: [Int32], entities: [Int32])] = []
        Stemmer.with { stemmer in
            for item in items {
                let f = Terms.features(item.post.text, stemmer: stemmer)
                raw.append((f.terms.map(id), Array(Set(f.numbers.map { id("#" + $0) })).sorted(), Array(Set(f.entities.map(id))).sorted()))
            }
        }
        var df = [Int32](repeating: 0, count: ids.count)
        for r in raw {
            for t in Set(r.terms) { df[Int(t)] += 1 }
            for t in r.numbers { df[Int(t)] += 1 }
        }
        let n = Double(max(items.count, 1))
        let rare = max(3, n * 0.05)
        let vectors = raw.map { r in SparseVector(r.terms) { log((n + 1) / Double(df[Int($0)] + 1)) + 1 } }
        var parent = Array(items.indices)
        func find(_ x: Int) -> Int { parent[x] == x ? x : find(parent[x]) }
        for i in items.indices {
            for j in 0..<i where items[i].post.date.timeIntervalSince(items[j].post.date) <= 36 * 3600 {
                let c = vectors[i].cosine(vectors[j])
                guard c >= 0.1 else { continue }
                let numbers = min(3, StoryLinks.shared(raw[i].numbers.filter { Double(df[Int($0)]) <= rare },
                                                       raw[j].numbers.filter { Double(df[Int($0)]) <= rare }))
                let entities = min(3, StoryLinks.shared(raw[i].entities.filter { Double(df[Int($0)]) <= rare },
                                                        raw[j].entities.filter { Double(df[Int($0)]) <= rare }))
                let conflict = !raw[i].numbers.isEmpty && !raw[j].numbers.isEmpty && StoryLinks.shared(raw[i].numbers, raw[j].numbers) == 0
                if c + 0.08 * Double(numbers) + 0.05 * Double(entities) - (conflict ? 0.15 : 0) >= 0.26 {
                    let a = find(i), b = find(j)
                    if a != b { parent[max(a, b)] = min(a, b) }
                }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in items.indices { groups[find(i), default: []].append(i) }
        return groups.keys.sorted().map { groups[$0]! }
    }
}
