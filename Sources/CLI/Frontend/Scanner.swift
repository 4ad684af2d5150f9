import Dispatch
import Foundation
import Patterns
import PrefectModel
import Report
import Rules
import Spans

/// Where file contents come from: the work tree, or (for `--staged`) the git index.
protocol ContentSource: Sendable {
    func read(_ file: DiscoveredFile, sizeLimit: Int) -> FileReader.Outcome
}

/// Reads files from disk.
struct WorkTreeSource: ContentSource {
    func read(_ file: DiscoveredFile, sizeLimit: Int) -> FileReader.Outcome {
        FileReader.read(file.absolutePath, sizeLimit: sizeLimit)
    }
}

/// The scan pipeline: read + classify + analyze each file in parallel, run file rules, then
/// project rules over the joined facts, then suppressions; findings in report order.
struct Scanner {
    var catalogue: RuleCatalogue
    var fileRules: [any FileRule]
    var projectRules: [any ProjectRule]
    var selector: RuleSelector
    var settings: RuleSettings
    var sizeLimit: Int
    var jobs: Int
    var source: any ContentSource = WorkTreeSource()
    /// Files whose pattern rules run (`--since`); nil = all. Other files still feed the model.
    var patternFiles: Set<String>? = nil
    /// Read every file's facts even when only pattern rules are selected.
    var needsModel = false
    /// How many bytes of the sources of files with facts a scan keeps, so that its project
    /// findings, which mostly point into such files, need not read them again.
    var factsSourceBudget = 64 << 20
    /// The pattern detectors, whether or not their rules are selected: what they find is
    /// hidden in every code frame, and a secret name that is a credential is never shown.
    var patternRule: PatternRule?

    private struct FileResult: Sendable {
        var findings: [Finding] = []
        var kind: FileKind = .text
        var facts: FileFacts?
        var lineStarts: [Int] = []
        /// The file's source when it has findings.
        var source: SourceFile?
        /// The source of a file with facts but no findings, while ``SourceBudget`` allows:
        /// project findings point into such files, which need not be read again.
        var factsSource: SourceFile?
        /// With findings: the file's suppression comments, and the values its frames hide.
        var suppressions: Suppressions?
        var secretValueSpans: [ByteSpan] = []
        /// Credential texts found in the file, with their placeholders (``ScanReport/secretTexts``).
        var secretTexts: [String: String] = [:]
        var suppressed = 0
        var bytes = 0
        var skip: (reason: SkipReason, bytes: Int, detail: String?)?
        /// The files its facts name as env files or sourced scripts (``FileFacts/envFileReadings``).
        var envFileReadings: [String: FileKind] = [:]
    }

