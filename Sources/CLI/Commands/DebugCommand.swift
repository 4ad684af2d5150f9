import ArgumentParser
import Foundation
import PrefectModel
import Report
import Spans

/// `prefect-secrets debug …`: hidden developer tools.
struct DebugCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug", abstract: "Developer tools (unstable).", shouldDisplay: false,
        subcommands: [RunEnvironmentsCommand.self, PythonPhasesCommand.self, AnalyzerTimesCommand.self, ScanTimesCommand.self])
}

extension DebugCommand {
    /// The files under `path` whose relative paths pass `include`, with their bytes.
    static func files(under path: String, _ include: (String) -> Bool) throws -> [(path: String, bytes: [UInt8])] {
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw UsageError.message("\(path): not a directory")
        }
        var files: [(path: String, bytes: [UInt8])] = []
        while let relative = walker.nextObject() as? String {
            guard include(relative), let data = FileManager.default.contents(atPath: path + "/" + relative) else { continue }
            files.append((relative, Array(data)))
        }
        return files
    }
}

/// `prefect-secrets debug run-environments PATH --show-secrets`: for every (flow, agent,
/// secret) of the project, the input Prefect's config loading sees in that flow run — env in
/// order and config files — as scenarios for the differential test against Prefect 1.4.1
/// (Tests/differential/run.py --projects). It prints values, so it insists on --show-secrets.
struct RunEnvironmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-environments", abstract: "Print each flow run's Prefect input as differential-test scenarios.")

    @OptionGroup var scan: ScanOptions

    @Flag(name: .customLong("show-secrets"), help: "Required: the output contains the values the project sets.")
    var showSecrets = false

    func run() async throws {
        guard showSecrets else {
            throw UsageError.message("debug run-environments prints secret values; pass --show-secrets to confirm")
        }
        let report = try Engine.load(for: scan).scan(scan)
        guard let model = report.model else { throw UsageError.message("nothing was scanned") }
        let root = scan.root
        func text(_ path: String?) -> String? {
            path.flatMap { FileManager.default.contents(atPath: root + "/" + $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
        var json = JSONWriter()
        json.beginArray()
        for flow in model.flows {
            let names = Array(Set(flow.references.filter { $0.kind != .envVarSecret }.compactMap(\.name))).sorted()
            guard !names.isEmpty else { continue }
            for agent in model.agents(running: flow) {
                let environment = RunEnvironment(flow: flow, agent: agent, model: model)
                let input = environment.configInput(agent: agent, model: model)
                json.beginObject()
                json.string("id", "project:\((root as NSString).lastPathComponent):\(flow.flow.name ?? flow.path):\(model.describe(agent.location))")
                json.beginArray("env")
                for variable in input.environment.variables where variable.name != "HOME" {
                    json.beginArray()
                    json.string(nil, variable.name)
                    json.string(nil, variable.value)
                    json.endArray()
                }
                json.endArray()
                json.beginObject("files")
                if agent.agent.type == .local {
                    if let user = text(model.configPath(role: .userConfig, for: agent.path)) { json.string(".prefect/config.toml", user) }
                    if let backend = text(model.configPath(role: .backendConfig, for: agent.path)) { json.string(".prefect/backend.toml", backend) }
                }
                json.endObject()
                if let names = model.cloudNames {
                    json.beginObject("cloud")
                    for name in names.sorted() { json.string(name, "cloud-value") }
                    json.endObject()
                } else {
                    json.null("cloud")
                }
                json.beginArray("queries")
                for name in names { json.string(nil, name) }
                json.endArray()
                json.endObject()
            }
        }
        json.endArray()
        Console.current.out(json.output + "\n")
    }
}

/// `prefect-secrets debug python-phases PATH`: the time of each phase of the Python analysis
/// over the `.py` files under PATH (bench/python-phases.sh), to measure a hot path before and
/// after a change. Prints times only, never file contents.
struct PythonPhasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "python-phases", abstract: "Time each phase of the Python analysis over the .py files under a path.")

    @Argument(help: "A directory to read .py files from.")
    var path: String

    @Option(help: "Runs of each phase; the minimum is printed.")
    var rounds = 10

    func run() async throws {
        let files = try DebugCommand.files(under: path) { $0.hasSuffix(".py") }.map(\.bytes)
        guard !files.isEmpty else { throw UsageError.message("\(path): no .py files") }
        let bytes = files.reduce(0) { $0 + $1.count }
        let console = Console.current
        console.out("\(files.count) files, \(bytes / 1024) KiB, minimum of \(rounds) runs\n")
        func line(_ label: String, _ text: String) { console.out(label.padding(toLength: 28, withPad: " ", startingAt: 0) + text + "\n") }
        let timings = PythonAnalysisPhases.measure(files, rounds: rounds)
        for timing in timings { line(timing.phase, String(format: "%8.2f ms", timing.milliseconds)) }
        if let full = timings.first(where: { $0.phase == "analyze" }), let patterns = timings.first(where: { $0.phase == "pattern-only analyze" }) {
            let added = full.milliseconds - patterns.milliseconds
            line("facts add", String(format: "%8.2f ms (%+.0f%%)", added, 100 * added / patterns.milliseconds))
        }
    }
}

