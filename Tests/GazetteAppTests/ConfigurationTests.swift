import Foundation
import GazetteAccount
import GazetteApp
import GazetteCore
import Testing

/// Loading the configuration from `OptionTable`: defaults, precedence, aliases, errors, secrets.
@Suite("Configuration")
struct ConfigurationTests {
    @Test("defaults")
    func defaults() throws {
        let config = try Configuration.load(environment: [:])
        #expect(config.databaseURL == "sqlite:./data/gazette.sqlite")
        #expect(config.server.host == "127.0.0.1")
        #expect(config.server.port == 8004)
        #expect(config.worker.interval == 3600)
        #expect(config.worker.postTTL == 7 * 86_400)
        #expect(config.summarizer.kind == .extractive)
        #expect(config.sources.previewBaseURL.absoluteString == "https://t.me")
        #expect(config.digest.images, "pictures are on in a process, off in a bare DigestOptions")
        #expect(config.digest.summaryCache.maxBytes == 64 * 1024 * 1024, "the summary cache is on in a process, off in a bare DigestOptions")
        #expect(config.account.directory == "./data/account")
    }

    @Test("flags win over GAZETTE_* variables, which win over the earlier system's aliases")
    func precedence() throws {
        let env = ["GAZETTE_PORT": "9000", "MCP_PORT": "9001", "POST_TTL_DAYS": "3", "GAZETTE_POST_TTL_DAYS": "5"]
        let config = try Configuration.load(flags: ["port": "9500"], environment: env)
        #expect(config.server.port == 9500)
        #expect(config.worker.postTTL == 5 * 86_400)
        #expect(try Configuration.load(environment: ["POST_TTL_DAYS": "3"]).worker.postTTL == 3 * 86_400)
        #expect(try Configuration.load(environment: ["GAZETTE_PORT": ""]).server.port == 8004, "an empty variable is unset")
        let cache = try Configuration.load(flags: ["summary-cache-max-bytes": "0"], environment: ["GAZETTE_SUMMARY_CACHE_MAX_BYTES": "1024"])
        #expect(cache.digest.summaryCache.maxBytes == 0, "0 turns the summary cache off")
        #expect(try Configuration.load(environment: ["GAZETTE_SUMMARY_CACHE_MAX_BYTES": "1024"]).digest.summaryCache.maxBytes == 1024)
    }

    @Test("the earlier system's aliases are accepted")
    func aliases() throws {
        let config = try Configuration.load(environment: [
            "POST_FETCH_INTERVAL_HOURS": "2", "TELEGRAM_BOT_TOKEN": "123456:ABCdef_ghi-jkl",
            "LLM_URL": "http://127.0.0.1:9999", "LLM_MODEL": "m", "LLM_API_KEY": "sk-test",
        ])
        #expect(config.worker.interval == 7200)
        #expect(config.bot.token?.value == "123456:ABCdef_ghi-jkl")
        #expect(config.summarizer.llmURL?.absoluteString == "http://127.0.0.1:9999")
        #expect(config.summarizer.kind == .llm)
    }

    @Test("durations", arguments: [("15m", 900.0), ("1h", 3600), ("30s", 30), ("2d", 172_800), ("90", 90)])
    func durations(text: String, seconds: Double) throws {
        #expect(try Configuration.load(flags: ["interval": text], environment: [:]).worker.interval == seconds)
    }

