import Foundation
import GazetteCore

/// What `gazette run` prints once it is listening: where everything is and what to do next.
public enum Banner {
    /// - Parameter command: how to call this binary from the user's shell (`Banner.invocation()`).
    public static func text(_ endpoints: GazetteProcess.Endpoints, config: Configuration, command: String) -> String {
        let database = Secret.redactingPassword(inURL: config.databaseURL)
        var lines = [
            "Gazette \(GazetteVersion.current) is running.",
            "",
            "  MCP (Streamable HTTP)  \(endpoints.baseURL)/mcp",
            "  REST API               \(endpoints.baseURL)/tools, \(endpoints.baseURL)/call",
            "  Metrics                \(endpoints.baseURL)/metrics",
            "  Health                 \(endpoints.baseURL)/health/ready",
            "  Database               \(database)",
            "  Fetching               every \(DurationParser.format(config.worker.interval)) from \(config.sources.previewBaseURL.absoluteString)",
            "  Telegram bot           \(endpoints.botEnabled ? "on" : "off (set TELEGRAM_BOT_TOKEN to turn it on)")",
            "",
            "Next steps:",
            "  1. Subscribe a channel:     \(command) channels add --user 1 @durov",
            "  2. Get a digest:            \(command) digest --user 1 --out digest.pdf   (or: \(command) digest --demo --out demo.pdf)",
            "  3. Connect an MCP client:   \(endpoints.baseURL)/mcp  (stdio: \(command) mcp; see docs/MCP.md)",
        ]
        if !endpoints.botEnabled {
            lines.append("  4. Turn on the bot:         TELEGRAM_BOT_TOKEN=123456:ABC… \(command) run   (token from @BotFather)")
        }
        if command != "gazette" {
            lines.append("")
            lines.append("(`gazette` is not on your PATH; `make install` puts it in /usr/local/bin, or PREFIX=… for elsewhere.)")
        }
        lines.append("")
        lines.append("Stop with Ctrl-C.")
        return lines.joined(separator: "\n")
    }

    /// How the user can call this binary again: `gazette` when that name on PATH is this binary, else the path it
    /// was started by (`.build/release/gazette` after `make run`).
    public static func invocation(argument0: String = CommandLine.arguments.first ?? "gazette",
                                  path: String = ProcessInfo.processInfo.environment["PATH"] ?? "",
                                  executable: String? = Bundle.main.executablePath) -> String {
        let me = executable.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("gazette")
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { continue }
            // The first `gazette` on PATH is what the shell runs: only that one counts.
            return candidate.resolvingSymlinksInPath().path == me ? "gazette" : argument0
        }
        return argument0
    }
}
