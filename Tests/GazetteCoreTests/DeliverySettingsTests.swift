import Foundation
import Testing
@testable import GazetteCore

@Suite struct DeliverySettingsTests {
    @Test(arguments: ["reader@example.com", " Reader.Name+tag@Mail.Example.ORG ", "a@b.co", "o'neil@example.com"])
    func validAddresses(raw: String) throws {
        let address = try EmailAddress.validate(raw)
        #expect(address == raw.trimmingCharacters(in: .whitespaces).split(separator: "@").map(String.init).enumerated()
            .map { $0.offset == 1 ? $0.element.lowercased() : $0.element }.joined(separator: "@"))
    }

    @Test(arguments: [
        ("", "empty"), ("reader", "exactly one @"), ("a@b@example.com", "exactly one @"), ("@example.com", "before @"),
        ("reader@localhost", "domain"), ("reader@-x.com", "domain"), ("re..der@example.com", "before @"),
        ("reader@example.com\r\nBcc: x@example.com", "printable ASCII"), ("читатель@example.com", "printable ASCII"),
        ("a b@example.com", "printable ASCII"), (String(repeating: "a", count: 250) + "@example.com", "at most 254"),
    ])
    func invalidAddressesAreNamed(raw: String, expected: String) {
        let error = #expect(throws: SettingsError.self) { try EmailAddress.validate(raw) }
        #expect(error?.field == "email")
        #expect(error?.description.contains(expected) == true, "\(error?.description ?? "")")
    }

    @Test func destinationsParseAndPrintInOneOrder() throws {
        #expect(try DigestDestination.parse("feed, Telegram,email") == [.telegram, .email, .feed])
        #expect(DigestDestination.text([.feed, .telegram]) == "telegram,feed")
        #expect(try DigestDestination.parse("none").isEmpty)
        #expect(DigestDestination.stored("telegram,pigeon") == [.telegram])
        let error = #expect(throws: SettingsError.self) { try DigestDestination.parse("telegram,pigeon") }
        #expect(error?.description.contains("pigeon") == true)
    }

    @Test func changesAreValidatedAndEmailNeedsAnAddress() throws {
        let base = UserSettings(userID: 1)
        let error = #expect(throws: SettingsError.self) { try SettingsChange(destinations: [.email]).applied(to: base) }
        #expect(error?.description.contains("needs an address") == true)
        let mail = try SettingsChange(destinations: [.email, .feed], email: .some("reader@Example.com"), dailyDigest: true,
                                      dailyHour: 7, timeZone: "Europe/Berlin").applied(to: base)
        #expect(mail.destinations == [.email, .feed] && mail.email == "reader@example.com" && mail.dailyDigest && mail.dailyHour == 7)
        #expect(throws: SettingsError.self) { try SettingsChange(dailyHour: 24).applied(to: base) }
        #expect(throws: SettingsError.self) { try SettingsChange(timeZone: "Mars/Olympus").applied(to: base) }
        // Removing the address while email is chosen is refused; removing both is fine.
        #expect(throws: SettingsError.self) { try SettingsChange(email: .some(nil)).applied(to: mail) }
        let off = try SettingsChange(destinations: [.feed], email: .some(nil)).applied(to: mail)
        #expect(off.email == nil && off.destinations == [.feed])
        #expect(SettingsChange().isEmpty && !SettingsChange(dailyDigest: false).isEmpty)
    }
}