/// `prefect-secrets debug analyzer-times PATH`: by file kind, what the facts cost over the
/// pattern scope alone (bench/model-overhead.sh measures the same on whole runs): every file
/// under PATH is analyzed both ways, serially, `rounds` times; the minimum is printed. Prints
/// times only, never file contents.
struct AnalyzerTimesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyzer-times", abstract: "Time the file analyzers, by file kind, with and without facts.")

    @Argument(help: "A directory to read files from.")
    var path: String

    @Option(help: "Runs of each measurement; the minimum is printed.")
    var rounds = 10

    func run() async throws {
        var byKind: [String: [(SourceFile, FileKind)]] = [:]
        for (relative, bytes) in try DebugCommand.files(under: path, { _ in true }) where !bytes.isEmpty {
            let file = SourceFile(path: relative, bytes: bytes)
            let kind = FileKind.classify(path: relative, prefix: file.bytes.prefix(4096))
            guard FileAnalyzers.analyzer(for: kind) != nil else { continue }
            byKind["\(kind)", default: []].append((file, kind))
        }
        let console = Console.current
        console.out("kind          files   patterns only   with facts   facts add (minimum of \(rounds) runs)\n")
        // The sum keeps the optimizer from dropping the work.
        var sink = 0
        func best(_ body: () -> Int) -> Double {
            var best = Double.infinity
            for _ in 0..<max(1, rounds) {
                let start = DispatchTime.now().uptimeNanoseconds
                sink &+= body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return best
        }
        for (kind, files) in byKind.sorted(by: { $0.key < $1.key }) {
            let patterns: Double = best { files.reduce(0) { $0 + FileAnalyzers.analyze($1.0, kind: $1.1, patternsOnly: true).diagnostics.count } }
            let full: Double = best { files.reduce(0) { $0 + FileAnalyzers.analyze($1.0, kind: $1.1).facts.envAssignments.count } }
            let perFile: Double = 1000 * (full - patterns) / Double(files.count)
            console.out(
                kind.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%7d %12.2f ms %9.2f ms %9.2f ms (%.1f µs a file)\n", files.count, patterns, full, full - patterns, perFile))
        }
        if sink == Int.min { console.out("\n") }
    }
}

/// `prefect-secrets debug scan-times PATH`: the whole scan of `check` (discovery, every file,
/// the model, the rules; no output), in this process, as a pattern-only scan (`--select PS101`)
/// and as given, alternately, `rounds` times; prints the minimum of each and what the full
/// scan adds. In one process the runs are warm (no start-up, caches filled): a steadier measure
/// of the work itself than bench/model-overhead.sh's whole runs on a noisy machine.
struct ScanTimesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan-times", abstract: "Time the pattern-only and the full scan of a tree in this process.")

    @OptionGroup var scan: ScanOptions

    @Option(help: "Runs of each scan; the minimum is printed.")
    var rounds = 20

    func run() async throws {
        var patternsOnly = scan
        patternsOnly.select = ["PS101"]
        patternsOnly.ignore = []
        let engines = [("patterns only", try Engine.load(for: patternsOnly), patternsOnly), ("full", try Engine.load(for: scan), scan)]
        var best = [Double](repeating: .infinity, count: engines.count)
        var findings = 0
        for _ in 0..<max(1, rounds) {
            for (k, (_, engine, options)) in engines.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                findings &+= try engine.scan(options).findings.count
                best[k] = min(best[k], Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
        }
        let console = Console.current
        for (k, (name, _, _)) in engines.enumerated() { console.out(name.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%8.2f ms\n", best[k])) }
        console.out(String(format: "full adds       %8.2f ms (%+.0f%%)\n", best[1] - best[0], 100 * (best[1] - best[0]) / best[0]))
        if findings == Int.min { console.out("\n") }
    }
}
