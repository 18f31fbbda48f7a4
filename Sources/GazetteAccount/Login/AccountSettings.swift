import Foundation
import GazetteCore

/// The user account's settings: the application's API id and hash (my.telegram.org), where its session lives and the
/// session database's key, and where TDLib is (`--telegram-api-id`, `--telegram-api-hash`, `--data-dir`,
/// `--account-dir`, `--tdlib-database-key`, `--tdlib-path`). Nothing is required until the account is used.
public struct AccountSettings: Sendable {
    public var apiID: Int64?
    public var apiHash: Secret?
    /// Directory of Gazette's own files; the session is `account/` in it unless `directoryOverride` is set.
    public var dataDirectory = "./data"
    public var directoryOverride: String?
    /// From configuration (`GAZETTE_TDLIB_DATABASE_KEY`); nil: generated once and kept 0600 in `directory`.
    public var databaseKey: Secret?
    /// TDLib's library when configured; nil: `TDJSONLibrary.candidatePaths` looks for it.
    public var libraryPath: String?
    public var applicationVersion = ""

    public init() {}

    public init(apiID: Int64, apiHash: Secret, directory: String, databaseKey: Secret?, applicationVersion: String) {
        self.apiID = apiID
        self.apiHash = apiHash
        self.directoryOverride = directory
        self.databaseKey = databaseKey
        self.applicationVersion = applicationVersion
    }

    /// The session directory: TDLib's database, which *is* the logged-in account. Created 0700.
    public var directory: String {
        directoryOverride ?? (dataDirectory.hasSuffix("/") ? dataDirectory + "account" : dataDirectory + "/account")
    }

    /// The account is wanted: an API id or hash is set (both are needed to use it).
    public var isConfigured: Bool { apiID != nil || apiHash != nil }

    /// True when the directory holds a TDLib database: a session may exist. A fresh directory is "not logged in"
    /// without loading TDLib at all.
    public static func hasSession(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("database/td.binlog"))
    }

    /// Creates the directory 0700 (and tightens an existing one), and returns the database key: the configured one,
    /// or the one generated at the first start and kept in `database.key` (0600).
    func prepareDirectory() throws(AccountError) -> Secret {
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try fm.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        } catch {
            throw .sessionDirectory(path: directory, reason: "\((error as NSError).localizedDescription)")
        }
        if let databaseKey { return databaseKey }
        let keyPath = (directory as NSString).appendingPathComponent("database.key")
        if let data = fm.contents(atPath: keyPath), let text = String(data: data, encoding: .utf8) {
            let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw .sessionDirectory(path: directory, reason: "database.key is empty") }
            return Secret(key)
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        guard fm.createFile(atPath: keyPath, contents: Data(key.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .sessionDirectory(path: directory, reason: "database.key cannot be written")
        }
        return Secret(key)
    }

    /// `setTdlibParameters` for this directory, application and key.
    func parametersRequest(apiID: Int64, apiHash: Secret, key: Secret) -> TDRequest {
        .setTdlibParameters(databaseDirectory: (directory as NSString).appendingPathComponent("database"),
                            filesDirectory: (directory as NSString).appendingPathComponent("files"),
                            encryptionKey: Data(key.value.utf8), apiID: apiID, apiHash: apiHash.value,
                            applicationVersion: applicationVersion)
    }
}
