import CCurl
import Foundation
import GazetteCore

/// Where and how mail is sent: `GAZETTE_SMTP_URL`, `_USER`, `_PASSWORD`, `_FROM`.
public struct SMTPSettings: Sendable, Equatable {
    /// `smtp://host:port` (STARTTLS, required unless the host is a loopback address) or `smtps://host:port` (TLS).
    public var url: URL
    public var username: String?
    public var password: Secret?
    public var from: String
    public var connectTimeout: TimeInterval = 10
    public var timeout: TimeInterval = 60

    public init(url: URL, username: String?, password: Secret?, from: String) {
        self.url = url
        self.username = username
        self.password = password
        self.from = from
    }


    /// `smtp://` to a loopback host may stay in clear text when the server offers no STARTTLS (a local relay, the
    /// tests); anywhere else TLS is required, so a password never crosses a network unencrypted.
    var requiresTLS: Bool {
        guard url.scheme?.lowercased() == "smtp" else { return true }
        let host = (url.host(percentEncoded: false) ?? "").lowercased()
        return !(host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]")
    }
}

/// Why a mail was not sent. Never contains the password: messages come from libcurl's error text and the
/// server's reply code, never from the configuration.
public struct MailError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case connect, tls, auth, rejected, timeout, failed
    }
    public var kind: Kind
    public var detail: String
    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }
    public var description: String { "email not sent (\(kind.rawValue)): \(detail)" }
}

/// Sends a rendered message. `SMTPMailer` in production; tests of the scheduler may pass a double.
public protocol MailTransport: Sendable {
    func send(_ message: MailMessage) async throws(MailError)
}

/// SMTP through libcurl (Debian's libcurl with OpenSSL): STARTTLS or implicit TLS, AUTH with the configured user,
/// the envelope sender and recipient, the message streamed from memory. The transfer blocks, so it runs on
/// `BlockingWork`'s threads, never on the cooperative pool.
public struct SMTPMailer: MailTransport {
    public let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
        _ = Self.globalInit
    }

    /// `curl_global_init` once per process, before any handle (it is not thread-safe itself).
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func send(_ message: MailMessage) async throws(MailError) {
        let settings = self.settings
        let data = message.rendered()
        let recipient = message.to
        try await BlockingWork.run { () throws(MailError) in try Self.transfer(data, from: settings.from, to: recipient, settings: settings) }
    }

    /// Owns the bytes libcurl's read callback copies from; alive for the whole transfer.
    private final class Upload {
        let bytes: [UInt8]
        var offset = 0
        init(_ data: Data) { bytes = [UInt8](data) }
    }

    static func transfer(_ data: Data, from: String, to: String, settings: SMTPSettings) throws(MailError) {
        guard let curl = curl_easy_init() else { throw MailError(.failed, "libcurl could not make a handle") }
        defer { curl_easy_cleanup(curl) }
        let recipients = curl_slist_append(nil, "<\(to)>")
        defer { curl_slist_free_all(recipients) }
        let upload = Upload(data)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        let code: CURLcode = withExtendedLifetime(upload) {
            errorBuffer.withUnsafeMutableBufferPointer { errors -> CURLcode in
                var rc = gz_curl_setopt_string(curl, CURLOPT_URL, settings.url.absoluteString)
                func set(_ result: CURLcode) { if rc == CURLE_OK { rc = result } }
                set(gz_curl_setopt_long(curl, CURLOPT_NOSIGNAL, 1))  // threads: no SIGALRM for timeouts
                set(gz_curl_setopt_long(curl, CURLOPT_USE_SSL, Int(settings.requiresTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue)))
                set(gz_curl_setopt_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(settings.connectTimeout * 1000)))
                set(gz_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, Int(settings.timeout * 1000)))
                set(gz_curl_setopt_string(curl, CURLOPT_MAIL_FROM, "<\(from)>"))
                set(gz_curl_setopt_slist(curl, CURLOPT_MAIL_RCPT, recipients))
                if let user = settings.username { set(gz_curl_setopt_string(curl, CURLOPT_USERNAME, user)) }
                if let password = settings.password { set(gz_curl_setopt_string(curl, CURLOPT_PASSWORD, password.value)) }
                set(gz_curl_setopt_long(curl, CURLOPT_UPLOAD, 1))
                set(gz_curl_setopt_long(curl, CURLOPT_INFILESIZE_LARGE, Int(data.count)))
                set(gz_curl_setopt_io(curl, CURLOPT_READFUNCTION, { buffer, size, count, userdata in
                    guard let buffer, let userdata else { return 0 }
                    let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
                    let n = min(size * count, upload.bytes.count - upload.offset)
                    guard n > 0 else { return 0 }
                    upload.bytes.withUnsafeBufferPointer { bytes in
                        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + upload.offset, byteCount: n)
                    }
                    upload.offset += n
                    return n
                }))
                set(gz_curl_setopt_pointer(curl, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque()))
                set(gz_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, errors.baseAddress))
                guard rc == CURLE_OK else { return rc }
                let performed = curl_easy_perform(curl)
                // libcurl may use the error buffer until the handle is cleaned up; this buffer pointer is valid only in
                // this closure, so take it back before leaving.
                _ = gz_curl_setopt_pointer(curl, CURLOPT_ERRORBUFFER, nil)
                return performed
            }
        }
        guard code != CURLE_OK else { return }
        var reply: Int = 0
        _ = gz_curl_response_code(curl, &reply)
        let text = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = (text.isEmpty ? String(cString: curl_easy_strerror(code)) : text) + (reply > 0 ? " (server reply \(reply))" : "")
        throw MailError(kind(code, reply: reply), detail)
    }

    static func kind(_ code: CURLcode, reply: Int) -> MailError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_LOGIN_DENIED: .auth
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE: .tls
        default: reply >= 400 ? .rejected : .failed
        }
    }
}
