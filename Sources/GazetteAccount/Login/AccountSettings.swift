import Foundation
import GazetteCore

/// What the user account needs: the application's API id and hash (my.telegram.org), the private directory of the
/// session database and its encryption key.
public struct AccountSettings: Sendable {
    public var apiID: Int64
    public var apiHash: Secret
    /// The session directory: TDLib's database, which *is* the logged-in account. Created 0700.
    public var directory: String
    /// From configuration (`GAZETTE_TDLIB_DATABASE_KEY`); nil: generated once and kept 0600 in `directory`.
    public var databaseKey: Secret?
    public var applicationVersion: String

    public init(apiID: Int64, apiHash: Secret, directory: String, databaseKey: Secret?, applicationVersion: String) {
        self.apiID = apiID
        self.apiHash = apiHash
        self.directory = directory
        self.databaseKey = databaseKey
        self.applicationVersion = applicationVersion
    }

    /// The settings from the configuration, or the one-line error naming the missing option.
    public static func from(_ config: Config, applicationVersion: String) throws(AccountError) -> AccountSettings {
        guard let apiID = config.telegramAPIID else {
            throw .missingOption(flag: ConfigOption.telegramAPIID.flag, environment: ConfigOption.telegramAPIID.environmentNames[0])
        }
        guard let apiHash = config.telegramAPIHash else {
            throw .missingOption(flag: ConfigOption.telegramAPIHash.flag, environment: ConfigOption.telegramAPIHash.environmentNames[0])
        }
        return AccountSettings(apiID: apiID, apiHash: apiHash, directory: config.accountDirectory,
                               databaseKey: config.tdlibDatabaseKey, applicationVersion: applicationVersion)
    }

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
    func parametersRequest(key: Secret) -> TDRequest {
        .setTdlibParameters(databaseDirectory: (directory as NSString).appendingPathComponent("database"),
                            filesDirectory: (directory as NSString).appendingPathComponent("files"),
                            encryptionKey: Data(key.value.utf8), apiID: apiID, apiHash: apiHash.value,
                            applicationVersion: applicationVersion)
    }
}
