import ArgumentParser
import Foundation
import GazetteApp
import GazetteRenderCLI

// The configuration options are not declared here: their flags come from `OptionTable` (GazetteApp). `Gazette.main`
// takes them out of the command line before ArgumentParser parses the rest, and each command loads its configuration
// with `loadConfiguration`, naming the sections of the table it reads; its `--help` lists them (`optionHelp`).

/// `--no-migrate`, beside the database option every command that touches the database reads.
struct DatabaseOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not apply database migrations at start-up.")
    var noMigrate = false
}

/// `--insecure-no-auth`, beside the server's options.
struct ServerOptions: ParsableArguments {
    @Flag(name: .long, help: "Allow binding a non-loopback address without GAZETTE_API_TOKEN.")
    var insecureNoAuth = false
}

/// The configuration of the command being run: the flags of the options it reads (`Gazette.main` has refused the
/// others), then the environment, then the defaults. An invalid value ends the process with one line naming it
/// (exit 64).
func loadConfiguration() throws -> Configuration {
    do {
        let flags = try OptionFlags.extract(Array(CommandLine.arguments.dropFirst()))
        return try Configuration.load(flags: flags.values, environment: ProcessInfo.processInfo.environment)
    } catch {
        printError("error: \(error)")
        throw ExitCode(64)
    }
}

/// What a command's `--help` says about the configuration options it reads.
func optionHelp(_ discussion: String, _ sections: [OptionSection]) -> String {
    [discussion, OptionTable.help(for: sections)].filter { !$0.isEmpty }.joined(separator: "\n\n")
}

func optionHelp(_ sections: [OptionSection]) -> String {
    optionHelp("", sections)
}

/// One line to standard error, written as `gazette-render` writes it.
func printError(_ message: String) {
    RenderJob.printError(message)
}

/// Prints and flushes standard output at once: when stdout is a pipe (docker logs, journald) `print` would keep the
/// text in a buffer until it fills or the process exits.
func printNow(_ text: String) {
    print(text)
    fflush(nil)  // all output streams; `stdout` itself is a C global Swift 6 will not touch
}