    func scan(_ files: [DiscoveredFile]) -> ScanReport {
        let enabledCodes = Set(catalogue.all.filter { selector.isEnabled($0) }.map(\.code))
        let activeFileRules = fileRules.filter { !enabledCodes.isDisjoint(with: $0.codes) }
        // Told apart once: a cast per rule and file costs more than some rules' checks.
        let fileRules = ActiveFileRules(
            patterns: activeFileRules.lazy.compactMap { $0 as? PatternRule }.first, others: activeFileRules.filter { !($0 is PatternRule) })
        // With pattern rules alone (`--select PS101`) no facts are needed, only where patterns may match.
        let patternsOnly = !needsModel && activeFileRules.allSatisfy { $0 is PatternRule }
            && projectRules.allSatisfy { enabledCodes.isDisjoint(with: $0.codes) }
        let budget = SourceBudget(bytes: factsSourceBudget)
        var results = parallelMap(files.count) { index in
            scanFile(files[index], rules: fileRules, enabled: enabledCodes, patternsOnly: patternsOnly, budget: budget)
        }
        // A file the project reads env from is read as its reader reads it, whatever its name
        // says (`docker run --env-file env.list`, `. deploy/agent.conf`): a file of no known
        // kind named so is scanned again as a dotenv file or a shell script.
        let rereadKinds = Self.envFileKinds(results, files: files)
        if !rereadKinds.isEmpty {
            let indices = rereadKinds.keys.sorted()
            let reread = parallelMap(indices.count) { k in
                scanFile(files[indices[k]], kind: rereadKinds[indices[k]], rules: fileRules, enabled: enabledCodes, patternsOnly: patternsOnly, budget: budget)
            }
            for (k, index) in indices.enumerated() { results[index] = reread[k] }
        }

        var summary = ScanSummary()
        var findings: [Finding] = []
        var sources: [String: SourceFile] = [:]
        var notices: [String] = []
        var projectFiles: [FileFactsEntry] = []
        var suppressionCache: [String: Suppressions] = [:]
        var factsSources: [String: SourceFile] = [:]
        var secretTexts: [String: String] = [:]
        // The spans of values each file hides, by path, joined once the located files are known.
        var fileValueSpans: [(path: String, spans: [ByteSpan])] = []
        for index in results.indices {
            // Taken out rather than copied: a result holds the file's facts and source.
            guard let result = results[index].take() else { continue }
            let path = files[index].reportPath
            secretTexts.merge(result.secretTexts) { first, _ in first }
            if !result.secretValueSpans.isEmpty { fileValueSpans.append((path, result.secretValueSpans)) }
            if let skip = result.skip {
                summary.skipped[skip.reason, default: 0] += 1
                summary.skippedBytes += skip.bytes
                if let detail = skip.detail { notices.append("\(TextReporter.visible(path)): skipped: \(detail)") }
                continue
            }
            summary.files += 1
            summary.bytes += result.bytes
            summary.suppressed += result.suppressed
            findings.append(contentsOf: result.findings)
            if let source = result.source { sources[path] = source }
            if let source = result.factsSource { factsSources[path] = source }
            if let suppressions = result.suppressions { suppressionCache[path] = suppressions }
            if let facts = result.facts {
                projectFiles.append(FileFactsEntry(path: path, kind: result.kind, facts: facts, lineStarts: result.lineStarts))
            }
        }

        // Project rules see every file's facts; their findings may point into any file. They
        // are independent of each other, so they run in parallel; their findings are joined in
        // rule order, as one sink would have collected them.
        let scannedPaths = files.map(\.reportPath)
        resolveImportedSecretNames(&projectFiles, scannedPaths: scannedPaths, files: files, kept: [sources, factsSources], secretTexts: &secretTexts)
        let model = ProjectModel(
            files: projectFiles, scannedPaths: scannedPaths, backendOverride: settings.backendOverride,
            backendOverrideSource: settings.backendOverrideSource, cloudInventory: settings.cloudInventory, jobs: jobs)
        let activeProjectRules = projectRules.filter { !enabledCodes.isDisjoint(with: $0.codes) }
        let findingsByRule = parallelMap(activeProjectRules.count) { index -> [Finding]? in
            var sink = FindingSink(catalogue: catalogue)
            activeProjectRules[index].check(model, settings: settings, into: &sink)
            return sink.findings
        }
        let projectFindings = Self.once(findingsByRule.flatMap { $0 ?? [] }.filter { enabledCodes.contains($0.code) })
        // Each file's project findings are located and checked against its suppression
        // comments in parallel. Most point into files with facts but no finding of their own,
        // whose source was kept within ``factsSourceBudget``; the rest are read again.
        var indicesByPath: [String: [Int]] = [:]
        for (index, finding) in projectFindings.enumerated() { indicesByPath[finding.path, default: []].append(index) }
        let byPath = indicesByPath
        let paths = byPath.keys.sorted()
        // Files whose source was not kept are read again, found by path among those scanned.
        let unkept = Set(paths.filter { sources[$0] == nil && factsSources[$0] == nil })
        let discovered =
            unkept.isEmpty
            ? [:] : Dictionary(files.lazy.filter { unkept.contains($0.reportPath) }.map { ($0.reportPath, $0) }, uniquingKeysWith: { first, _ in first })
        let (kept, keptFactsSources, keptSuppressions) = (sources, factsSources, suppressionCache)
        // Where the patterns did not run, the credentials the frames must hide are looked for now.
        let patternsRan = patternFiles == nil && fileRules.patterns != nil
        let rereadPaths = Dictionary(rereadKinds.map { (files[$0.key].reportPath, $0.value) }, uniquingKeysWith: { first, _ in first })
        let located = parallelMap(paths.count) { index -> LocatedFindings? in
            let path = paths[index]
            guard let file = kept[path] ?? keptFactsSources[path] ?? discovered[path].flatMap(loadSource) else { return nil }
            let suppressions = keptSuppressions[path] ?? Suppressions(file: file)
            var out = LocatedFindings(source: file)
            out.secretValueSpans = CredentialKeyValues.spans(in: file.bytes)
            if !patternsRan, let patternRule {
                let kind = rereadPaths[path] ?? FileKind.classify(path: path, prefix: file.bytes.prefix(4096))
                let scope = FileAnalyzers.analyze(file, kind: kind, patternsOnly: true).patternScope
                Self.hide(patternRule.credentials(in: file, scope: scope), of: file.bytes, spans: &out.secretValueSpans, texts: &out.secretTexts)
            }
            var fileFindings = (byPath[path] ?? []).map { projectFindings[$0] }
            Self.locate(&fileFindings, in: file)
            for finding in fileFindings {
                if suppressions.suppresses(code: finding.code, name: finding.name, line: finding.start.line) {
                    out.suppressed += 1
                } else {
                    out.findings.append(finding)
                }
            }
            return out
        }
        var hiddenSpans: [String: [ByteSpan]] = [:]
        for case let result? in located {
            sources[result.source.path] = result.source
            hiddenSpans[result.source.path, default: []] += result.secretValueSpans
            secretTexts.merge(result.secretTexts) { first, _ in first }
            summary.suppressed += result.suppressed
            findings.append(contentsOf: result.findings)
        }
        for file in projectFiles where sources[file.path] != nil {
            hiddenSpans[file.path, default: []] += file.facts.secretValueSpans
        }
        // Variables that another file's flows read as secrets: their names alone do not tell.
        for (path, assignment) in model.environmentSecretAssignments() where assignment.origin == .literal {
            if let span = assignment.valueSpan { hiddenSpans[path, default: []].append(span) }
            if let value = assignment.value.map(SecretTextRedactor.trimmingValueEdges) { Self.hideSecretValue(value, in: &secretTexts) }
        }
        for (path, spans) in fileValueSpans where sources[path] != nil {
            hiddenSpans[path, default: []] += spans
        }
        // A value that is the name of a secret the project reads (`"DBT_PASSWORD_SECRET":
        // "SNOWFLAKE_PASSWORD"`) is a name: hiding it would hide that secret in every message.
        for name in model.referencedSecretNames where secretTexts[name] != nil && Self.isSecretNameLike(name) {
            secretTexts[name] = nil
        }
        var report = ScanReport(findings: [], catalogue: catalogue, summary: summary, sources: sources, notices: notices)
        report.secretTexts = secretTexts
        if !secretTexts.isEmpty {
            let texts = report.redactor
            for (path, source) in sources { hiddenSpans[path, default: []] += texts.spans(in: source.bytes) }
            // A fix that would write a hidden value shows it, and the output would show its
            // placeholder instead, which applying the fix would write into the file: none is offered.
            for index in findings.indices {
                guard let fix = findings[index].fix, fix.edits.contains(where: { !texts.spans(in: $0.edit.replacement).isEmpty }) else { continue }
                findings[index].fix = nil
            }
        }
        var secretValueSpans: [String: [ByteSpan]] = [:]
        var masks: [String: Fingerprint.Masks] = [:]
        for (path, spans) in hiddenSpans where !spans.isEmpty {
            secretValueSpans[path] = Array(Set(spans)).sorted { $0.start < $1.start }
            masks[path] = Fingerprint.Masks(secretValueSpans[path] ?? [])
        }
        report.secretValueSpans = secretValueSpans
        // Fingerprints come last: the lines they hash have every value the report hides masked.
        let hiddenTexts = Set(secretTexts.keys)
        let noMasks = Fingerprint.Masks([])
        for index in findings.indices {
            guard let file = sources[findings[index].path] else { continue }
            findings[index].fingerprint = Fingerprint.compute(
                finding: findings[index], file: file, masking: masks[file.path] ?? noMasks, hiddenTexts: hiddenTexts)
        }
        findings.sort(by: Finding.reportOrder)
        report.findings = findings
        report.model = model
        return report
    }

