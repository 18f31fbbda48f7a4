import Foundation
import GazetteCore
import Testing
@testable import GazetteDelivery

/// libcurl's SMTP client against addresses where no mail server answers; the message round trip is tested against a
/// real SMTP server (aiosmtpd) in tests/python/test_email_delivery.py.
@Suite struct SMTPMailerTests {
    /// A loopback port with nothing listening: bound, then closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        #expect(bound == 0)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func aRefusedConnectionIsAConnectErrorWithoutThePassword() async throws {
        let port = try Self.closedPort()
        var settings = SMTPSettings(url: URL(string: "smtp://127.0.0.1:\(port)")!, username: "mailer",
                                    password: Secret("smtp-secret-never-shown"), from: "gazette@example.com")
        settings.connectTimeout = 5
        let mailer = SMTPMailer(settings: settings)
        let message = MailMessage(from: "gazette@example.com", to: "reader@example.org", subject: "s", text: "t", html: "<p>t</p>",
                                  date: Date())
        let error = await #expect(throws: MailError.self) { try await mailer.send(message) }
        #expect(error?.kind == .connect, "\(error?.description ?? "")")
        #expect(error?.description.contains("smtp-secret-never-shown") == false)
    }

    @Test func tlsIsRequiredExceptOnLoopback() {
        func settings(_ url: String) -> SMTPSettings {
            SMTPSettings(url: URL(string: url)!, username: nil, password: nil, from: "g@example.com")
        }
        #expect(!settings("smtp://127.0.0.1:2525").requiresTLS)
        #expect(!settings("smtp://localhost:25").requiresTLS)
        #expect(settings("smtp://mail.example.com:587").requiresTLS)
        #expect(settings("smtps://mail.example.com:465").requiresTLS)
    }
}
