import CLI
import Foundation
import TestSupport

/// Runs the CLI in process and captures what it printed.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

final class Capture: @unchecked Sendable {
    private let lock = NSLock()
    private var out = ""
    private var err = ""
    func appendOut(_ s: String) { lock.lock(); out += s; lock.unlock() }
    func appendErr(_ s: String) { lock.lock(); err += s; lock.unlock() }
    var values: (String, String) { lock.lock(); defer { lock.unlock() }; return (out, err) }
}

func runCLI(_ arguments: [String]) async -> CLIResult {
    let capture = Capture()
    let console = Console(out: { capture.appendOut($0) }, err: { capture.appendErr($0) }, isTerminal: false)
    let status = await Console.$current.withValue(console) {
        await PrefectSecretsCommand.run(arguments: arguments)
    }
    let (out, err) = capture.values
    return CLIResult(status: status, stdout: out, stderr: err)
}

/// A temporary directory with the given files (path → contents), removed by the caller.
func makeTree(_ files: [String: [UInt8]]) throws -> String {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ps-cli-\(UUID().uuidString)").path
    for (path, bytes) in files {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else { throw CocoaError(.fileWriteUnknown) }
    }
    return root
}

func text(_ s: String) -> [UInt8] { Array(s.utf8) }

/// `check` on a tree of one Python file and `config` as its .prefect-secrets.toml: how the
/// config tests see a config accepted or refused.
func checkWithConfig(_ config: String) async throws -> CLIResult {
    let root = try makeTree([".prefect-secrets.toml": text(config), "a.py": text("x = 1\n")])
    defer { try? FileManager.default.removeItem(atPath: root) }
    return await runCLI(["check", root])
}
