import Crypto
import Foundation
import GazetteCore

/// A reader's web token: 32 random bytes as URL-safe base64 (43 characters), the secret in `/u/<token>/`. Only its
/// SHA-256 is stored, so a copy of the database opens no one's pages.
public enum WebToken {
    public static let length = 43

    /// A new random token.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Lower-case hex SHA-256 of the token: what the store keeps and looks up.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `text` has a token's shape (checked before the store is asked, so junk costs no query).
    public static func isWellFormed(_ text: Substring) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x2D || b == 0x5F
        }
    }

    /// Makes (or with `rotate`, replaces) the user's token; returns the new token, or nil when the user has one and
    /// `rotate` is false (only its hash is kept, so the old token cannot be shown again).
    public static func issue(userID: Int64, rotate: Bool, store: any WebTokenStore, now: Date = Date()) async throws -> String? {
        if !rotate, try await store.webToken(userID: userID) != nil { return nil }
        let token = generate()
        try await store.setWebToken(WebTokenRecord(userID: userID, tokenHash: hash(token), createdAt: now))
        return token
    }
}
