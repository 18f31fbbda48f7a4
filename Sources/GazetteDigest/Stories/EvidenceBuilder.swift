import Foundation
import GazetteText

/// Builds every post's `PostEvidence` with the window's document frequencies: term ids are given in the posts' order,
/// so the vectors are the same in every run.
enum EvidenceBuilder {
    /// How often a headline word counts against a body word: headlines name the event, bodies add context.
    static let headlineWeight = 2.0
    /// A number or name in at most this share of the window's posts (and at least 3) is rare, and so evidence.
    static let rareShare = 0.05

    private struct Raw {
        var head: [Int32] = []
        var body: [Int32] = []
        var numbers: [Int32] = []
        var names: [Int32] = []
        var headlineNames: [[PostEvidence.NameWord]] = []
        var speakers: [[PostEvidence.NameWord]] = []
        var quotes: [Int32] = []
        var dates: [Int32] = []
        var deliberates = false
        var keys: [UInt32] = []
        var skeletons: [UInt32] = []
        var cyrillic = false
    }

    static func build(_ texts: [(text: String, preview: String?)]) -> [PostEvidence] {
        var ids: [String: Int32] = [:]
        func id(_ s: String) -> Int32 {
            if let id = ids[s] { return id }
            let id = Int32(ids.count)
            ids[s] = id
            return id
        }
        var raws: [Raw] = []
        raws.reserveCapacity(texts.count)
        Stemmer.with { stemmer in
            var pieces: [EvidenceReader.Piece] = []
            for t in texts {
                pieces.removeAll(keepingCapacity: true)
                var (head, body) = EvidenceReader.headline(t.text)
                if let preview = t.preview, !preview.isEmpty {
                    head += "\n" + preview
                    if body.isEmpty { body = "" }
                }
                EvidenceReader.pieces(head, headline: true, into: &pieces)
                pieces.append(.gap)
                EvidenceReader.pieces(body, headline: false, into: &pieces)
                raws.append(read(pieces, headText: head, stemmer: stemmer, id: id))
            }
        }
        var df = [Int32](repeating: 0, count: ids.count)
        for r in raws {
            for t in Set(r.head + r.body) { df[Int(t)] += 1 }
            for t in r.numbers { df[Int(t)] += 1 }
            for t in r.names { df[Int(t)] += 1 }
        }
        let n = Double(max(texts.count, 1))
        let rare = max(3, n * rareShare)
        let idf: (Int32) -> Double = { log((n + 1) / Double(df[Int($0)] + 1)) + 1 }
        return raws.map { r in
            PostEvidence(vector: SparseVector(r.head.map { ($0, headlineWeight) } + r.body.map { ($0, 1.0) }, idf: idf),
                         headline: SparseVector(Array(Set(r.head)).sorted(), idf: idf),
                         numbers: r.numbers, rareNumbers: r.numbers.filter { Double(df[Int($0)]) <= rare },
                         rareNames: r.names.filter { Double(df[Int($0)]) <= rare },
                         headlineNames: r.headlineNames, speakers: r.speakers, quotes: r.quotes, dates: r.dates,
                         deliberates: r.deliberates, keys: r.keys, skeletons: r.skeletons, cyrillic: r.cyrillic)
        }
    }

