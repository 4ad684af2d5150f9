import Foundation

/// Where commands write. A task-local so that tests can run commands in process and read
/// what they printed, without global mutable state.
public struct Console: Sendable {
    public var out: @Sendable (String) -> Void
    public var err: @Sendable (String) -> Void
    /// Whether standard output is a terminal (for colour).
    public var isTerminal: Bool
    /// Whether the process exits when the command returns (``ProcessLifetime``).
    public var exitsAfterCommand: Bool

    public init(out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void, isTerminal: Bool, exitsAfterCommand: Bool = false) {
        self.out = out
        self.err = err
        self.isTerminal = isTerminal
        self.exitsAfterCommand = exitsAfterCommand
    }

    public static let standard = Console(
        out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
        err: { text in FileHandle.standardError.write(Data(text.utf8)) },
        isTerminal: isatty(STDOUT_FILENO) == 1, exitsAfterCommand: true)

    @TaskLocal public static var current: Console = .standard
}
