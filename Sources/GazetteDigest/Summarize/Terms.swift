import Foundation
import GazetteText

/// Turns text into the terms the summarizer and the story clusterer compare: lowercased words without stop words,
/// reduced to their Snowball stem so that «компания», «компании» and «компанию» (or "launch", "launched") count as one.
enum Terms {
    /// What a text says, as the clusterer compares it.
    struct Features {
        /// Stems of the words, in order, stop words left out.
        var terms: [String] = []
        /// Numbers of two or more digits ("2026", "15", "3.5" → "3.5").
        var numbers: [String] = []
        /// Stems of capitalized words that do not start a sentence: names of people, places, companies.
        var entities: [String] = []
    }

    static func of(_ sentence: String) -> [String] {
        Stemmer.with { features(sentence, stemmer: $0).terms }
    }

    static func of(_ sentence: String, stemmer: Stemmer) -> [String] {
        features(sentence, stemmer: stemmer).terms
    }

    static func features(_ text: String, stemmer: Stemmer) -> Features {
        var out = Features()
        WordScanner.scan(text) { token in
            guard case .word(let word) = token else { return }
            if word.isNumber {
                if word.scalars >= 2 || word.isDecimal { out.numbers.append(word.text) }
                return
            }
            guard word.scalars >= 2 else { return }
            let lower = word.text.lowercased()
            guard !StopWords.common.contains(lower) else { return }
            let stem = stemmer.stem(lower)
            out.terms.append(stem)
            if word.capitalized && !word.startsSentence { out.entities.append(stem) }
        }
        return out
    }
}