    /// Hides `text` wherever it is printed, with the placeholder of its length (a text keeps
    /// the first placeholder it is given). A static function: a nested one would capture the
    /// file's result and make its other simultaneous accesses conflict.
    static func hideText(_ text: String, in texts: inout [String: String]) {
        if texts[text] == nil { texts[text] = Redaction.placeholder(for: Array(text.utf8)) }
    }

    /// Hides a secret's value where it is reused when it is twelve characters or more (not a
    /// path or a placeholder: `correct-horse-battery-staple` reads as words) or random-looking.
    static func hideSecretValue(_ text: String, in texts: inout [String: String]) {
        let long = text.utf8.count >= 12 && !text.utf8.contains(0x2F) && !ObviousPlaceholder.matches(text)
        if long || Redaction.looksRandom(text.utf8) { hideText(text, in: &texts) }
    }

    /// Upper-case letters, digits and underscores, starting with a letter: how secret names
    /// are written.
    static func isSecretNameLike(_ text: String) -> Bool {
        guard let first = text.utf8.first, first >= 0x41, first <= 0x5A else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// Twelve characters or more, not all letters (`Maple!Syrup:Route/66`, not `unterminated`):
    /// a text that reads as a value, to hide where it is reused.
    static func isLongNonWord(_ text: String) -> Bool {
        text.utf8.count >= 12 && !text.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
    }

    /// Codes whose findings are real credentials, which keep their severity in documentation.
    static let credentialCodes: Set<String> = ["PS101", "PS105"]

    /// Reads, analyzes and checks one file; `kind` replaces the kind its name and first bytes give.
    private func scanFile(
        _ file: DiscoveredFile, kind: FileKind? = nil, rules: ActiveFileRules, enabled: Set<String>, patternsOnly: Bool, budget: SourceBudget
    ) -> FileResult {
        var result = FileResult()
        let bytes: [UInt8]
        switch source.read(file, sizeLimit: sizeLimit) {
        case .skipped(let reason, let size, let detail):
            result.skip = (reason, size, detail)
            return result
        case .content(let content):
            bytes = content
        }
        result.bytes = bytes.count
        let sourceFile = SourceFile(path: file.reportPath, bytes: bytes)
        let kind = kind ?? FileKind.classify(path: file.reportPath, prefix: bytes.prefix(4096))
        if bytes.first == 0x7B, Self.isOwnReport(bytes) {
            result.skip = (.ownReport, bytes.count, nil)
            return result
        }
        let analysis = FileAnalyzers.analyze(sourceFile, kind: kind, patternsOnly: patternsOnly)
        // One context for every rule: making one copies the analysis, facts and all.
        let context = FileContext(file: sourceFile, analysis: analysis, settings: settings)
        result.kind = kind
        var sink = FindingSink(catalogue: catalogue)
        // The pattern rules run first: the credentials they find, and secret names that are
        // credentials, are hidden in every frame of the file (also in those of findings the
        // selection, an allowlist or a suppression comment leaves out) and in every output.
        var credentials: [(span: ByteSpan, placeholder: String)]?
        if patternFiles?.contains(file.reportPath) ?? true, let rule = rules.patterns {
            rule.check(context, into: &sink)
            credentials = sink.findings.compactMap { finding in
                finding.secretSpan.map { ($0, finding.redactedValue ?? Redaction.placeholder(for: bytes[$0.range])) }
            }
        }
        if let patternRule, !analysis.facts.isEmpty {
            let found = credentials ?? patternRule.credentials(in: sourceFile, scope: analysis.patternScope)
            credentials = found
            let names = analysis.facts.credentialNames { name, span in
                // A name the detectors found where it stands has the placeholder they gave it
                // (the same in frames and messages).
                guard let credential = found.first(where: { $0.span.overlaps(span) }) else {
                    return patternRule.credentialPlaceholder(forName: name, path: file.reportPath)
                }
                let text = Array(name.utf8)
                return credential.span.end <= bytes.count && bytes[credential.span.range].elementsEqual(text)
                    ? credential.placeholder : Redaction.placeholder(for: text, publicPrefix: nil)
            }
            // Only where the name is written: a component's default name stands at its class
            // (`S3Upload(…)` reads AWS_CREDENTIALS), which stays shown.
            result.secretValueSpans += names.spans.filter { span in
                guard span.end <= bytes.count else { return false }
                let text = String(decoding: bytes[span.range], as: UTF8.self)
                return names.placeholders.keys.contains { text.contains($0) }
            }
            result.secretTexts.merge(names.placeholders) { first, _ in first }
        }
        if !analysis.facts.isEmpty {
            result.facts = analysis.facts
            result.lineStarts = sourceFile.lines.lineStarts
            result.envFileReadings = analysis.facts.envFileReadings
            // Values other rules know (PS103–PS106) are hidden wherever else they are printed
            // too (a label, an agent's or a flow's name), as the credentials PS101 finds are.
            var texts = analysis.facts.writtenSecretValueSpans.filter { $0.end <= bytes.count }.map { String(decoding: bytes[$0.range], as: UTF8.self) }
            texts += analysis.facts.writtenSecretValueTexts
            // A value whose quote is never closed runs to the end of its line: its text as a
            // name or label elsewhere has neither.
            texts += texts.map(SecretTextRedactor.trimmingValueEdges)
            for text in texts { Self.hideSecretValue(text, in: &result.secretTexts) }
            // Values without a name (the rest of a line after a quote never closed, `-e =value`)
            // are hidden when long and not a plain word, paths too.
            for span in analysis.facts.unnamedValueSpans where span.end <= bytes.count && span.length >= 12 {
                let text = SecretTextRedactor.trimmingValueEdges(String(decoding: bytes[span.range], as: UTF8.self))
                if Self.isLongNonWord(text) { Self.hideText(text, in: &result.secretTexts) }
            }
            texts += analysis.facts.writtenSettingTexts + analysis.facts.valuelessEnvNames
            // Literals PS106 reports where Prefect stores them (a Parameter default, run config
            // env); a template file's path is a path.
            texts += (analysis.facts.python?.metadataLiterals ?? []).filter { $0.place != .templateFile }.map(\.value)
            // Python literals PS102 reports (those it leaves out may be settings or paths).
            texts += (analysis.facts.python?.hardcodedLiterals ?? []).filter(HardcodedSecretArgumentRule.isCandidate).map(\.value)
            // Only random-looking texts: a value such as `postgres` or a path would hide file
            // names, labels and words of every message.
            for text in texts where Redaction.looksRandom(text.utf8) { Self.hideText(text, in: &result.secretTexts) }
            // A value typed into a name is one, random-looking or not.
            for text in analysis.facts.valueTailsInNames { Self.hideText(text, in: &result.secretTexts) }
        }
        if !analysis.diagnostics.isEmpty {
            // A file that does not parse has no facts to say where its values are: every
            // frame in it hides what may be a value on each line (the key of a key line stays).
            for line in 1...max(1, sourceFile.lines.lineCount) {
                let start = sourceFile.lines.lineContentSpan(line: line).start
                if let value = ParseErrorRule.valuePart(of: start, in: sourceFile) { result.secretValueSpans.append(value) }
            }
            // The value where it breaks (an unterminated `TOKEN = 'Gp4…`) is hidden wherever it
            // is reused (a flow name, a label) when it looks random.
            for diagnostic in analysis.diagnostics {
                guard let value = ParseErrorRule.valuePart(of: diagnostic.span.start, in: sourceFile) else { continue }
                let text = SecretTextRedactor.trimmingValueEdges(String(decoding: bytes[value.range], as: UTF8.self))
                if Redaction.looksRandom(text.utf8) || Self.isLongNonWord(text) { Self.hideText(text, in: &result.secretTexts) }
            }
        }
        for rule in rules.others {
            rule.check(context, into: &sink)
        }
        var findings = Self.once(sink.findings.filter { enabled.contains($0.code) })
        if credentials == nil, !findings.isEmpty, let patternRule {
            credentials = patternRule.credentials(in: sourceFile, scope: analysis.patternScope)
        }
        // Every credential text found is hidden wherever else it is printed (a label, a flow
        // name, a secret name in another rule's message), with the placeholder PS101 gives it.
        Self.hide(credentials ?? [], of: bytes, spans: &result.secretValueSpans, texts: &result.secretTexts)
        guard !findings.isEmpty else {
            if result.facts != nil, budget.take(bytes.count) { result.factsSource = sourceFile }
            return result
        }
        if analysis.isDocumentation {
            // Documentation shows commands, it does not run them: only real credentials stay
            // at their severity (issue 6: README fences are reported at info).
            for k in findings.indices where !Self.credentialCodes.contains(findings[k].code) { findings[k].severity = .info }
        }
        let suppressions = Suppressions(file: sourceFile)
        Self.locate(&findings, in: sourceFile)
        for finding in findings {
            if suppressions.suppresses(code: finding.code, name: finding.name, line: finding.start.line) {
                result.suppressed += 1
            } else {
                result.findings.append(finding)
            }
        }
        if !result.findings.isEmpty {
            result.source = sourceFile
            result.suppressions = suppressions
            // Values under credential-named keys are hidden in its frames whatever reads the file.
            result.secretValueSpans += CredentialKeyValues.spans(in: bytes)
            // A pattern-only scan has no facts: the values its frames must hide come from the
            // full analysis, run for the few files with findings. A full check takes them from
            // the facts it keeps, with those of the files only cross-file findings point into.
            if patternsOnly {
                result.secretValueSpans += FileAnalyzers.analyze(sourceFile, kind: kind, patternsOnly: false).facts.secretValueSpans
            }
        }
        return result
    }

    /// The files of no known kind that others name as env files or sourced scripts (by file
    /// name: the model resolves the paths), by index, with the kind to read each as.
    private static func envFileKinds(_ results: [FileResult?], files: [DiscoveredFile]) -> [Int: FileKind] {
        var byName: [Substring: FileKind] = [:]
        for case let result? in results {
            for (name, kind) in result.envFileReadings {
                guard let last = name.split(separator: "/").last else { continue }
                if byName[last] != .dotenv { byName[last] = kind }
            }
        }
        guard !byName.isEmpty else { return [:] }
        var kinds: [Int: FileKind] = [:]
        for (index, result) in results.enumerated() {
            guard let result, result.skip == nil, result.kind == .text,
                let name = files[index].reportPath.split(separator: "/").last, let kind = byName[name]
            else { continue }
            kinds[index] = kind
        }
        return kinds
    }

    /// A SARIF report this tool wrote: the SARIF schema and prefect-secrets as its tool near
    /// the top. (A JSON report quotes no rule help: it is scanned like any file.)
    static func isOwnReport(_ bytes: [UInt8]) -> Bool {
        let head = Array(bytes.prefix(512))
        return ByteSearch.contains(Array("\"$schema\": \"https://json.schemastore.org/sarif".utf8), in: head)
            && ByteSearch.contains(Array("\"driver\": {\n          \"name\": \"prefect-secrets\"".utf8), in: head)
    }

    /// Notes credentials found in a file's `bytes` for hiding: their spans in its code frames,
    /// their texts (with the placeholder each gets) in every output.
    static func hide(_ credentials: [(span: ByteSpan, placeholder: String)], of bytes: [UInt8], spans: inout [ByteSpan], texts: inout [String: String]) {
        for (span, placeholder) in credentials where span.end <= bytes.count {
            spans.append(span)
            texts[String(decoding: bytes[span.range], as: UTF8.self)] = placeholder
            // Its random-looking parts too: a webhook URL's token, reused as a label.
            for run in Redaction.randomLookingRuns(in: bytes, window: span) where run != span {
                let text = String(decoding: bytes[run.range], as: UTF8.self)
                if texts[text] == nil { texts[text] = Redaction.placeholder(for: bytes[run.range]) }
            }
        }
    }

    /// Each finding once, in order: one value read twice into the facts (a module-level env
    /// dict two flows share) gives the same finding twice, which is one problem (and one
    /// suppression).
    static func once(_ findings: [Finding]) -> [Finding] {
        var seen = Set<String>()
        return findings.filter { seen.insert("\($0.code)\u{0}\($0.path)\u{0}\($0.span.start):\($0.span.end)\u{0}\($0.message)").inserted }
    }

    /// The selected file rules: the pattern rule, which runs first, and the others.
    private struct ActiveFileRules {
        var patterns: PatternRule?
        var others: [any FileRule]
    }

    /// One file's project findings, located, with those its comments suppress counted.
    private struct LocatedFindings: Sendable {
        var source: SourceFile
        var findings: [Finding] = []
        var suppressed = 0
        var secretValueSpans: [ByteSpan] = []
        var secretTexts: [String: String] = [:]
    }

    /// Sets the line and column of each of a file's findings.
    private static func locate(_ findings: inout [Finding], in file: SourceFile) {
        let locations = file.lines.locations(of: findings.flatMap { [$0.span.start, $0.span.end] })
        for k in findings.indices {
            findings[k].start = locations[2 * k]
            findings[k].end = locations[2 * k + 1]
        }
    }

    /// `body` for every index below `count`, on up to ``jobs`` threads; results in index order.
    private func parallelMap<Value: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Value?) -> [Value?] {
        ParallelMap.map(count, jobs: jobs, body)
    }

