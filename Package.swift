// swift-tools-version:6.0
// The module layout mirrors the data flow of ../shared/docs/DESIGN.md:
// Spans ← parsers (TOML, YAML, PythonSource, ShellWords) ← PrefectModel ← Rules ← Fix, Report ← CLI.
import PackageDescription

let package = Package(
    name: "prefect-secrets",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "prefect-secrets", targets: ["prefect-secrets"]),
        .executable(name: "toml-test-decoder", targets: ["toml-test-decoder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: Leaves
        .target(name: "Spans"),
        .systemLibrary(
            name: "CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),
        .target(name: "Patterns", dependencies: ["CPCRE2", "Spans"]),

        // MARK: Parsers (each depends only on Spans)
        .target(name: "TOML", dependencies: ["Spans"]),
        .systemLibrary(
            name: "CLibYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .target(name: "YAML", dependencies: ["CLibYAML", "Spans"]),
        .target(name: "PythonSource", dependencies: ["Spans"]),
        .target(name: "ShellWords", dependencies: ["Spans"]),

        // MARK: Semantics
        .target(name: "PrefectModel", dependencies: ["Spans", "TOML", "YAML", "PythonSource", "ShellWords"]),
        .target(name: "Rules", dependencies: ["Spans", "Patterns", "TOML", "PrefectModel"]),
        .target(name: "Fix", dependencies: ["Spans", "Rules"]),
        .target(name: "Report", dependencies: ["Spans", "Rules"]),
        .target(
            name: "CLI",
            dependencies: [
                "Spans", "Rules", "Fix", "Report", "PrefectModel", "TOML", "Patterns",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Executables
        .executableTarget(name: "prefect-secrets", dependencies: ["CLI"]),
        .executableTarget(name: "toml-test-decoder", dependencies: ["TOML"]),
        .executableTarget(name: "python-tokens", dependencies: ["PythonSource"], path: "Sources/python-tokens"),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Spans"], path: "Tests/TestSupport"),
        .testTarget(name: "SpansTests", dependencies: ["Spans", "TestSupport"]),
        .testTarget(name: "PatternsTests", dependencies: ["Patterns"]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "TestSupport"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "TestSupport"]),
        .testTarget(name: "PythonSourceTests", dependencies: ["PythonSource", "TestSupport"]),
        .testTarget(name: "ShellWordsTests", dependencies: ["ShellWords", "TestSupport"]),
        .testTarget(name: "PrefectModelTests", dependencies: ["PrefectModel", "TestSupport"]),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "PrefectModel", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Rules", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Rules", "Report", "Spans", "TestSupport"]),
    ]
)
