import Foundation
import Testing

/// The shared fixtures (`../shared/fixtures` next to the repository).
enum Fixtures {
    static let root: URL = {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        let repo = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [repo.deletingLastPathComponent().appendingPathComponent("shared/fixtures"),
                          URL(fileURLWithPath: "/work/shared/fixtures")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }()

    static func data(_ relative: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(relative))
    }

    static func utc(_ iso: String) -> Date {
        let style = Date.ISO8601FormatStyle()
        do { return try style.parse(iso) } catch { fatalError("bad test date \(iso)") }
    }
}
