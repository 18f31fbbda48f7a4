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

    /// Spellings of one sound, replaced in this order, each left to right: German "sch" and "tz", Russian «ц» (ts),
    /// "ck", "ph".
    static let sameSound: [(from: [UInt8], to: [UInt8])] = [("shch", "sh"), ("sch", "sh"), ("tsch", "ch"), ("ts", "z"), ("tz", "z"),
                                                            ("ck", "k"), ("ph", "f")].map { (Array($0.0.utf8), Array($0.1.utf8)) }

    /// The consonant skeleton of a lowercased word or stem; nil when fewer than three consonants are left. Works on
    /// ASCII bytes (the digest calls it for every word of every post).
    static func skeleton(_ lower: String) -> String? {
        var latin: [UInt8] = []
        latin.reserveCapacity(lower.utf8.count)
        for c in lower.unicodeScalars {
            if let t = cyrillic[c] { latin += t.utf8 } else if ("a"..."z").contains(c) { latin.append(UInt8(c.value)) }
        }
        for (from, to) in sameSound { latin = replacing(from, with: to, in: latin) }
        var out: [UInt8] = []
        for c in latin {
            var k = c
            switch c {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "y"),
                 UInt8(ascii: "h"), UInt8(ascii: "j"): continue
            case UInt8(ascii: "c"), UInt8(ascii: "q"): k = UInt8(ascii: "k")
            case UInt8(ascii: "w"): k = UInt8(ascii: "v")
            case UInt8(ascii: "x"): out.append(UInt8(ascii: "k")); k = UInt8(ascii: "s")
            default: break
            }
            if out.last != k { out.append(k) }
        }
        return out.count >= 3 ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Every occurrence of `from` in `bytes` replaced by `to`, scanning left to right without overlaps.
    static func replacing(_ from: [UInt8], with to: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= from.count else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if i + from.count <= bytes.count && bytes[i] == from[0] && bytes[i..<(i + from.count)].elementsEqual(from) {
                out += to
                i += from.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
