import Foundation

/// The test fixtures kept in the repository (`Tests/Fixtures`, each folder with its README and licence).
/// The one way tests and benchmarks find them: relative to this file, so nothing outside the clone is ever read.
public enum TestFixtures {
    /// `Tests/Fixtures` of this checkout.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // GazetteTestSupport
        .deletingLastPathComponent()   // Tests
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// `Tests/Fixtures/<relative>`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The bytes of `Tests/Fixtures/<relative>`; a missing fixture is a test failure with its path.
    public static func data(_ relative: String) throws -> Data {
        let file = url(relative)
        do {
            return try Data(contentsOf: file)
        } catch {
            throw MissingFixture(path: file.path, reason: "\(error)")
        }
    }

    public static func text(_ relative: String) throws -> String {
        String(decoding: try data(relative), as: UTF8.self)
    }

    public struct MissingFixture: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "fixture \(path) cannot be read: \(reason)" }
    }
}
