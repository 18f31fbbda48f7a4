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
        var word = String.UnicodeScalarView()
        var digitsOnly = true
        var capitalized = false
        var sentenceStart = true
        var decimal = false
        func flush() {
            guard !word.isEmpty else { return }
            var endsSentence = false
            if word.last == "." {  // "в 2026." ends the sentence
                word.removeLast()
                endsSentence = true
            }
            let wasStart = sentenceStart
            sentenceStart = endsSentence
            let text = String(word)
            let isNumber = digitsOnly, isCapitalized = capitalized, isDecimal = decimal && text.contains(".")
            word = String.UnicodeScalarView()
            digitsOnly = true
            capitalized = false
            decimal = false
            if isNumber {
                if text.count >= 2 || isDecimal { out.numbers.append(text) }
                return
            }
            guard text.count >= 2 else { return }
            let lower = text.lowercased()
            guard !StopWords.common.contains(lower) else { return }
            let stem = stemmer.stem(lower)
            out.terms.append(stem)
            if isCapitalized && !wasStart { out.entities.append(stem) }
        }
        var inURL = false
        var previous: Unicode.Scalar = " "
        // Scalars, not Characters: grapheme breaking is the expensive part and words need none of it.
        for c in text.unicodeScalars {
            if c.fastIsWhitespace {
                inURL = false
                flush()
                if c == "\n" { sentenceStart = true }
            } else if inURL {
                // URLs say little about the topic; skip them whole.
            } else if (c == "/" && previous == ":") || (c == "." && String(word).lowercased() == "www") {
                inURL = true
                word = String.UnicodeScalarView()
            } else if c.fastIsAlphabetic || c.fastIsNumeric {
                if word.isEmpty { capitalized = c.fastIsUppercase }
                word.append(c)
                if !c.fastIsNumeric { digitsOnly = false }
            } else if c == ":" && ["http", "https"].contains(String(word).lowercased()) {
                // wait for "//"
            } else if (c == "." || c == ",") && digitsOnly && !word.isEmpty && !decimal {
                // "3.5", "2,5": keep the number whole; a sentence's final dot ends it at the next space.
                decimal = true
                word.append(".")
            } else {
                flush()
                if c == "." || c == "!" || c == "?" || c == "…" { sentenceStart = true }
            }
            previous = c
        }
        flush()
        return out
    }
}