    private static func read(_ pieces: [EvidenceReader.Piece], headText: String, stemmer: Stemmer, id: (String) -> Int32) -> Raw {
        var r = Raw()
        // A capitalized first word of a sentence is a name when the post also writes it capitalized elsewhere.
        var capitalizedInside = Set<String>()
        var headWords = 0, headCapitalized = 0
        var bodyCapitalized = Set<String>()
        var cyrillicLetters = 0, latinLetters = 0
        var lowered = [String](repeating: "", count: pieces.count)  // each word's lowercase, made once
        for (k, p) in pieces.enumerated() {
            guard case let .word(w, capitalized, _, start, headline, _) = p else { continue }
            let lower = w.lowercased()
            lowered[k] = lower
            if capitalized && !start { capitalizedInside.insert(lower) }
            if headline && w.unicodeScalars.count > 3 { headWords += 1; if capitalized { headCapitalized += 1 } }
            if !headline && capitalized && !start { bodyCapitalized.insert(lower) }
            if let first = lower.unicodeScalars.first {
                if (0x0400...0x04FF).contains(first.value) { cyrillicLetters += 1 } else { latinLetters += 1 }
            }
        }
        r.cyrillic = cyrillicLetters >= latinLetters
        // "Bayern Provide Update On Vacant Manager Role": in a headline in title case, only words the body also
        // writes capitalized are names.
        let titleCase = headWords >= 3 && Double(headCapitalized) >= 0.6 * Double(headWords)
        var numbers = Set<Int32>(), names = Set<Int32>(), quotes = Set<Int32>(), dates = Set<Int32>()
        var keys = Set<UInt32>(), skeletons = Set<UInt32>()
        var words: [(lower: String, capitalized: Bool)] = []
        var runOpen = false
        var speakerRun: [PostEvidence.NameWord] = []
        for (k, p) in pieces.enumerated() {
            let wasOpen = runOpen
            runOpen = false
            switch p {
            case .gap:
                speakerRun = []
                words.append(("", false))
            case let .quote(text, _):
                let stems = text.split(separator: " ").map { stemmer.stem(String($0)) }.joined(separator: " ")
                quotes.insert(id("«" + stems))
            case let .number(value, _):
                speakerRun = []
                if value.count >= 2 || value.contains(".") { numbers.insert(id("#" + value)) }
                if !value.contains("."), let day = Int(value), (1...31).contains(day) {
                    let month = neighbourMonth(pieces, k)
                    if let month { dates.insert(Int32(month * 100 + day)) }
                }
            case let .word(_, capitalized, allCaps, start, headline, _):
                let lower = lowered[k]
                words.append((lower, capitalized))
                guard lower.unicodeScalars.count >= 2 || allCaps, !StopWords.common.contains(lower) else {
                    if headline && !StopWords.common.contains(lower) { speakerRun = [] }
                    continue
                }
                let stem = stemmer.stem(lower)
                if headline { r.head.append(id(stem)) } else { r.body.append(id(stem)) }
                if headline, EvidenceReader.deliberationStems.contains(where: { stem.utf8.starts(with: $0.utf8) }) { r.deliberates = true }
                var isName = capitalized && !EvidenceReader.notNames.contains(lower)
                    && (!start || capitalizedInside.contains(lower) || allCaps)
                if isName && headline && titleCase && !bodyCapitalized.contains(lower) { isName = false }
                if headline, EvidenceReader.speechStems.contains(where: { stem.utf8.starts(with: $0.utf8) }), !speakerRun.isEmpty {
                    r.speakers.append(speakerRun)
                }
                if isName {
                    names.insert(id("@" + stem))
                    let skeleton = Transliteration.skeleton(stem)
                    if let skeleton { skeletons.insert(StableHash.of(3, skeleton)) }
                    if headline {
                        let word = nameWord(lower, stem: stem, skeleton: skeleton, allCaps: allCaps)
                        if wasOpen { r.headlineNames[r.headlineNames.count - 1].append(word) } else { r.headlineNames.append([word]) }
                        runOpen = true
                        speakerRun = wasOpen ? speakerRun + [word] : [word]
                    }
                } else if headline {
                    speakerRun = []
                }
            }
        }
        // "Кудрин: …" opens a headline with its speaker; "… – Степанов" closes it.
        if let colon = headText.firstIndex(of: ":"), let first = r.headlineNames.first, first.count <= 3,
           headText[..<colon].split(separator: " ").count == first.count {
            r.speakers.append(first)
        }
        if let last = r.headlineNames.last, let dash = headText.lastIndex(where: { $0 == "–" || $0 == "—" || $0 == "-" }),
           headText[headText.index(after: dash)...].split(separator: " ").count == last.count, r.headlineNames.count > 1 {
            r.speakers.append(last)
        }
        // Where other posts' names are looked up: each word with its prefixes of three to five letters, and the
        // initials of each run of two to five words (ОПЗ ← «Одесский припортовый завод»).
        for (k, w) in words.enumerated() where !w.lower.isEmpty {
            keys.insert(StableHash.of(1, w.lower))
            StableHash.prefixes(1, w.lower, 3...5) { keys.insert($0) }
            // Acronyms stand for names, which start with a capital.
            guard w.capitalized else { continue }
            let firsts = words[k...].prefix(5).lazy.prefix { !$0.lower.isEmpty }.compactMap { $0.lower.unicodeScalars.first }
            StableHash.initials(2, firsts) { keys.insert($0) }
        }
        r.numbers = numbers.sorted()
        r.names = names.sorted()
        r.quotes = quotes.sorted()
        r.dates = dates.sorted()
        r.keys = keys.sorted()
        r.skeletons = skeletons.sorted()
        return r
    }

    static func prefix(_ s: String, _ n: Int) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.prefix(n)))
    }

    /// A name in a headline as other posts' names are matched against it; `skeleton` is `Transliteration.skeleton(stem)`.
    static func nameWord(_ lower: String, stem: String, skeleton: String?, allCaps: Bool) -> PostEvidence.NameWord {
        let letters = lower.unicodeScalars.count
        return PostEvidence.NameWord(prefix: StableHash.of(1, prefix(lower, 5)),
                                     stem: stem.unicodeScalars.count >= 3 ? StableHash.of(1, prefix(stem, 5)) : nil,
                                     acronym: allCaps && (2...5).contains(letters) ? StableHash.of(2, lower) : nil,
                                     skeleton: skeleton.map { StableHash.of(3, $0) })
    }

    /// The month named right after a day ("9 ноября", "17 November") or right before it ("Nov 17").
    static func neighbourMonth(_ pieces: [EvidenceReader.Piece], _ k: Int) -> Int? {
        if k + 1 < pieces.count, case let .word(w, _, _, _, _, _) = pieces[k + 1], let m = EvidenceReader.month(w.lowercased()) { return m }
        if k > 0, case let .word(w, _, _, _, _, _) = pieces[k - 1], let m = EvidenceReader.englishMonths[w.lowercased()] { return m }
        return nil
    }
}
