import GazetteBuildInfo
import GazetteRenderCLI
#if canImport(Glibc)
import Glibc
#endif

/// `gazette-render`: the PDF renderer alone, for scripts and small machines; the same options, output and exit
/// statuses as `gazette render`. Its few options are parsed by hand so the binary links no argument parser:
/// the point of this executable is its footprint (docs/PDF.md, "Memory").
@main
enum GazetteRender {
    static let synopsis = "gazette-render <file> --out <out> [--title <title>] [--creation-date <date>]"

    static let usage = """
        USAGE: \(synopsis)

        \(RenderJob.abstract)

        \(RenderJob.discussion)

        OPTIONS:
          --out <out>             \(RenderJob.Help.out)
          --title <title>         \(RenderJob.Help.title)
          --creation-date <date>  \(RenderJob.Help.creationDate)
          --version               Show the version.
          -h, --help              Show help information.
        """

    static func main() {
        do {
            guard let job = try parse(Array(CommandLine.arguments.dropFirst())) else { return }
            try job.run()
        } catch {
            RenderJob.printError(error.message)
            exit(error.status)
        }
    }

    /// The options that take a value, as `--name value` or `--name=value`.
    static let valueOptions: Set = ["--out", "--title", "--creation-date"]

    /// The job to run, or nil when `--help` or `--version` was answered.
    static func parse(_ arguments: [String]) throws(RenderJob.Failure) -> RenderJob? {
        var file: String?
        var options: [String: String] = [:]
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "-h", "--help":
                print(usage)
                return nil
            case "--version":
                print(GazetteVersion.current)
                return nil
            case _ where valueOptions.contains(argument):
                guard let value = rest.popFirst() else { throw badOption("missing value for '\(argument)'") }
                options[argument] = value
            case _ where argument.hasPrefix("--") && argument.contains("="):
                let name = String(argument.prefix { $0 != "=" })
                guard valueOptions.contains(name) else { throw badOption("unknown option '\(name)'") }
                options[name] = String(argument.dropFirst(name.count + 1))
            case _ where argument.hasPrefix("-") && argument != "-":
                throw badOption("unknown option '\(argument)'")
            default:
                guard file == nil else { throw badOption("unexpected argument '\(argument)'") }
                file = argument
            }
        }
        guard let file else { throw badOption("missing expected argument '<file>'") }
        guard let out = options["--out"] else { throw badOption("missing expected argument '--out <out>'") }
        return RenderJob(file: file, out: out, title: options["--title"], creationDate: options["--creation-date"])
    }

    private static func badOption(_ reason: String) -> RenderJob.Failure {
        RenderJob.Failure(status: 64, message: "error: \(reason)\nusage: \(synopsis)")
    }
}