    @Test("a bad value fails with one line naming the option and its source",
          arguments: [("port", "abc"), ("interval", "soon"), ("database", "mysql://x"), ("log-format", "xml"),
                      ("telegram-preview-base-url", "not a url"), ("images", "maybe"), ("max-retry-wait", "2h")])
    func invalid(key: String, value: String) {
        do {
            _ = try Configuration.load(flags: [key: value], environment: [:])
            Issue.record("\(key) = \(value) was accepted")
        } catch {
            #expect(error.description.hasPrefix("invalid --\(key) '"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("an environment variable is named in the error")
    func invalidEnvironment() {
        #expect(throws: ConfigError.self) { try Configuration.load(environment: ["GAZETTE_PORT": "70000"]) }
        do { _ = try Configuration.load(environment: ["GAZETTE_PORT": "70000"]) } catch {
            #expect(error.description.contains("GAZETTE_PORT (--port)"))
        }
    }

    @Test("secrets never appear in errors or in the printed configuration; the log redactor gets them all")
    func secrets() throws {
        do {
            _ = try Configuration.load(environment: ["TELEGRAM_BOT_TOKEN": "not-a-token-supersecret"])
            Issue.record("a malformed token was accepted")
        } catch {
            #expect(!error.description.contains("supersecret"))
        }
        let config = try Configuration.load(environment: [
            "TELEGRAM_BOT_TOKEN": "123456:SECRETSECRETSECRET", "GAZETTE_API_TOKEN": "apitoken-secret",
            "GAZETTE_DATABASE_URL": "postgres://gazette:dbpass-secret@127.0.0.1:5432/gazette",
            "GAZETTE_SMTP_PASSWORD": "smtp-secret",
        ])
        let printed = config.redactedDescription
        for secret in ["SECRETSECRET", "apitoken-secret", "dbpass-secret", "smtp-secret"] {
            #expect(!printed.contains(secret))
        }
        #expect(printed.contains("database: postgres://gazette:***@127.0.0.1:5432/gazette"))
        #expect(printed.contains("smtp-password: ***") && printed.contains("llm-api-key: (unset)"))
        #expect(Set(config.secrets) == ["123456:SECRETSECRETSECRET", "apitoken-secret", "dbpass-secret", "smtp-secret"])
    }

    @Test("the llm summarizer without an URL is refused; email without a sender is refused")
    func combinations() {
        #expect(throws: ConfigError.self) { try Configuration.load(flags: ["summarizer": "llm"], environment: [:]) }
        #expect(throws: ConfigError.self) { try Configuration.load(flags: ["smtp-url": "smtp://127.0.0.1:2525"], environment: [:]) }
    }

    @Test("the account: secrets, aliases, the session directory under the data directory")
    func account() throws {
        let config = try Configuration.load(environment: [
            "TELEGRAM_API_ID": "12345", "TELEGRAM_API_HASH": "0123456789abcdef0123456789abcdef",
            "GAZETTE_TDLIB_DATABASE_KEY": "k3y-value", "GAZETTE_DATA_DIR": "/srv/gz",
        ])
        #expect(config.account.apiID == 12345)
        #expect(config.account.directory == "/srv/gz/account")
        let printed = config.redactedDescription
        #expect(!printed.contains("0123456789abcdef") && !printed.contains("k3y-value"))
        #expect(printed.contains("telegram-api-hash: ***"))
    }

    @Test("a malformed api hash is refused without echoing it", arguments: ["abc", "0123456789abcdef0123456789abcdeg"])
    func badHash(hash: String) {
        do {
            _ = try Configuration.load(flags: ["telegram-api-hash": hash], environment: [:])
            Issue.record("accepted \(hash)")
        } catch {
            #expect(error.description.contains("--telegram-api-hash"))
            #expect(!error.description.contains(hash))
        }
    }

    @Test("a command using the account without --telegram-api-id names the option on one line")
    func missingAPIID() async throws {
        let config = try Configuration.load(flags: ["data-dir": "/nonexistent-gazette"], environment: [:])
        await #expect(throws: AccountError.missingOption(flag: "--telegram-api-id", environment: "GAZETTE_TELEGRAM_API_ID")) {
            _ = try await GazetteCommands.login(config, migrate: true, prompter: AnsweringPrompter { _, _ in "" }, qr: false,
                                                logger: AppHarness.logger)
        }
    }
}

/// The table itself and what is made from it: flags, `--help`, `gazette config`, the docs.
@Suite("Option table")
struct OptionTableTests {
    @Test("keys and environment variables are unique, every option has help and a section")
    func unique() {
        let keys = OptionTable.all.map(\.key)
        #expect(Set(keys).count == keys.count)
        let names = OptionTable.all.flatMap(\.environment)
        #expect(Set(names).count == names.count)
        for option in OptionTable.all {
            #expect(!option.help.isEmpty && !option.environment.isEmpty, "\(option.key)")
        }
    }

