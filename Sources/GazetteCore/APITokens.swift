import Foundation

/// Who a caller of the MCP/REST API is: an administrator (may act for any user: the single `GAZETTE_API_TOKEN`,
/// or a file token marked `admin`), or one Telegram user whose token acts only for that user.
public enum Caller: Sendable, Hashable, CustomStringConvertible {
    case admin
    case user(Int64)

    public var description: String {
        switch self {
        case .admin: "admin"
        case .user(let id): "user \(id)"
        }
    }
}

/// The token file (`GAZETTE_API_TOKENS_FILE`): one token per line, `TOKEN SUBJECT [CREATED]`, where SUBJECT is
/// `admin` or a Telegram user id; `#` starts a comment. `gazette tokens add|list|revoke` keeps it; the server
/// rereads it when it changes. Tokens never appear in an error, a log line or `list`.
public enum APITokenFile {
    public struct Entry: Sendable, Equatable {
        public var token: String
        public var caller: Caller
        public var created: String?

        public init(token: String, caller: Caller, created: String? = nil) {
            self.token = token
            self.caller = caller
            self.created = created
        }

        /// The first characters only, enough to tell tokens apart in `gazette tokens list`.
        public var masked: String { String(token.prefix(8)) + "…" }
    }

    public struct FileError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Parses the file's text. An error names the line and what is wrong with it, never the token.
    public static func parse(_ text: String) throws(FileError) -> [Entry] {
        var entries: [Entry] = []
        var seen = Set<String>()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if fields.isEmpty { continue }
            let n = index + 1
            guard fields.count <= 3, fields.count >= 2 else {
                throw FileError(message: "token file line \(n): expected TOKEN USER_ID|admin [CREATED]")
            }
            guard fields[0].count >= 16 else { throw FileError(message: "token file line \(n): the token is shorter than 16 characters") }
            guard let caller = caller(fields[1]) else {
                throw FileError(message: "token file line \(n): '\(fields[1].prefix(24))' is neither admin nor a positive user id")
            }
            guard seen.insert(fields[0]).inserted else { throw FileError(message: "token file line \(n): a token repeated") }
            entries.append(Entry(token: fields[0], caller: caller, created: fields.count == 3 ? fields[2] : nil))
        }
        return entries
    }

    static func caller(_ subject: String) -> Caller? {
        if subject.lowercased() == "admin" { return .admin }
        guard let id = Int64(subject), id > 0 else { return nil }
        return .user(id)
    }

    public static func render(_ entries: [Entry]) -> String {
        var text = "# Gazette API tokens: TOKEN USER_ID|admin CREATED (gazette tokens add|list|revoke)\n"
        for e in entries {
            let subject = switch e.caller {
            case .admin: "admin"
            case .user(let id): String(id)
            }
            text += "\(e.token) \(subject)\(e.created.map { " \($0)" } ?? "")\n"
        }
        return text
    }

    /// The file's entries; a missing file has none.
    public static func load(path: String) throws(FileError) -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(message: "cannot read the token file \(path)")
        }
        return try parse(text)
    }

    /// Writes the file whole (a temporary file renamed over it), readable by its owner only.
    public static func save(_ entries: [Entry], path: String) throws(FileError) {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(render(entries).utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw FileError(message: "cannot write the token file \(path)")
            }
            // rename(2) replaces the file in one step: a reader sees the old file or the new one, never a half.
            guard rename(temporary.path, url.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                throw FileError(message: "cannot write the token file \(path)")
            }
        } catch let error as FileError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FileError(message: "cannot write the token file \(path)")
        }
    }

    /// A new random token: `gzt_` and 43 characters of base64url (32 bytes from the system's secure generator).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "gzt_" + base64
    }
}
