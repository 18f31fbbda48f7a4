import Foundation
import Synchronization

/// The SKIP lines already printed: one per requirement and what, however often a trait is evaluated.
private let skipsPrinted = Mutex<Set<String>>([])

/// Something outside the package that some tests need: a server, a library, a tool. One rule for all of them: a plain
/// `swift test` runs such a test only when its requirement is present and prints one SKIP line otherwise; `make test`
/// sets `GAZETTE_TEST_REQUIRE_<NAME>=1` for every requirement, and then the test runs anyway and fails, saying what
/// is missing. Nothing is ever skipped silently under `make test`.
public struct TestRequirement: Sendable {
    /// The part after `GAZETTE_TEST_REQUIRE_`.
    public let name: String
    public let present: Bool
    /// How to get it, for the SKIP line.
    public let hint: String

    public init(name: String, present: Bool, hint: String) {
        self.name = name
        self.present = present
        self.hint = hint
    }

    public var variable: String { "GAZETTE_TEST_REQUIRE_\(name)" }

    /// True when `make test` (or the caller) demands it.
    public var required: Bool { ProcessInfo.processInfo.environment[variable] == "1" }

    /// Whether tests that need it run: it is present, or it is required (and they will fail without it).
    /// For `.enabled(if:)`; prints the SKIP line when they do not run.
    public var enabled: Bool { enabled(for: "tests that need \(name.lowercased())") }

    /// The same, naming the tests in the SKIP line.
    public func enabled(for what: String) -> Bool {
        if present || required { return true }
        let line = "SKIP: \(what) (\(hint); `make test` sets \(variable)=1 and then fails instead)"
        if skipsPrinted.withLock({ $0.insert(line).inserted }) { print(line) }
        return false
    }

    /// The test PostgreSQL server `scripts/with-postgres.sh` starts and names in `GAZETTE_TEST_POSTGRES_URL`.
    public static let postgres = TestRequirement(
        name: "POSTGRES",
        present: !(ProcessInfo.processInfo.environment["GAZETTE_TEST_POSTGRES_URL"] ?? "").isEmpty,
        hint: "GAZETTE_TEST_POSTGRES_URL is not set; scripts/with-postgres.sh starts a server")

    /// poppler-utils (`pdftotext`, `pdfinfo`, `pdfimages`, `pdftoppm`): what the PDF tests look at a PDF with.
    public static let poppler = TestRequirement(
        name: "POPPLER",
        present: ["pdftotext", "pdfinfo", "pdfimages", "pdftoppm"].allSatisfy { FileManager.default.isExecutableFile(atPath: "/usr/bin/\($0)") },
        hint: "poppler-utils, installed by scripts/install-deps.sh test")
}
