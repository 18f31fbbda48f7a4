import Foundation
import GazetteCore
import Testing

@Suite("Configuration")
struct ConfigTests {
    @Test("defaults")
    func defaults() throws {
        let config = try Config.load(environment: [:])
        #expect(config.databaseURL == "sqlite:./data/gazette.sqlite")
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8004)
        #expect(config.interval == 3600)
        #expect(config.postTTLDays == 7)
        #expect(config.summarizer == .extractive)
        #expect(config.telegramPreviewBaseURL.absoluteString == "https://t.me")
    }

    @Test("flags win over GAZETTE_* variables, which win over the seed's aliases")
    func precedence() throws {
        let env = ["GAZETTE_PORT": "9000", "MCP_PORT": "9001", "POST_TTL_DAYS": "3", "GAZETTE_POST_TTL_DAYS": "5"]
        let config = try Config.load(flags: [.port: "9500"], environment: env)
        #expect(config.port == 9500)
        #expect(config.postTTLDays == 5)
        #expect(try Config.load(environment: ["POST_TTL_DAYS": "3"]).postTTLDays == 3)
    }

    @Test("the seed's aliases are accepted")
    func aliases() throws {
        let config = try Config.load(environment: [
            "POST_FETCH_INTERVAL_HOURS": "2", "TELEGRAM_BOT_TOKEN": "123456:ABCdef_ghi-jkl",
            "LLM_URL": "http://127.0.0.1:9999", "LLM_MODEL": "m", "LLM_API_KEY": "sk-test",
        ])
        #expect(config.interval == 7200)
        #expect(config.botToken?.value == "123456:ABCdef_ghi-jkl")
        #expect(config.llmURL?.absoluteString == "http://127.0.0.1:9999")
        #expect(config.summarizer == .llm)
    }

    @Test("durations", arguments: [("15m", 900.0), ("1h", 3600), ("30s", 30), ("2d", 172_800), ("90", 90)])
    func durations(text: String, seconds: Double) throws {
        #expect(try Config.load(flags: [.interval: text], environment: [:]).interval == seconds)
    }

    @Test("a bad value fails with one line naming the option and its source",
          arguments: [(ConfigOption.port, "abc", "--port"), (.interval, "soon", "--interval"), (.database, "mysql://x", "--database"),
                      (.logFormat, "xml", "--log-format"), (.telegramPreviewBaseURL, "not a url", "--telegram-preview-base-url")])
    func invalid(option: ConfigOption, value: String, named: String) {
        do {
            _ = try Config.load(flags: [option: value], environment: [:])
            Issue.record("\(option) = \(value) was accepted")
        } catch {
            #expect(error.description.hasPrefix("invalid \(named)"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("an environment variable is named in the error")
    func invalidEnvironment() {
        #expect(throws: ConfigError.self) { try Config.load(environment: ["GAZETTE_PORT": "70000"]) }
        do { _ = try Config.load(environment: ["GAZETTE_PORT": "70000"]) } catch {
            #expect(error.description.contains("GAZETTE_PORT (--port)"))
        }
    }

    @Test("secrets never appear in errors or in the printed configuration")
    func secrets() throws {
        do {
            _ = try Config.load(environment: ["TELEGRAM_BOT_TOKEN": "not-a-token-supersecret"])
            Issue.record("a malformed token was accepted")
        } catch {
            #expect(!error.description.contains("supersecret"))
        }
        let config = try Config.load(environment: [
            "TELEGRAM_BOT_TOKEN": "123456:SECRETSECRETSECRET", "GAZETTE_API_TOKEN": "apitoken-secret",
            "GAZETTE_DATABASE_URL": "postgres://gazette:dbpass-secret@127.0.0.1:5432/gazette",
        ])
        let printed = config.redactedDescription
        #expect(!printed.contains("SECRETSECRET"))
        #expect(!printed.contains("apitoken-secret"))
        #expect(!printed.contains("dbpass-secret"))
        #expect(printed.contains("postgres://gazette:***@127.0.0.1:5432/gazette"))
        #expect("\(config.botToken!)" == "***")
    }

    @Test("the llm summarizer without an URL is refused")
    func llmNeedsURL() {
        #expect(throws: ConfigError.self) { try Config.load(flags: [.summarizer: "llm"], environment: [:]) }
    }

    @Test("loopback detection")
    func loopback() throws {
        #expect(try Config.load(environment: [:]).bindsLoopback)
        #expect(try !Config.load(flags: [.host: "0.0.0.0"], environment: [:]).bindsLoopback)
    }
}
