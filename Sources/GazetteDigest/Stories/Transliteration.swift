/// Names written in Cyrillic and in Latin letters compared by their consonants: «Трамп» and "Trump" → "trmp",
/// «Макрон» and "Macron" → "mkrn", «Зеленский» and "Zelensky" → "zlnsk". Vowels, `h`, `y` and doubled letters differ
/// most between transliterations, so they are left out; `c`, `q` and `k` are one sound.
enum Transliteration {
    static let cyrillic: [Unicode.Scalar: String] = [
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k",
        "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
        "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "i", "є": "e",
        "ґ": "g",
    ]

    /// The consonant skeleton of a lowercased word or stem; nil when fewer than three consonants are left.
    static func skeleton(_ lower: String) -> String? {
        var latin = ""
        for c in lower.unicodeScalars {
            if let t = cyrillic[c] { latin += t } else if ("a"..."z").contains(c) { latin.unicodeScalars.append(c) }
        }
        // Spellings of one sound: German "sch" and "tz", Russian «ц» (ts), "ck", "ph".
        for (from, to) in [("shch", "sh"), ("sch", "sh"), ("tsch", "ch"), ("ts", "z"), ("tz", "z"), ("ck", "k"), ("ph", "f")] {
            latin = latin.replacingOccurrences(of: from, with: to)
        }
        var out = String.UnicodeScalarView()
        for c in latin.unicodeScalars {
            var k = c
            switch c {
            case "a", "e", "i", "o", "u", "y", "h", "j": continue
            case "c", "q": k = "k"
            case "w": k = "v"
            case "x": out.append("k"); k = "s"
            default: break
            }
            if out.last != k { out.append(k) }
        }
        return out.count >= 3 ? String(out) : nil
    }
}

/// FNV-1a, 32 bits: the same hash in every process (Swift's `Hasher` is seeded per process). Only compared within
/// the words of one post, where a collision is about one in a hundred million lookups.
enum StableHash {
    static func of(_ tag: UInt8, _ text: String) -> UInt32 {
        var h: UInt32 = 0x811c_9dc5
        h = (h ^ UInt32(tag)) &* 0x0100_0193
        for b in text.utf8 { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }
}
