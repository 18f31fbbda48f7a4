import CLibXML2
import Foundation

/// The faults real feeds carry that a reader is expected to forgive (issue 26), repaired before libxml2's strict
/// parser sees the bytes; everything else stays an `invalid_feed`.
///
/// - Whitespace before `<?xml …?>` (a blank line a template printed first): the declaration, with its encoding, must
///   open the document, so the whitespace is dropped.
/// - References XML does not define, when the parser stops at one: an HTML entity (`&nbsp;`, `&mdash;`, `&eacute;`)
///   becomes the numeric character reference of the character HTML gives it (libxml2's HTML entity table); a bare `&`
///   (`Q&A`, `?a=1&b=2`) and an unknown name become text (`&amp;`), as a browser shows them. Only outside CDATA
///   sections, comments and processing instructions; a document that declares entities keeps its unknown names.
///   Nothing is declared or expanded from a DTD, external entities are never loaded.
enum FeedRecovery {
    static func parse(_ data: Data, url: String) throws(MarkupError) -> MarkupDocument {
        let trimmed = dropWhitespaceBeforeDeclaration(data)
        do {
            return try MarkupDocument(xml: trimmed, url: url)
        } catch let error where error.isReferenceError {
            guard let repaired = repairReferences(trimmed) else { throw error }
            return try MarkupDocument(xml: repaired, url: url)
        }
    }

    private static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func dropWhitespaceBeforeDeclaration(_ data: Data) -> Data {
        let bytes = [UInt8](data.prefix(4096))
        let start = bytes.starts(with: utf8BOM) ? 3 : 0
        var i = start
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        guard i > start, bytes[i...].starts(with: Array("<?xml".utf8)) else { return data }
        var out = Data(bytes[0..<start])
        out.append(data.dropFirst(i))
        return out
    }

    /// The document with its references repaired (see the type); nil when there was nothing to repair (or the bytes are
    /// not in an ASCII-compatible encoding, where `&` and `;` are not single bytes).
    static func repairReferences(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        guard !bytes.prefix(4).contains(0) else { return nil }
        let declaresEntities = data.range(of: Data("<!ENTITY".utf8)) != nil
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        var repaired = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), let end = skipSection(bytes, at: i) {
                out.append(contentsOf: bytes[i..<end])
                i = end
                continue
            }
            guard bytes[i] == UInt8(ascii: "&") else {
                out.append(bytes[i])
                i += 1
                continue
            }
            if let end = characterReferenceEnd(bytes, at: i) {
                out.append(contentsOf: bytes[i..<end])
                i = end
            } else if let (name, end) = entityName(bytes, at: i) {
                if xmlEntities.contains(name) || (declaresEntities && htmlEntityValue(name) == nil) {
                    out.append(contentsOf: bytes[i..<end])
                } else if let value = htmlEntityValue(name) {
                    out.append(contentsOf: Array("&#\(value);".utf8))
                    repaired += 1
                } else {
                    out.append(contentsOf: Array("&amp;".utf8) + bytes[(i + 1)..<end])
                    repaired += 1
                }
                i = end
            } else {
                out.append(contentsOf: Array("&amp;".utf8))
                repaired += 1
                i += 1
            }
        }
        return repaired > 0 ? Data(out) : nil
    }

    /// `&#123;` or `&#x1F600;` at `i`: the index after the `;`.
    private static func characterReferenceEnd(_ b: [UInt8], at i: Int) -> Int? {
        guard i + 2 < b.count, b[i + 1] == UInt8(ascii: "#") else { return nil }
        var j = i + 2
        let hex = b[j] | 0x20 == UInt8(ascii: "x")
        if hex { j += 1 }
        let start = j
        while j < b.count, j - start < 8,
              (b[j] >= 0x30 && b[j] <= 0x39) || (hex && b[j] | 0x20 >= 0x61 && b[j] | 0x20 <= 0x66) { j += 1 }
        guard j > start, j < b.count, b[j] == UInt8(ascii: ";") else { return nil }
        return j + 1
    }

    /// The end of a CDATA section, comment or processing instruction starting at `i` (their `&` are not references).
    private static func skipSection(_ b: [UInt8], at i: Int) -> Int? {
        for (open, close) in [("<![CDATA[", "]]>"), ("<!--", "-->"), ("<?", "?>")] where b[i...].starts(with: Array(open.utf8)) {
            let closeBytes = Array(close.utf8)
            var j = i + open.utf8.count
            while j + closeBytes.count <= b.count {
                if b[j...].starts(with: closeBytes) { return j + closeBytes.count }
                j += 1
            }
            return b.count
        }
        return nil
    }

    /// `&name;` at `i`: the name and the index after the `;`.
    private static func entityName(_ b: [UInt8], at i: Int) -> (String, Int)? {
        var j = i + 1
        while j < b.count, j - i <= 32, (b[j] >= 0x30 && b[j] <= 0x39) || (b[j] | 0x20 >= 0x61 && b[j] | 0x20 <= 0x7A) { j += 1 }
        guard j > i + 1, j < b.count, b[j] == UInt8(ascii: ";") else { return nil }
        return (String(decoding: b[(i + 1)..<j], as: UTF8.self), j + 1)
    }

    private static let xmlEntities: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    private static func htmlEntityValue(_ name: String) -> UInt32? {
        guard !xmlEntities.contains(name), let entity = htmlEntityLookup(name) else { return nil }
        return entity.pointee.value
    }
}
