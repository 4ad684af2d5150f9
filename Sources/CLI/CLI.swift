import ArgumentParser

/// The root command (placeholder).
public struct PrefectSecretsCommand: AsyncParsableCommand {
    public init() {}
    public func run() async throws {}
}
