import Dispatch
import PythonSource
import Spans

/// Times each phase of ``PythonAnalyzer`` over a set of files, for `prefect-secrets debug
/// python-phases` (bench/python-phases.sh): where the facts of Python files cost time
/// compared with the token pass a pattern-only scan makes. Every phase runs `rounds` times
/// over all files; the minimum is kept, the least disturbed run on a shared machine.
public enum PythonAnalysisPhases {
    /// One phase's name and its minimum time over all files, in milliseconds.
    public struct Timing: Sendable {
        public var phase: String
        public var milliseconds: Double
    }

    public static func measure(_ files: [[UInt8]], rounds: Int) -> [Timing] {
        var timings: [Timing] = []
        // The sums keep the optimizer from dropping the work.
        var sink = 0
        func time(_ phase: String, _ body: () -> Int) {
            var best = Double.infinity
            for _ in 0..<max(1, rounds) {
                let start = DispatchTime.now().uptimeNanoseconds
                sink &+= body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            timings.append(Timing(phase: phase, milliseconds: best))
        }
        let marked = files.map { PythonTokenizer.tokenize($0, marking: PythonFactsPrefilter.watchedName, holding: PythonFactsPrefilter.words, watchingTarget: PythonFactsPrefilter.watchedTarget) }
        let tokens = marked.map(\.tokens)
        func need(_ n: Int) -> PythonFactsPrefilter.Need { PythonFactsPrefilter.need(files[n], tokens: tokens[n], marks: marked[n].marks) }
        let parsed = files.indices.filter { need($0) == .parse }
        let offsets = parsed.map { PythonFactsPrefilter.factOffsets(files[$0], tokens: tokens[$0]) }
        let needed = parsed.indices.filter { offsets[$0].outsideImports }
        func parse(_ n: Int) -> PythonModule {
            let facts = offsets[n]
            return PythonModule.parse(tokens: tokens[parsed[n]], of: files[parsed[n]], needed: { facts.intersects($0) })
        }
        let modules = needed.map(parse)

        time("tokenize") { files.reduce(0) { $0 + PythonTokenizer.tokenize($1).count } }
        time("tokenize, marking") {
            files.reduce(0) { $0 + PythonTokenizer.tokenize($1, marking: PythonFactsPrefilter.watchedName, holding: PythonFactsPrefilter.words, watchingTarget: PythonFactsPrefilter.watchedTarget).marks.strings.count }
        }
        func count(_ scope: PatternScope) -> Int {
            if case .regions(let literals, let comments) = scope { return literals.count + comments.count }
            return 0
        }
        time("pattern scope") { tokens.reduce(0) { $0 + count(PythonAnalyzer.scope(of: $1)) } }
        time("UTF-8 check") { files.reduce(0) { $0 + (UTF8Validation.check($1) == .ascii ? 1 : 0) } }
        time("need (\(files.count) files)") {
            files.indices.reduce(0) { $0 + (need($1) == .parse ? 1 : 0) }
        }
        time("fact offsets (\(parsed.count) files)") {
            parsed.reduce(0) { $0 + PythonFactsPrefilter.factOffsets(files[$1], tokens: tokens[$1]).offsets.count }
        }
        time("parse (\(needed.count) files)") { needed.reduce(0) { $0 + parse($1).calls.count } }
        time("facts builder") {
            zip(needed, modules).reduce(0) { count, entry in
                var builder = PythonFlowFactsBuilder(module: entry.1, bytes: files[parsed[entry.0]], strings: marked[parsed[entry.0]].marks.strings)
                builder.build()
                return count + builder.facts.secretReferences.count
            }
        }
        let sources = files.map { SourceFile(path: "bench.py", bytes: $0) }
        time("analyze") { sources.reduce(0) { $0 + PythonAnalyzer().analyze($1, kind: .python).diagnostics.count } }
        time("pattern-only analyze") {
            sources.reduce(0) { $0 + count(PythonAnalyzer().patternScope($1, kind: .python)) }
        }
        if sink == Int.min { timings.removeAll() }
        return timings
    }
}
