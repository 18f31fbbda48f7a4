import Foundation
import GazetteAccount
import Testing

/// Where `gazette` looks for TDLib, from the binary's own place: the layout `make install` makes, a checkout's
/// `.tdlib/` through the `.build/release` symlink, never the working directory.
@Suite("TDLib's library paths")
struct LibraryPathTests {
    /// A scratch directory with `files` created empty and `links` (path → target) made as symlinks.
    static func withTree<T>(files: [String], links: [String: String] = [:], _ body: (URL) throws -> T) throws -> T {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-libpath-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: root) }
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: url.path, contents: Data()))
        }
        for (link, target) in links {
            try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent(link).path, withDestinationPath: target)
        }
        return try body(root)
    }

    @Test("an installed binary looks in <prefix>/lib/gazette, then the system loader")
    func installed() throws {
        try Self.withTree(files: ["dest/usr/bin/gazette"]) { root in
            let paths = TDJSONLibrary.candidatePaths(configured: nil, executable: root.path + "/dest/usr/bin/gazette")
            #expect(paths == [root.path + "/dest/usr/lib/gazette/libtdjson.so", "libtdjson.so"])
        }
    }

    @Test("a binary started as .build/release/gazette (a symlink into .build/<triple>/release) finds the checkout's .tdlib")
    func checkoutThroughTheReleaseSymlink() throws {
        try Self.withTree(files: ["co/.build/x86_64-unknown-linux-gnu/release/gazette"],
                          links: ["co/.build/release": "x86_64-unknown-linux-gnu/release"]) { root in
            let paths = TDJSONLibrary.candidatePaths(configured: nil, executable: root.path + "/co/.build/release/gazette")
            #expect(paths.contains(root.path + "/co/.tdlib/libtdjson.so"), "\(paths)")
            #expect(paths.last == "libtdjson.so")
            #expect(!paths.contains(".tdlib/libtdjson.so"), "never relative to the working directory")
        }
    }

    @Test("a debug binary in the checkout finds the same .tdlib")
    func checkoutDebug() throws {
        try Self.withTree(files: ["co/.build/debug/gazette"]) { root in
            let paths = TDJSONLibrary.candidatePaths(configured: nil, executable: root.path + "/co/.build/debug/gazette")
            #expect(paths.contains(root.path + "/co/.tdlib/libtdjson.so"), "\(paths)")
        }
    }

    @Test("a configured path is the only one tried")
    func configured() {
        #expect(TDJSONLibrary.candidatePaths(configured: "/opt/td/libtdjson.so", executable: "/usr/bin/gazette") == ["/opt/td/libtdjson.so"])
    }

    @Test("this test process's own binary is known")
    func runningExecutable() throws {
        let path = try #require(TDJSONLibrary.runningExecutable())
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
