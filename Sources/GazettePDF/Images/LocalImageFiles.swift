#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Images named by file paths, read from a base directory and below (`gazette render` of a markdown file: the
/// directory of the file). Addresses with a scheme (`https://…`, `file:…`, `data:…`) are not files: they are not
/// provided. A path that leads outside the base directory, also through `..` or a symbolic link, is not provided
/// either, so rendering someone else's markdown cannot copy an arbitrary file of the machine into the PDF.
public struct LocalImageFiles: PDFImageProvider {
    /// The directory paths are resolved against (its real path; symbolic links resolved).
    public let baseDirectory: String
    /// Files larger than this are refused without being read.
    public let maxBytes: Int

    /// `baseDirectory` must exist; it is resolved to its real path once.
    public init(baseDirectory: String, maxBytes: Int = PDFLimits.maxImageBytes) {
        self.baseDirectory = Self.realPath(baseDirectory) ?? baseDirectory
        self.maxBytes = maxBytes
    }

    public func imageBytes(for destination: String) -> [UInt8]? {
        if case .bytes(let bytes) = image(for: destination) { return bytes }
        return nil
    }

    public func image(for destination: String) -> PDFImageLookup {
        guard let path = resolve(destination) else { return .skipped(.notProvided) }
        return Self.read(path, maxBytes: maxBytes)
    }

    /// The real path of the file `destination` names, if it is a file path inside the base directory.
    func resolve(_ destination: String) -> String? {
        guard !destination.isEmpty, destination.utf8.count <= 4096, !Self.hasScheme(destination),
              !destination.utf8.contains(0) else { return nil }
        var candidates = [destination]
        if destination.contains("%"), let decoded = Self.percentDecoded(destination), decoded != destination {
            candidates.append(decoded)
        }
        for candidate in candidates {
            let joined = candidate.hasPrefix("/") ? candidate : baseDirectory + "/" + candidate
            guard let real = Self.realPath(joined) else { continue }
            let root = baseDirectory.hasSuffix("/") ? baseDirectory : baseDirectory + "/"
            guard real.hasPrefix(root) else { return nil }
            return real
        }
        return nil
    }

    /// Whether `destination` is a file path (no `scheme:` in front), i.e. something this provider may answer.
    public static func isFilePath(_ destination: String) -> Bool {
        !destination.isEmpty && !hasScheme(destination)
    }

    /// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
    static func hasScheme(_ destination: String) -> Bool {
        var sawLetter = false
        for byte in destination.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if !sawLetter { return false }
            case UInt8(ascii: ":"): return sawLetter
            default: return false
            }
        }
        return false
    }

    static func percentDecoded(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard iterator.count >= 2, let high = hexValue(iterator.removeFirst()), let low = hexValue(iterator.removeFirst()) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        guard !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Reads a regular file of at most `maxBytes`; a larger one is refused from its size, unread.
    static func read(_ path: String, maxBytes: Int) -> PDFImageLookup {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .skipped(.notProvided) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .skipped(.notProvided) }
        let size = Int(info.st_size)
        guard size <= maxBytes else { return .skipped(.tooManyBytes(bytes: size, limit: maxBytes)) }
        // One byte more than the size, so a file that grew meanwhile is noticed.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                return .skipped(.notProvided)
            }
            filled += n
        }
        guard filled <= maxBytes else { return .skipped(.tooManyBytes(bytes: filled, limit: maxBytes)) }
        bytes.removeSubrange(filled...)
        return .bytes(bytes)
    }
}
