import Foundation

/// Media RSS (`media:`) elements that carry an item's text: YouTube's feed has its only body in
/// `<media:group><media:description>`.
enum MediaRSS {
    /// `media:description` of the item, of its `media:group`s and of their `media:content`s, in document order.
    static func descriptions(_ item: MarkupNode) -> [MarkupNode] {
        var out: [MarkupNode] = []
        func walk(_ node: MarkupNode, depth: Int) {
            for child in node.elements() where child.namespace?.contains(ImageReferences.mediaRSS) == true {
                switch child.name {
                case "description": out.append(child)
                case "group", "content" where depth < 2: walk(child, depth: depth + 1)
                default: break
                }
            }
        }
        walk(item, depth: 0)
        return out
    }
}
