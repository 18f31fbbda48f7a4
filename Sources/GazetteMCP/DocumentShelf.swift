import Foundation
import GazetteCore

/// PDFs a session's tool calls made that were too large to embed in the result: kept for a while under an
/// unguessable id, readable with `resources/read gazette://documents/{id}.pdf` in the same session only.
actor DocumentShelf {
    struct Document {
        let data: Data
        let stored: ContinuousClock.Instant
    }

    private var documents: [String: Document] = [:]
    private var order: [String] = []
    let capacity: Int
    let lifetime: Duration

    init(capacity: Int = 8, lifetime: Duration = .seconds(1800)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    static let scheme = "gazette://documents/"

    /// Keeps `data` and returns its URI; the oldest document goes when the shelf is full.
    func put(_ data: Data) -> String {
        expire()
        let id = UUID().uuidString.lowercased()
        documents[id] = Document(data: data, stored: .now)
        order.append(id)
        while order.count > capacity {
            documents.removeValue(forKey: order.removeFirst())
        }
        return "\(Self.scheme)\(id).pdf"
    }

    func get(_ uri: String) -> Data? {
        expire()
        guard uri.hasPrefix(Self.scheme), uri.hasSuffix(".pdf") else { return nil }
        let id = String(uri.dropFirst(Self.scheme.count).dropLast(4))
        return documents[id]?.data
    }

    private func expire() {
        let now = ContinuousClock.now
        order.removeAll { id in
            guard let d = documents[id], now - d.stored > lifetime else { return false }
            documents.removeValue(forKey: id)
            return true
        }
    }
}
