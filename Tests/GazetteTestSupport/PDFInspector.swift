import Foundation

/// Looks at a PDF with real tools (poppler-utils) and at its raw outline objects. Tests that use it carry
/// `.enabled(if: TestRequirement.poppler.enabled)`.
public struct PDFInspector {
    public let directory: URL
    public let file: URL
    public let data: Data

    public init(_ data: Data) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        file = directory.appendingPathComponent("doc.pdf")
        self.data = data
        try data.write(to: file)
    }

    public func remove() {
        do { try FileManager.default.removeItem(at: directory) } catch { print("could not remove \(directory.path): \(error)") }
    }

    /// Key/value lines of `pdfinfo`.
    public func info() throws -> [String: String] {
        var result: [String: String] = [:]
        for line in try run("pdfinfo", [file.path]).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    public func pageCount() throws -> Int? { try info()["Pages"].flatMap { Int($0) } }

    public func text(page: Int? = nil) throws -> String {
        var arguments = ["-enc", "UTF-8"]
        if let page { arguments += ["-f", "\(page)", "-l", "\(page)"] }
        return try run("pdftotext", arguments + [file.path, "-"])
    }

    /// URIs of link annotations (`pdfinfo -url`), in page order.
    public func linkURLs() throws -> [String] {
        try run("pdfinfo", ["-url", file.path]).split(separator: "\n").dropFirst().compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init)
        }
    }

    /// Embedded images (`pdfimages -list`): object number and horizontal resolution per use.
    public func images() throws -> [(object: Int, ppi: Int)] {
        try run("pdfimages", ["-list", file.path]).split(separator: "\n").dropFirst(2).compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 14, let object = Int(fields[10]), let ppi = Int(fields[12]) else { return nil }
            return (object, ppi)
        }
    }

    /// One row of `pdfimages -list`: one use of an image (or its soft mask) on a page.
    public struct ImageRow: Equatable {
        public var page: Int
        public var type: String
        public var width: Int
        public var height: Int
        public var color: String
        public var components: Int
        public var encoding: String
        public var object: Int
        public var xPPI: Int
        public var yPPI: Int
    }

    /// Every row of `pdfimages -list` (images and soft masks).
    public func imageRows() throws -> [ImageRow] {
        try run("pdfimages", ["-list", file.path]).split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard f.count >= 14, let page = Int(f[0]), let width = Int(f[3]), let height = Int(f[4]),
                  let components = Int(f[6]), let object = Int(f[10]), let x = Int(f[12]), let y = Int(f[13]) else { return nil }
            return ImageRow(page: page, type: f[2], width: width, height: height, color: f[5], components: components,
                            encoding: f[8], object: object, xPPI: x, yPPI: y)
        }
    }

    /// The grey pixels of one page rasterized by `pdftoppm` (PGM), row by row.
    public func rasterGray(page: Int, dpi: Int) throws -> [UInt8] {
        let prefix = directory.appendingPathComponent("raster").path
        _ = try run("pdftoppm", ["-gray", "-r", "\(dpi)", "-f", "\(page)", "-l", "\(page)", "-singlefile", file.path, prefix])
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")))
        // "P5\n<w> <h>\n255\n" then the pixels.
        var newlines = 0
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            newlines += 1
            if newlines == 3 { start = index + 1; break }
        }
        return Array(bytes[start...])
    }

    /// Outline titles with their depth (1 = top level), read from the PDF's outline item objects.
    public func outline() -> [(title: String, depth: Int)] {
        let text = String(decoding: data, as: UTF8.self)
        var rootID: String?
        if let range = text.range(of: #"(\d+) 0 obj\s*<< /Type /Outlines"#, options: .regularExpression) {
            rootID = String(text[range].prefix { $0.isNumber })
        }
        var items: [(id: String, title: String, parent: String)] = []
        let pattern = #"(\d+) 0 obj\s*<< /Title (<[0-9A-F]+>|\((?:[^()\\]|\\.)*\))\s*/Parent (\d+) 0 R"#
        let regex = try? NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        for match in regex?.matches(in: text, range: NSRange(location: 0, length: ns.length)) ?? [] {
            let id = ns.substring(with: match.range(at: 1))
            let raw = ns.substring(with: match.range(at: 2))
            let parent = ns.substring(with: match.range(at: 3))
            items.append((id, Self.decodePDFString(raw), parent))
        }
        let depthOf: (String) -> Int = { parent in
            parent == rootID ? 1 : (items.first { $0.id == parent }.map { $0.parent == rootID ? 2 : 3 } ?? 0)
        }
        return items.map { ($0.title, depthOf($0.parent)) }
    }

    public static func decodePDFString(_ raw: String) -> String {
        if raw.hasPrefix("<") {
            let hex = Array(raw.dropFirst().dropLast())
            var bytes: [UInt8] = []
            var index = 0
            while index + 1 < hex.count {
                bytes.append(UInt8(String(hex[index...index + 1]), radix: 16) ?? 0)
                index += 2
            }
            if bytes.starts(with: [0xFE, 0xFF]) {
                var units: [UInt16] = []
                var i = 2
                while i + 1 < bytes.count { units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])); i += 2 }
                return String(decoding: units, as: UTF16.self)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(raw.dropFirst().dropLast()).replacingOccurrences(of: "\\(", with: "(").replacingOccurrences(of: "\\)", with: ")")
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/\(tool)") else {
            throw InspectorError.toolFailed("\(tool) is not installed (poppler-utils; scripts/install-deps.sh test installs it)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InspectorError.toolFailed("\(tool) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public enum InspectorError: Error { case toolFailed(String) }
}
