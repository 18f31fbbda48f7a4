import Foundation

/// Scratch files of one benchmark run, under the system's temporary directory and removed when the run ends.
enum BenchScratch {
    /// A new empty directory named `<prefix>-<uuid>`.
    static func directory(_ prefix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A path for a scratch file named `<prefix>-<uuid><suffix>`, not created.
    static func file(_ prefix: String, suffix: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)").path
    }

    /// Removes a scratch file or directory. A failure is reported, never fatal: the result is written by then.
    static func remove(_ path: String) {
        do { try FileManager.default.removeItem(atPath: path) } catch { print("note: could not remove \(path): \(error)") }
    }
}
