// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "botcli", targets: ["botcli"]),
        .library(name: "FlowDSL", targets: ["FlowDSL"]),
        .library(name: "Vault", targets: ["Vault"]),
        .library(name: "BotRuntime", targets: ["BotRuntime"]),
        .library(name: "FlexIntegration", targets: ["FlexIntegration"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "FlowDSL",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            exclude: ["Template", "Format"] // TEMP
        ),
        .target(name: "Vault"),
        .target(name: "BotRuntime", dependencies: ["FlowDSL", "Vault", .product(name: "Logging", package: "swift-log")]),
        .target(name: "FlexIntegration", dependencies: ["BotRuntime"]),
        .executableTarget(
            name: "botcli",
            dependencies: [
                "FlowDSL", "Vault", "BotRuntime", "FlexIntegration",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "FlowDSLTests", dependencies: ["FlowDSL"], exclude: ["Template", "Format"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FlexIntegrationTests", dependencies: ["FlexIntegration", "FlowDSL"]),
        .testTarget(name: "BotCLITests", dependencies: ["botcli"]),
    ],
    swiftLanguageModes: [.v6]
)
