import AsyncHTTPClient
import Foundation
import NIOCore

/// `gazette healthcheck URL`: one GET, healthy iff it answers 2xx within the timeout.
public enum HealthProbe {
    public enum Result: Sendable, Equatable {
        case healthy(status: Int)
        case unhealthy(String)
    }

    public static func check(url: String, timeout: Double) async -> Result {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "gazette-healthcheck")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let status = Int(response.status.code)
            return (200..<300).contains(status) ? .healthy(status: status) : .unhealthy("HTTP \(status)")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .unhealthy("no answer within \(timeout) s")
        } catch {
            return .unhealthy(String(describing: error))
        }
    }
}
