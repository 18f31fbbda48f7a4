import Foundation
import GazetteCore

/// Picture references found in source markup (issue 16): t.me's `background-image` styles and feed media elements.
enum ImageReferences {
    private static func c(_ name: String) -> String { MarkupDocument.hasClass(name) }

    /// A post block's pictures in page order: one per album photo, video thumbnails and the link preview's image.
    /// `notInReply` keeps the excerpt of a replied-to message out.
    static func preview(_ block: MarkupNode, baseURL: URL, notInReply: String) -> [ImageRef] {
        let kinds: [(String, ImageRef.Kind)] = [
            ("tgme_widget_message_photo_wrap", .photo),
            ("tgme_widget_message_video_thumb", .videoThumbnail),
            ("link_preview_image", .linkPreview),
            ("link_preview_right_image", .linkPreview),
        ]
        let any = kinds.map { c($0.0) }.joined(separator: " or ")
        var out: [ImageRef] = []
        var seen = Set<String>()
        for node in block.select(".//*[(\(any)) and \(notInReply)]") {
            guard let kind = kinds.first(where: { node.classes.contains(Substring($0.0)) })?.1,
                  let raw = node.attribute("style").flatMap(backgroundImage),
                  let url = httpURL(raw, baseURL: baseURL), seen.insert(url).inserted else { continue }
            out.append(ImageRef(kind: kind, url: url))
            if out.count == ImageRef.maxPerPost { break }
        }
        return out
    }

    /// The URL of `background-image:url(…)` in an inline style (quoted with `'`, `"` or not at all).
    static func backgroundImage(_ style: String) -> String? {
        guard let property = style.range(of: "background-image", options: .caseInsensitive),
              let open = style.range(of: "url(", options: .caseInsensitive, range: property.upperBound..<style.endIndex),
              let close = style[open.upperBound...].firstIndex(of: ")") else { return nil }
        var value = style[open.upperBound..<close].trimmingCharacters(in: .whitespaces)
        if let first = value.first, first == "'" || first == "\"", value.count >= 2, value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value.isEmpty ? nil : value
    }

    /// An absolute http(s) URL of bounded length, or nil (data: URLs, javascript:, overly long references).
    static func httpURL(_ raw: String, baseURL: URL?) -> String? {
        guard let resolved = RichText.resolve(raw, baseURL: baseURL) else { return nil }
        let lower = resolved.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), resolved.utf8.count <= ImageRef.maxURLLength,
              !resolved.contains(where: { $0.isWhitespace }) else { return nil }
        return resolved
    }

    static let mediaRSS = "search.yahoo.com/mrss"

    /// A feed item's pictures: image enclosures, `media:content` (image type or medium), `media:thumbnail` (also inside
    /// `media:group`), in document order; when there is none, the first `<img>` of the body. Relative references
    /// resolve against `base` (the item's `xml:base` or document URL).
    static func feed(_ item: MarkupNode, bodyHTML: String?, base baseURL: String?) -> [ImageRef] {
        let base = baseURL.flatMap { URL(string: $0) }
        var out: [ImageRef] = []
        var seen = Set<String>()
        func add(_ raw: String?) {
            guard let raw, let url = httpURL(raw, baseURL: base), out.count < ImageRef.maxPerPost, seen.insert(url).inserted else { return }
            out.append(ImageRef(kind: .enclosure, url: url))
        }
        func media(_ node: MarkupNode) {
            for child in node.elements() {
                let isMedia = child.namespace?.contains(mediaRSS) == true
                switch child.name {
                case "enclosure" where !isMedia:
                    if (child.attribute("type") ?? "").lowercased().hasPrefix("image/") { add(child.attribute("url")) }
                case "link" where !isMedia:
                    // Atom: <link rel="enclosure" type="image/jpeg" href="…"/>
                    if child.attribute("rel") == "enclosure", (child.attribute("type") ?? "").lowercased().hasPrefix("image/") {
                        add(child.attribute("href"))
                    }
                case "content" where isMedia:
                    let type = (child.attribute("type") ?? "").lowercased()
                    if type.hasPrefix("image/") || (type.isEmpty && child.attribute("medium") == "image") { add(child.attribute("url")) }
                    media(child)
                case "thumbnail" where isMedia:
                    add(child.attribute("url"))
                case "group" where isMedia:
                    media(child)
                default:
                    break
                }
            }
        }
        media(item)
        if out.isEmpty, let bodyHTML, let doc = MarkupDocument(html: Data(bodyHTML.utf8)) {
            add(doc.select("//img[@src]").first?.attribute("src"))
        }
        return out
    }
}
