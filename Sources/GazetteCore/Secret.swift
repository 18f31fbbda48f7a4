import Foundation

/// A secret string: its description is always redacted, so it cannot leak through interpolation.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let mask = "***"
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }

    /// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
    public static func redactingPassword(inURL url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@") else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":" + mask + String(url[at...])
    }
}
