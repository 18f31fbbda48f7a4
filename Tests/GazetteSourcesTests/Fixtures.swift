import Foundation
import GazetteTestSupport
import Testing

/// Fixture access for the source tests: `Tests/Fixtures` through `TestFixtures`.
enum Fixtures {
    static func data(_ relative: String) throws -> Data {
        try TestFixtures.data(relative)
    }

    static func utc(_ iso: String) -> Date {
        let style = Date.ISO8601FormatStyle()
        do { return try style.parse(iso) } catch { fatalError("bad test date \(iso)") }
    }
}
