import Foundation

/// How strongly two posts look like reports of one event (issue 25), and why. Explainable by construction: a score is
/// the word similarity plus the evidence both posts share, minus the evidence that they report two events.
struct PairScore: Sendable, CustomStringConvertible {
    var score: Double
    /// A hard contradiction: two different quoted titles, or near-identical posts whose headlines name different places
    /// or people that the other never mentions. Such posts never share a story, whatever else they share.
    var vetoed = false
    var cosine = 0.0
    var headlines = 0.0
    var names = 0
    var figures = 0
    var crossLanguage = false
    var hours = 0.0
    var found: Found = []

    /// The evidence against one event that was found.
    struct Found: OptionSet, Sendable {
        let rawValue: UInt16
        static let differentTitles = Found(rawValue: 1 << 0)
        static let differentNames = Found(rawValue: 1 << 1)
        static let comment = Found(rawValue: 1 << 2)
        static let discussion = Found(rawValue: 1 << 3)
        static let oneChannel = Found(rawValue: 1 << 4)
        static let differentFigures = Found(rawValue: 1 << 5)
        static let differentDates = Found(rawValue: 1 << 6)
    }

    var description: String {
        var parts = [String(format: "words %.2f, headlines %.2f", cosine, headlines)]
        if names + figures > 0 { parts.append("\(names) names, \(figures) figures shared" + (crossLanguage ? " across languages" : "")) }
        let named: [(Found, String)] = [
            (.differentTitles, "different quoted titles"), (.differentNames, "headlines name different places or people"),
            (.comment, "a comment by someone the other does not cite"), (.discussion, "a discussion and its outcome"),
            (.oneChannel, "one channel"), (.differentFigures, "different figures"), (.differentDates, "different dates"),
        ]
        for (flag, text) in named where found.contains(flag) { parts.append(text) }
        if hours > 12 { parts.append(String(format: "%.0f h apart", hours)) }
        return String(format: "%.3f", score) + (vetoed ? " vetoed" : "") + " [" + parts.joined(separator: "; ") + "]"
    }
}

enum StoryLinks {
    /// Evaluates one pair of posts. `channels` tells whether they come from one channel; `hours` how far apart they are.
    static func score(_ a: PostEvidence, _ b: PostEvidence, sameChannel: Bool, hours: Double, options: StoryOptions) -> PairScore {
        var out = PairScore(score: 0)
        out.cosine = a.vector.cosine(b.vector)
        out.headlines = a.headline.cosine(b.headline)
        out.hours = hours
        var s = out.cosine + options.headlineBonus * out.headlines
        if out.cosine >= options.minimumCosine {
            out.names = min(3, shared(a.rareNames, b.rareNames))
            out.figures = min(3, shared(a.rareNumbers, b.rareNumbers))
            s += 0.05 * Double(out.names) + 0.08 * Double(out.figures)
        }
        // Russian and English: names written alike after transliteration, and figures.
        if a.cyrillic != b.cyrillic {
            let names = min(3, shared(a.skeletons, b.skeletons))
            let figures = min(2, shared(a.numbers, b.numbers) + shared(a.dates, b.dates))
            let cross = 0.12 * Double(names) + 0.1 * Double(figures)
            if cross > s {
                s = cross
                out.names = names
                out.figures = figures
                out.crossLanguage = true
            }
        }
        if !a.quotes.isEmpty && !b.quotes.isEmpty && shared(a.quotes, b.quotes) == 0 {
            out.vetoed = true
            out.found.insert(.differentTitles)
        }
        if a.headlineNames.contains(where: { !b.mentions(run: $0) }) && b.headlineNames.contains(where: { !a.mentions(run: $0) }) {
            // Near-identical posts about different places or people are one outlet's series ("Погода в Бресте",
            // "Погода в Гомеле"). Otherwise the names may be two names of one thing (ЦБ, Банк России): a penalty,
            // waived when the posts share a rare figure, the strongest evidence of one event.
            if out.cosine >= 0.5 {
                out.vetoed = true
                out.found.insert(.differentNames)
            } else if shared(a.rareNumbers, b.rareNumbers) == 0 {
                s -= options.namePenalty
                out.found.insert(.differentNames)
            }
        }
        if a.speakers.contains(where: { !b.mentions(run: $0) }) || b.speakers.contains(where: { !a.mentions(run: $0) }) {
            s -= options.commentPenalty
            out.found.insert(.comment)
        }
        if a.deliberates != b.deliberates {
            s -= options.discussionPenalty
            out.found.insert(.discussion)
        }
        if sameChannel && out.cosine < 0.9 {
            s -= options.sameChannelPenalty
            out.found.insert(.oneChannel)
        }
        if !a.numbers.isEmpty && !b.numbers.isEmpty && shared(a.numbers, b.numbers) == 0 {
            s -= options.conflictPenalty
            out.found.insert(.differentFigures)
        }
        if !a.dates.isEmpty && !b.dates.isEmpty && shared(a.dates, b.dates) == 0 {
            s -= options.datePenalty
            out.found.insert(.differentDates)
        }
        if hours > 12 { s -= 0.05 * (hours - 12) / 12 }
        out.score = s
        return out
    }

    /// How many values two sorted arrays share.
    static func shared<T: Comparable>(_ a: [T], _ b: [T]) -> Int {
        var i = 0, j = 0, n = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                n += 1
                i += 1
                j += 1
            } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }
}
