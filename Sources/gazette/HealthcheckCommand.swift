import ArgumentParser
import Foundation
import GazetteObservability

struct HealthcheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 if URL answers 2xx within the timeout, else 1. For container healthchecks (no curl in the image)."
    )

    @Argument(help: "URL to check, e.g. http://127.0.0.1:8004/health/ready") var url: String
    @Option(name: .long, help: "Timeout in seconds.") var timeout: Double = 5

    func validate() throws {
        guard let u = URL(string: url), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
            throw ValidationError("'\(url)' is not an http(s) URL")
        }
        guard timeout > 0, timeout <= 300 else { throw ValidationError("--timeout must be in (0, 300] seconds") }
    }

    func run() async throws {
        let result = await HealthProbe.check(url: url, timeout: timeout)
        switch result {
        case .healthy(let status):
            print("ok: \(url) answered \(status)")
        case .unhealthy(let reason):
            printError("unhealthy: \(url): \(reason)")
            throw ExitCode.failure
        }
    }
}
