import Foundation

/// A temporary git repository for the `--staged` / `--since` tests.
struct GitRepository {
    let root: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(files: [String: [UInt8]] = [:]) throws {
        root = try makeTree(files)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try git("config", "user.email", "test@example.invalid")
        try git("config", "user.name", "Test")
        try git("config", "commit.gpgsign", "false")
    }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root] + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("GIT_") { environment[key] = nil }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw Failure(description: "git \(arguments.joined(separator: " ")): \(text)") }
        return text
    }

    func write(_ path: String, _ contents: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: full))
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }
}

/// An extra pattern rule (error severity), the only rule selected, for tests that need
/// findings without depending on the bundled detectors.
let acmeRuleConfig = """
    select = ["ACME"]

    [[rules]]
    id = "ACME001"
    name = "acme-internal-token"
    severity = "error"
    summary = "An ACME internal token"
    [[rules.detectors]]
    id = "acme-token"
    description = "ACME internal token"
    keywords = ["acme_"]
    regex = '''(acme_[a-z0-9]{12})'''
    secret_group = 1

    """

/// JSON report findings as (path, line) pairs.
func findingPlaces(_ json: String) throws -> [String] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    return ((object?["findings"] as? [[String: Any]]) ?? []).map { "\($0["path"] as? String ?? "?"):\($0["line"] as? Int ?? 0)" }
}
