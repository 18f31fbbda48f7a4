import Foundation

/// Turns a sentence into the terms the extractive summarizer compares: lowercased words without stop words,
/// cut to a crude stem so that "компания", "компании" and "компанию" (or "launch", "launched") count as one.
enum Terms {
    static func of(_ sentence: String) -> [String] {
        var terms: [String] = []
        var word = String.UnicodeScalarView()
        var digitsOnly = true
        func flush() {
            defer {
                word = String.UnicodeScalarView()
                digitsOnly = true
            }
            guard word.count >= 2, !digitsOnly else { return }
            let text = String(word)
            guard !stopWords.contains(text) else { return }
            terms.append(stem(text))
        }
        var inURL = false
        var previous: Unicode.Scalar = " "
        // Scalars, not Characters: grapheme breaking is the expensive part and words need none of it.
        for c in sentence.lowercased().unicodeScalars {
            if c.fastIsWhitespace {
                inURL = false
                flush()
            } else if inURL {
                // URLs say little about the topic; skip them whole.
            } else if (c == "/" && previous == ":") || (c == "." && String(word) == "www") {
                inURL = true
                word = String.UnicodeScalarView()
            } else if c.fastIsAlphabetic || c.fastIsNumeric {
                word.append(c)
                if !c.fastIsNumeric { digitsOnly = false }
            } else if c == ":" && (String(word) == "http" || String(word) == "https") {
                // wait for "//"
            } else {
                flush()
            }
            previous = c
        }
        flush()
        return terms
    }

    /// Cyrillic words keep their first six letters (Russian inflects at the end); English words lose a common suffix.
    static func stem(_ word: String) -> String {
        let isCyrillic = word.unicodeScalars.first.map { (0x0400...0x04FF).contains($0.value) } ?? false
        if isCyrillic { return word.count > 6 ? String(word.prefix(6)) : word }
        for suffix in ["ations", "ation", "ings", "ing", "ies", "ed", "es", "ly", "s"] where word.hasSuffix(suffix) {
            let stem = word.dropLast(suffix.count)
            if stem.count >= 3 { return String(stem) }
        }
        return word
    }

    static let stopWords: Set<String> = [
        // English
        "the", "a", "an", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as",
        "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "we", "you",
        "he", "she", "they", "i", "me", "my", "our", "your", "their", "his", "her", "them", "us", "not", "no", "so",
        "do", "does", "did", "has", "have", "had", "will", "would", "can", "could", "should", "may", "might", "must",
        "about", "into", "over", "after", "before", "than", "then", "there", "here", "what", "which", "who", "whom",
        "when", "where", "why", "how", "all", "any", "each", "more", "most", "other", "some", "such", "only", "own",
        "same", "too", "very", "just", "also", "up", "out", "now", "new", "one", "today", "via", "per", "get", "got",
        // Russian
        "и", "в", "во", "не", "что", "он", "на", "я", "с", "со", "как", "а", "то", "все", "она", "так", "его", "но",
        "да", "ты", "к", "у", "же", "вы", "за", "бы", "по", "только", "ее", "её", "мне", "было", "вот", "от", "меня",
        "еще", "ещё", "нет", "о", "из", "ему", "теперь", "когда", "даже", "ну", "вдруг", "ли", "если", "уже", "или",
        "ни", "быть", "был", "него", "до", "вас", "нибудь", "опять", "уж", "вам", "ведь", "там", "потом", "себя",
        "ничего", "ей", "может", "они", "тут", "где", "есть", "надо", "ней", "для", "мы", "тебя", "их", "чем", "была",
        "сам", "чтоб", "без", "будто", "чего", "раз", "тоже", "себе", "под", "будет", "ж", "тогда", "кто", "этот",
        "того", "потому", "этого", "какой", "совсем", "ним", "здесь", "этом", "один", "почти", "мой", "тем", "чтобы",
        "нее", "были", "куда", "зачем", "всех", "никогда", "можно", "при", "наконец", "два", "об", "другой", "хоть",
        "после", "над", "больше", "тот", "через", "эти", "нас", "про", "всего", "них", "какая", "много", "разве",
        "три", "эту", "моя", "впрочем", "хорошо", "свою", "этой", "перед", "иногда", "лучше", "чуть", "том", "нельзя",
        "такой", "им", "более", "всегда", "конечно", "всю", "между", "это", "также", "который", "которые", "которая",
        "которых", "это", "сегодня", "очень", "свой", "своих", "года", "году",
    ]
}
