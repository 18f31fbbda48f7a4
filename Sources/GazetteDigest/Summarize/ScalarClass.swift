/// Character classes the summarizer asks for several times per character of every post.
///
/// `Unicode.Scalar.Properties` answers each question with a table search, which was a third of a digest's CPU
/// time. ASCII and the basic Cyrillic block (U+0400–U+045F, all letters) are decided here; every other scalar
/// goes to the standard library, and a test compares both answers over all of Unicode.
extension Unicode.Scalar {
    /// `properties.isWhitespace`.
    var fastIsWhitespace: Bool {
        switch value {
        case 0x09...0x0D, 0x20: true
        case 0x00...0x7F, 0x0400...0x045F: false
        default: properties.isWhitespace
        }
    }

    /// `properties.isAlphabetic`.
    var fastIsAlphabetic: Bool {
        switch value {
        case 0x41...0x5A, 0x61...0x7A, 0x0400...0x045F: true
        case 0x00...0x7F: false
        default: properties.isAlphabetic
        }
    }

    /// `properties.numericType != nil`.
    var fastIsNumeric: Bool {
        switch value {
        case 0x30...0x39: true
        case 0x00...0x7F, 0x0400...0x045F: false
        default: properties.numericType != nil
        }
    }

    /// `properties.isUppercase`.
    var fastIsUppercase: Bool {
        switch value {
        case 0x41...0x5A, 0x0400...0x042F: true
        case 0x00...0x7F, 0x0430...0x045F: false
        default: properties.isUppercase
        }
    }

    /// `properties.isLowercase`.
    var fastIsLowercase: Bool {
        switch value {
        case 0x61...0x7A, 0x0430...0x045F: true
        case 0x00...0x7F, 0x0400...0x042F: false
        default: properties.isLowercase
        }
    }
}