    /// Names the secret references whose name is a constant of another project module
    /// (``ImportedSecretNames``), read from those modules (and those they import the names
    /// from): their kept sources, else the files. Adds to `secretTexts` the credentials in
    /// those modules and in the names given (a token where a name belongs), which every
    /// output hides, also where the patterns did not run.
    private func resolveImportedSecretNames(
        _ projectFiles: inout [FileFactsEntry], scannedPaths: [String], files: [DiscoveredFile], kept: [[String: SourceFile]],
        secretTexts: inout [String: String]
    ) {
        var names = ImportedSecretNames(files: projectFiles, projectPaths: scannedPaths)
        var modules = names.modulesToRead
        guard !modules.isEmpty else { return }
        let found = Dictionary(files.lazy.filter { $0.reportPath.hasSuffix(".py") }.map { ($0.reportPath, $0) }, uniquingKeysWith: { first, _ in first })
        let patternRule = patternRule
        // A round for each import followed, and the first.
        for _ in 0...ImportedSecretNames.maxImportDepth where !modules.isEmpty {
            let read = parallelMap(modules.count) { [modules] k -> (constants: ImportedSecretNames.ModuleConstants, credentials: [String: String])? in
                let path = modules[k]
                guard let source = kept.lazy.compactMap({ $0[path] }).first ?? found[path].flatMap(loadSource) else { return nil }
                var spans: [ByteSpan] = []
                var credentials: [String: String] = [:]
                if let patternRule {
                    let credentialsFound = patternRule.credentials(in: source, scope: PythonAnalyzer().patternScope(source, kind: .python))
                    Self.hide(credentialsFound, of: source.bytes, spans: &spans, texts: &credentials)
                }
                return (PythonAnalyzer.moduleConstants(of: source), credentials)
            }
            for (path, module) in zip(modules, read) {
                names.add(module?.constants, of: path)
                if let module { secretTexts.merge(module.credentials) { first, _ in first } }
            }
            modules = names.modulesToRead
        }
        for (name, path) in names.resolve(&projectFiles) where secretTexts[name] == nil {
            secretTexts[name] = patternRule?.credentialPlaceholder(forName: name, path: path)
        }
    }

    private func loadSource(_ file: DiscoveredFile) -> SourceFile? {
        guard case .content(let bytes) = source.read(file, sizeLimit: sizeLimit) else { return nil }
        return SourceFile(path: file.reportPath, bytes: bytes)
    }
}

/// A byte allowance shared by the scan workers.
final class SourceBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int

    init(bytes: Int) { left = bytes }

    /// Whether `count` more bytes fit; if so they are taken.
    func take(_ count: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard count <= left else { return false }
        left -= count
        return true
    }
}
