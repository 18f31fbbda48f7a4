import CLibXML2
import Foundation

/// The two faults real feeds carry that a reader is expected to forgive (issue 26), repaired before libxml2's strict
/// parser sees the bytes; everything else stays an `invalid_feed`.
///
/// - Whitespace before `<?xml …?>` (a blank line a template printed first): the declaration, with its encoding, must
///   open the document, so the whitespace is dropped.
/// - HTML entities XML does not define (`&nbsp;`, `&mdash;`, `&eacute;`): each becomes the numeric character
///   reference of the character HTML gives it (libxml2's HTML entity table), outside CDATA sections and comments.
///   Nothing is declared or expanded from a DTD: unknown names stay errors, external entities are never loaded.
enum FeedRecovery {
    static func parse(_ data: Data, url: String) throws(MarkupError) -> MarkupDocument {
        let trimmed = dropWhitespaceBeforeDeclaration(data)
        do {
            return try MarkupDocument(xml: trimmed, url: url)
        } catch let error where error.isUndeclaredEntity {
            guard let repaired = replaceHTMLEntities(trimmed) else { throw error }
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

    /// The document with HTML-only entity references replaced; nil when there was none to replace (or the bytes are
    /// not in an ASCII-compatible encoding, where `&` and `;` are not single bytes).
    static func replaceHTMLEntities(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        guard !bytes.prefix(4).contains(0) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        var replaced = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), let end = skipSection(bytes, at: i) {
                out.append(contentsOf: bytes[i..<end])
                i = end
                continue
            }
            if bytes[i] == UInt8(ascii: "&"), let (name, end) = entityName(bytes, at: i), let value = htmlEntityValue(name) {
                out.append(contentsOf: Array("&#\(value);".utf8))
                replaced += 1
                i = end
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return replaced > 0 ? Data(out) : nil
    }

    /// The end of a CDATA section or comment starting at `i` (their `&` are text, not references).
    private static func skipSection(_ b: [UInt8], at i: Int) -> Int? {
        for (open, close) in [("<![CDATA[", "]]>"), ("<!--", "-->")] where b[i...].starts(with: Array(open.utf8)) {
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
