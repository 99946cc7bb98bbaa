// swift-tools-version:6.2
import PackageDescription

/// `scripts/fuzz` builds with PARLEY_FUZZ=1 (in its own build folder, .build-fuzz): Parley's
/// modules that read network input get libFuzzer's coverage instrumentation and ParleyFuzz
/// links libFuzzer. Dependencies and build tools stay as they are.
let fuzzing = Context.environment["PARLEY_FUZZ"] == "1"
let fuzzCoverage: [SwiftSetting] = fuzzing ? [.unsafeFlags(["-sanitize=fuzzer"])] : []

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "botcli", targets: ["botcli"]),
        .executable(name: "parley-bench", targets: ["ParleyBench"]),
        .library(name: "FlowDSL", targets: ["FlowDSL"]),
        .library(name: "Vault", targets: ["Vault"]),
        .library(name: "BotRuntime", targets: ["BotRuntime"]),
        .library(name: "TwilioIntegration", targets: ["TwilioIntegration"]),
        .library(name: "BotTesting", targets: ["BotTesting"]),
        .library(name: "BotServer", targets: ["BotServer"]),
        .library(name: "TwilioWire", targets: ["TwilioWire"]),
        .library(name: "TwilioEmulator", targets: ["TwilioEmulator"]),
        .library(name: "ParleyApp", targets: ["ParleyApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Imported directly (NIOCore, NIOHTTP1, HTTPTypes), not only through the packages above.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "FlowDSL",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: fuzzCoverage
        ),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .target(
            name: "Vault",
            dependencies: [
                "CSodium", "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "BotRuntime",
            dependencies: [
                "FlowDSL", "Vault", "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            swiftSettings: fuzzCoverage
        ),
        // The store shared by several `botcli serve` replicas: PostgreSQL through postgres-nio.
        .target(
            name: "ParleyPostgres",
            dependencies: [
                "BotRuntime", "FlowDSL", "Vault",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "BotTesting",
            dependencies: ["BotRuntime", "FlowDSL", .product(name: "OrderedCollections", package: "swift-collections"), .product(name: "Logging", package: "swift-log")]
        ),
        // Twilio's wire format (forms, signatures, SIDs, error bodies, TwiML), shared by the
        // integration and the emulator, which never import each other.
        .target(name: "TwilioWire", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: fuzzCoverage),
        // A local stand-in for Twilio (Flex, Programmable Chat, TaskRouter, an agent console), one
        // folder per product; development and tests only.
        .target(
            name: "TwilioEmulator",
            dependencies: [
                "TwilioWire",
                // Virtual agent scripts are YAML.
                .product(name: "Yams", package: "Yams"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The agent console page, embedded by EmbedFiles (see embed.json).
            exclude: ["embed.json", "Console/Assets"],
            plugins: ["EmbedFiles"]
        ),
        .target(
            name: "TwilioIntegration",
            dependencies: [
                "BotRuntime", "FlowDSL", "TwilioWire",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "BotServer",
            dependencies: [
                "BotRuntime", "FlowDSL", "Vault",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The chat page's files, embedded by EmbedFiles (see embed.json).
            exclude: ["embed.json", "WebChat/Assets"],
            swiftSettings: fuzzCoverage,
            plugins: ["EmbedFiles"]
        ),
        // An app's start-up (load, vault, store, integrations, engine) and the one list of
        // integrations, shared by botcli, tests and benchmarks.
        .target(
            name: "ParleyApp",
            dependencies: [
                "BotRuntime", "FlowDSL", "Vault", "TwilioIntegration", "ParleyPostgres",
                .product(name: "Logging", package: "swift-log"),
                // `http_call:` (HTTPCallComponent).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            // The template app, embedded by EmbedFiles (see embed.json).
            exclude: ["embed.json"],
            plugins: ["EmbedFiles"]
        ),
        // The benchmarks (`parley-bench`; `botcli bench` runs it): release builds only matter.
        .executableTarget(
            name: "ParleyBench",
            dependencies: [
                "FlowDSL", "Vault", "BotRuntime", "BotServer", "ParleyApp", "ParleyPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // Throwaway databases for `bench http --store postgres`.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "EmbedFilesTool"),
        // The network decoders under libFuzzer (`scripts/fuzz` builds it with -sanitize=fuzzer);
        // built normally it replays corpora. Development and CI only: not a product.
        .target(name: "CFuzzer"),
        .executableTarget(
            name: "ParleyFuzz",
            dependencies: ["BotServer", "BotRuntime", "FlowDSL", "TwilioWire", "CFuzzer"],
            swiftSettings: fuzzing ? fuzzCoverage + [.define("FUZZING")] : [],
            linkerSettings: fuzzing ? [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])] : []
        ),
        // Embeds the folders a target's embed.json names into it (app-template/ into ParleyApp,
        // the chat page into BotServer, the agent console into TwilioEmulator).
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["EmbedFilesTool"]),
        .executableTarget(
            name: "botcli",
            dependencies: [
                "FlowDSL", "Vault", "BotRuntime", "BotTesting", "ParleyApp", "TwilioIntegration", "TwilioEmulator", "BotServer", "ParleyPostgres", "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FlowDSLTests",
            dependencies: ["FlowDSL", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "VaultTests", dependencies: ["Vault", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "BotRuntimeTests", dependencies: ["BotRuntime", "BotTesting", "FlowDSL", "Vault", "ParleyPostgres", "SharedTestFixtures", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "TwilioIntegrationTests",
            dependencies: [
                "TwilioIntegration", "ParleyApp", "FlowDSL", "BotRuntime", "BotServer", "TwilioWire", "TwilioEmulator", "HeadlessBrowser", "SharedTestFixtures",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TwilioWireTests", dependencies: ["TwilioWire", "SharedTestFixtures"]),
        // Finds the Twilio fixtures in Tests/Fixtures and parses their recorded requests, for every
        // test target that replays them; starts servers under test (LocalServer). Not a product.
        .target(
            name: "SharedTestFixtures",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SharedTestFixtures"
        ),
        .testTarget(
            name: "TwilioEmulatorTests",
            dependencies: [
                "TwilioEmulator", "TwilioWire", "SharedTestFixtures", "HeadlessBrowser",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // Drives a real headless Chromium over the DevTools protocol, for browser tests of the
        // chat page and (later) the Flex emulator's agent console. Not a product.
        .target(
            name: "HeadlessBrowser",
            dependencies: [
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/HeadlessBrowser"
        ),
        .testTarget(
            name: "BotServerTests",
            dependencies: [
                "BotServer", "BotRuntime", "FlowDSL", "Vault", "HeadlessBrowser", "SharedTestFixtures",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BotCLITests",
            dependencies: [
                "botcli", "TwilioEmulator", "TwilioWire", "Vault", "SharedTestFixtures",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
