// swift-tools-version:6.2
import PackageDescription

// Swift 6.2 is the floor: several dependencies (AsyncHTTPClient, Hummingbird, swift-log, …) declare tools 6.2.
// Every dependency is pinned exactly: the build machines resolve from a local mirror
// that holds these versions only.
let package = Package(
    name: "gazette",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gazette", targets: ["gazette"]),
        .executable(name: "gazette-render", targets: ["gazette-render"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", exact: "0.12.1"),
        .package(url: "https://github.com/swift-otel/swift-otel", exact: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", exact: "1.7.3"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        // MARK: C libraries from Debian -dev packages
        .systemLibrary(name: "CCmarkGFM", pkgConfig: "libcmark-gfm",
                       providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo",
                       providers: [.apt(["libpango1.0-dev", "libcairo2-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CWebP", pkgConfig: "libwebp", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        // libjpeg reports errors by longjmp: these C wrappers catch them, so no longjmp crosses a Swift frame.
        .target(name: "CJPEGCodec", dependencies: ["CJPEG"]),
        // libcurl's SMTP client (STARTTLS, SMTPS, AUTH) for the digest by email.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode",
                       providers: [.apt(["libqrencode-dev"])]),
        // TDLib's JSON interface, reached through dlopen() at run time: Gazette builds and runs without the library.
        .target(name: "CTDJSON", linkerSettings: [.linkedLibrary("dl")]),
        // Snowball stemmers (no pkg-config file in Debian; the module map links libstemmer).
        .systemLibrary(name: "CStemmer", providers: [.apt(["libstemmer-dev"])]),

        // MARK: Libraries
        .target(name: "GazetteBuildInfo"),
        .target(name: "GazetteCore", dependencies: ["GazetteBuildInfo"]),
        .target(name: "GazetteMetrics", dependencies: ["GazetteCore"]),
        // Words as search and the digest read them: Snowball stems, the search index's terms, the query language, snippets.
        .target(name: "GazetteText", dependencies: ["GazetteCore", "CStemmer"]),
        .target(name: "GazetteStorage", dependencies: [
            "GazetteCore", "GazetteText",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // cmark-gfm set up once per process, and the digest's own blocks (the chart): shared by the PDF and the web.
        .target(name: "GazetteMarkdown", dependencies: ["CCmarkGFM"]),
        .target(name: "GazettePDF", dependencies: ["GazetteMarkdown", "CCmarkGFM", "CPangoCairo", "CWebP", "CJPEGCodec"]),
        // The Telegram user account: TDLib client, login, reading channels through the account.
        .target(name: "GazetteAccount", dependencies: [
            "GazetteCore", "GazetteSources", "GazetteMetrics", "CTDJSON", "CQREncode",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "GazetteRenderCLI", dependencies: ["GazettePDF"]),
        .target(name: "GazetteObservability", dependencies: [
            "GazetteCore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
            "GazetteMetrics",
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "OTel", package: "swift-otel"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .target(name: "GazetteSources", dependencies: [
            "GazetteCore", "CLibXML2",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
        ]),
        .target(name: "GazetteDigest", dependencies: [
            "GazetteCore", "GazetteMarkdown", "GazettePDF", "GazetteText",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
        ]),
        .target(name: "GazetteWorker", dependencies: [
            "GazetteCore", "GazetteSources", "GazetteObservability",
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "GazetteMCP", dependencies: [
            "GazetteCore", "GazetteSources", "GazetteDigest", "GazetteText", "GazetteObservability",
            .product(name: "MCP", package: "swift-sdk"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The web reader and the Atom feed (`/u/<token>/…`): mustache templates, the digest as HTML (cmark-gfm).
        .target(name: "GazetteWeb", dependencies: [
            "GazetteCore", "GazetteDigest", "GazetteMarkdown", "GazetteText", "GazetteObservability", "CCmarkGFM",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
        ]),
        .target(name: "GazetteBot", dependencies: [
            "GazetteCore", "GazetteDigest", "GazetteText", "GazetteObservability", "GazetteDelivery",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Tracing", package: "swift-distributed-tracing"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The daily digest to every destination a user chose (Telegram through the bot's messenger, email over SMTP with
        // libcurl, the digest archive behind the feed), exactly once per user and day.
        .target(name: "GazetteDelivery", dependencies: [
            "GazetteCore", "GazetteDigest", "CCurl",
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // Every long-running process (serve, worker, bot, run) and `gazette mcp`, assembled in one place.
        .target(name: "GazetteApp", dependencies: [
            "GazetteCore", "GazetteAccount", "GazetteStorage", "GazetteDigest", "GazetteMCP", "GazetteWorker", "GazetteBot", "GazetteSources",
            "GazetteObservability", "GazetteMetrics", "GazetteWeb", "GazetteDelivery", "GazetteText",
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // MARK: The executable: argument parsing only
        // Release builds (`make release`: `--static-swift-stdlib`) also pack relative relocations (lld's RELR, read by
        // glibc ≥ 2.36): fewer pages of the binary are read and written at start-up (docs/BENCHMARKS.md, worker memory).
        .executableTarget(name: "gazette", dependencies: [
            "GazetteCore", "GazetteStorage", "GazetteSources", "GazetteDigest", "GazettePDF", "GazetteRenderCLI",
            "GazetteWorker", "GazetteMCP", "GazetteBot", "GazetteObservability", "GazetteApp", "GazetteAccount", "GazetteWeb",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], linkerSettings: [.unsafeFlags([
            "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
        ], .when(configuration: .release))]),

        // The renderer alone, built for a small footprint (docs/PDF.md, "Memory"). Release builds link the Swift
        // runtime and FoundationEssentials statically (a process mapping the shared Swift libraries touches more
        // of their pages for relocations than the renderer uses; static FoundationEssentials needs its helper
        // libraries named) and pack relative relocations (lld's RELR, read by glibc ≥ 2.36).
        .executableTarget(name: "gazette-render", dependencies: ["GazetteRenderCLI", "GazetteBuildInfo"],
                          linkerSettings: [.unsafeFlags([
                              "-static-stdlib", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                              "-Xlinker", "-lFoundationEssentials", "-Xlinker", "-l_FoundationCollections",
                              "-Xlinker", "-l_FoundationCShims", "-Xlinker", "-lswiftSynchronization",
                          ], .when(configuration: .release))]),

        // MARK: Benchmarks behind `make bench`
        .executableTarget(name: "gazette-bench", dependencies: [
            "GazetteTestSupport", "GazetteStorageTesting", "GazetteCore", "GazetteStorage", "GazetteSources", "GazetteDigest", "GazettePDF",
            "GazetteWorker", "GazetteMCP", "GazetteBot", "GazetteObservability", "GazetteAccount", "GazetteWeb", "GazetteText",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            "GazetteMetrics",
        ]),

        // MARK: Tests (Swift Testing), one target per library
        // Loopback fakes shared by the test targets (stand-ins for Telegram and feeds).
        .target(name: "GazetteTestSupport", dependencies: [
            "GazetteCore", "GazetteAccount",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/GazetteTestSupport"),
        // Throwaway databases, raw SQL and benchmark baselines for the stores: test and bench code, never shipped.
        .target(name: "GazetteStorageTesting", dependencies: [
            "GazetteTestSupport", "GazetteStorage", "GazetteCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], path: "Tests/GazetteStorageTesting"),
        .testTarget(name: "GazetteCoreTests", dependencies: ["GazetteCore"]),
        .testTarget(name: "GazetteTextTests", dependencies: ["GazetteText", "GazetteCore"]),
        .testTarget(name: "GazetteMetricsTests", dependencies: ["GazetteMetrics"]),
        .testTarget(name: "GazetteMarkdownTests", dependencies: ["GazetteMarkdown", "CCmarkGFM"]),
        .testTarget(name: "GazetteAccountTests", dependencies: [
            "GazetteAccount", "GazetteCore", "GazetteTestSupport", "GazetteStorage", "GazetteSources", "GazetteWorker", "GazetteDigest",
            "GazetteMetrics", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "GazetteStorageTests", dependencies: ["GazetteStorage", "GazetteStorageTesting", "GazetteCore"]),
        .testTarget(name: "GazettePDFTests", dependencies: ["GazettePDF", "GazetteTestSupport"]),
        .testTarget(name: "GazetteSourcesTests", dependencies: [
            "GazetteTestSupport", "GazetteSources", "GazetteCore", .product(name: "Hummingbird", package: "hummingbird")]),
        .testTarget(name: "GazetteDigestTests", dependencies: [
            "GazetteTestSupport", "GazetteDigest", "GazetteCore", "GazetteText", "GazetteStorage", "GazettePDF",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            "GazetteMetrics",
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Golden"]),
        .testTarget(name: "GazetteWorkerTests", dependencies: [
            "GazetteTestSupport", "GazetteStorageTesting", "GazetteWorker", "GazetteStorage", "GazetteCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "GazetteMCPTests", dependencies: [
            "GazetteTestSupport",
            "GazetteMCP", "GazetteStorage", "GazetteCore", "GazetteObservability", "GazetteDigest", "GazetteSources", "GazetteMetrics",
            .product(name: "MCP", package: "swift-sdk"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "GazetteBotTests", dependencies: [
            "GazetteTestSupport", "GazetteBot", "GazetteStorage", "GazetteCore", "GazetteDigest", "GazettePDF", "GazetteDelivery",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ]),
        .testTarget(name: "GazetteAppTests", dependencies: [
            "GazetteTestSupport", "GazetteStorageTesting", "GazetteApp", "GazetteCore", "GazetteStorage", "GazetteMetrics",
            "GazetteObservability", "GazetteAccount", "GazetteWorker",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
        ]),
        .testTarget(name: "GazetteWebTests", dependencies: [
            "GazetteTestSupport", "GazetteWeb", "GazetteMarkdown", "GazetteCore", "GazetteDigest", "GazetteStorage", "GazettePDF", "GazetteMetrics", "GazetteObservability",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "GazetteDeliveryTests", dependencies: ["GazetteDelivery", "GazetteCore"]),
        .testTarget(name: "GazetteObservabilityTests", dependencies: [
            "GazetteTestSupport", "GazetteObservability", "GazetteCore", "GazetteMetrics",
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