    @Test("every value gazette config prints reads back as the same value", arguments: OptionTable.all.map(\.key))
    func roundTrip(key: String) throws {
        // Non-default values where the default is unset, so that each option is printed with a value.
        let set: [String: String] = [
            "api-tokens-file": "/etc/gazette/tokens", "metrics-port": "9111", "llm-url": "http://127.0.0.1:1", "summarizer": "llm",
            "otlp-endpoint": "http://127.0.0.1:4318", "telegram-api-id": "42", "account-dir": "/srv/account",
            "tdlib-path": "/opt/libtdjson.so", "smtp-url": "smtp://127.0.0.1:2525", "smtp-user": "mailer",
            "smtp-from": "gazette@example.com", "bot-allowed-users": "7,8",
        ]
        let option = OptionTable.option(key)
        let first = try Configuration.load(flags: set, environment: [:])
        let printed = Self.printed(first, key)
        guard !option.secret, printed != "(unset)" else { return }
        let again = try Configuration.load(flags: set.merging([key: printed]) { _, new in new }, environment: [:])
        #expect(Self.printed(again, key) == printed)
    }

    static func printed(_ config: Configuration, _ key: String) -> String {
        let prefix = key + ": "
        return config.redactedDescription.split(separator: "\n").first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) } ?? "?"
    }

    @Test("flags are taken out of a command line: --key value, --key=value, a switch; the rest stays in order")
    func extract() throws {
        let flags = try OptionFlags.extract(["digest", "--user", "1", "--database", "sqlite:/tmp/g.sqlite", "--images=off",
                                             "--allow-private-sources", "--out", "d.pdf", "--", "--port", "1"])
        #expect(flags.values == ["database": "sqlite:/tmp/g.sqlite", "images": "off", "allow-private-sources": "true"])
        #expect(flags.remaining == ["digest", "--user", "1", "--out", "d.pdf", "--", "--port", "1"])
        #expect(throws: ConfigError.self) { try OptionFlags.extract(["fetch", "--interval"]) }
    }

    @Test("a flag of an option the command does not read is refused, naming it")
    func refused() throws {
        let flags = try OptionFlags.extract(["migrate", "--smtp-url", "smtp://127.0.0.1:25"])
        #expect(throws: Never.self) { try flags.check(accepted: [.delivery], command: "gazette deliver") }
        do {
            try flags.check(accepted: [.database, .log], command: "gazette migrate")
            Issue.record("accepted")
        } catch {
            #expect(error.description == "invalid --smtp-url: not an option of gazette migrate")
        }
    }

    @Test("--help lists the options of the command's sections with their defaults and variables")
    func help() {
        let text = OptionTable.help(for: [.database, .log])
        #expect(text.contains("--database <url>") && text.contains("GAZETTE_DATABASE_URL, DATABASE_URL"))
        #expect(text.contains("--log-level <level>") && text.contains("Default: info."))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(!text.contains("--smtp-url"))
    }

    /// docs/DEPLOYMENT.md of this checkout.
    static let deployment = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/DEPLOYMENT.md")

    @Test("docs/DEPLOYMENT.md's option list is the one generated from the table (scripts/update-option-docs.sh)")
    func docs() throws {
        let text = try String(contentsOf: Self.deployment, encoding: .utf8)
        let begin = "<!-- options: generated by scripts/update-option-docs.sh from OptionTable; do not edit -->\n"
        let end = "\n<!-- options: end -->"
        let start = try #require(text.range(of: begin), "the docs have no generated option list")
        let stop = try #require(text.range(of: end, range: start.upperBound..<text.endIndex))
        let documented = String(text[start.upperBound..<stop.lowerBound])
        #expect(documented == OptionTable.markdown(), "docs/DEPLOYMENT.md is out of date: run scripts/update-option-docs.sh")
    }
}
