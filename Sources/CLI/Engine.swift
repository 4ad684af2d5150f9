import Foundation
import PrefectModel
import Report
import Rules

/// The loaded rule set: catalogue, code rules and pattern rules, ready to scan.
struct Engine {
    var catalogue: RuleCatalogue
    var fileRules: [any FileRule]
    var projectRules: [any ProjectRule]

    var config = ProjectConfig()
    /// For views of the project model (`inventory`): every file's facts are read whatever
    /// rules are selected, and the credential patterns do not run.
    var modelOnly = false

    /// Loads the bundled rules plus the user's config (extra pattern rules, severities, allowlists).
    static func load(config: ProjectConfig = ProjectConfig()) throws -> Engine {
        let rules: [RuleFile]
        do { rules = try BundledRules.load() } catch { throw UsageError.message("bundled rules: \(error)") }
        let bundledCodes = Set(rules.map(\.description.code))
        for (index, extra) in config.extraRules.enumerated() where bundledCodes.contains(extra.description.code) {
            throw config.error(at: config.extraRuleIDSpans.indices.contains(index) ? config.extraRuleIDSpans[index] : nil, "config: rules: \(extra.description.code) reuses a built-in rule id")
        }
        let allRules = rules + config.extraRules
        let patternRule: PatternRule
        do {
            // The user's detectors come first: in an overlap the earlier detector wins, and a
            // team's own token format is more specific than the bundled generic assignments.
            patternRule = try PatternRule(
                rules: config.extraRules + rules,
                globalAllowlist: .init(
                    regexes: config.allowlistRegexes, stopwords: config.allowlistStopwords, paths: config.allowlistPaths))
        } catch {
            throw UsageError.message("\(config.path ?? "rules"): \(error)")
        }
        let catalogue = RuleCatalogue(allRules.map(\.description))
        // A misspelt rule would otherwise leave its severity silently unchanged.
        if let unknown = config.severityOverrides.keys.sorted().first(where: { catalogue.lookup($0) == nil }) {
            throw config.error(at: config.severityKeySpans[unknown], "config: severity: unknown rule '\(unknown)' (see `prefect-secrets rules`)")
        }
        return Engine(
            catalogue: catalogue.overridingSeverities(config.severityOverrides),
            fileRules: BuiltInRules.fileRules + [patternRule], projectRules: BuiltInRules.projectRules, config: config)
    }

    /// Loads the engine for a scan: the config found for the scan's root (or `--config`).
    static func load(for options: ScanOptions) throws -> Engine {
        try load(config: ProjectConfig.discover(root: options.root, explicit: options.config))
    }

    /// `excluding`: absolute paths never scanned (the baseline file being read or written).
    func scan(_ options: ScanOptions, excluding: Set<String> = []) throws -> ScanReport {
        // The command line's --select replaces the config's; ignores add up (as in ruff).
        let cli = options.selector
        let selector = RuleSelector(select: cli.select.isEmpty ? config.select : cli.select, ignore: config.ignore + cli.ignore)
        let perFileIgnores = config.perFileIgnores.map { ("per-file-ignores: \($0.glob.pattern)", $0.rules) }
        for (key, entries) in [("select", cli.select.isEmpty ? config.select : []), ("ignore", config.ignore)] + perFileIgnores {
            let unknown = RuleSelector.unknownEntries(entries, known: catalogue.all)
            if !unknown.isEmpty {
                throw config.error(
                    at: config.selectorSpans[key], "config: \(key): unknown rule selector(s): \(unknown.joined(separator: ", ")) (see `prefect-secrets rules`)")
            }
        }
        let unknown = RuleSelector.unknownEntries(selector.select + selector.ignore, known: catalogue.all)
        if !unknown.isEmpty {
            throw UsageError.message("unknown rule selector(s): \(unknown.joined(separator: ", ")) (see `prefect-secrets rules`)")
        }
        let baseline = try options.baseline.map(Baseline.load)
        let excluded = excluding.union(options.baseline.map { [Discovery.absolute($0, base: FileManager.default.currentDirectoryPath)] } ?? [])
        var discovery = Discovery(root: options.root)
        var source: any ContentSource = WorkTreeSource()
        var discovered: [DiscoveredFile]
        if options.staged {
            let sizeLimit = options.maxFileSize ?? config.maxFileSize ?? ScanOptions.defaultMaxFileSize
            (discovered, source) = try GitIndexSource.load(root: options.root, paths: options.paths, sizeLimit: sizeLimit)
        } else {
            discovered = try discovery.discover(options.paths)
        }
        // As in ruff, `exclude` prunes what discovery finds; a file named on the command line is scanned.
        let named = Set(options.paths.map { Discovery.absolute($0, base: FileManager.default.currentDirectoryPath) })
        let exclusions = config.exclusions(checking: named.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        })
        let globBase = config.globBase
        let files = discovered.filter { file in
            !excluded.contains(file.absolutePath)
                && (named.contains(file.absolutePath) || exclusions.isEmpty
                    || !exclusions.contains { $0.matches(ProjectConfig.globPath(of: file, base: globBase)) })
        }
        // A relative path in the config is relative to the config's directory (`--config rel.toml`: the current one).
        let inventoryPath = options.cloudSecrets ?? config.cloudSecrets.map { path in
            guard !path.hasPrefix("/") else { return path }
            let directory = ((config.path ?? ".") as NSString).deletingLastPathComponent
            return directory.isEmpty ? path : directory + "/" + path
        }
        var scanner = Scanner(
            catalogue: catalogue, fileRules: modelOnly ? fileRules.filter { !($0 is PatternRule) } : fileRules,
            projectRules: projectRules, selector: selector,
            settings: RuleSettings(
                backendOverride: options.backend ?? config.backend,
                backendOverrideSource: options.backend == nil ? "backend in \(config.path.map { ($0 as NSString).lastPathComponent } ?? ".prefect-secrets.toml")" : "--backend",
                cloudInventory: try ScanOptions.readInventory(inventoryPath)),
            sizeLimit: options.maxFileSize ?? config.maxFileSize ?? ScanOptions.defaultMaxFileSize, jobs: options.jobCount)
        scanner.source = source
        scanner.needsModel = modelOnly
        scanner.patternRule = fileRules.lazy.compactMap { $0 as? PatternRule }.first
        // A few staged files are not the project: cross-file rules would report what the
        // unstaged rest provides as missing.
        if options.staged { scanner.projectRules = [] }
        if let since = options.since { scanner.patternFiles = try GitChanges.changedSince(since, root: options.root) }
        var report = scanner.scan(files)
        if !config.perFileIgnores.isEmpty {
            let before = report.findings.count
            let globPaths = Dictionary(files.map { ($0.reportPath, ProjectConfig.globPath(of: $0, base: globBase)) }, uniquingKeysWith: { first, _ in first })
            report.findings.removeAll { finding in
                catalogue[finding.code].map { config.isIgnored($0, path: globPaths[finding.path] ?? finding.path) } ?? false
            }
            report.summary.suppressed += before - report.findings.count
            report.summary.ignoredByPath = before - report.findings.count
        }
        if discovery.symlinksOutside > 0 {
            report.summary.skipped[.symlinkOutsideRoot, default: 0] += discovery.symlinksOutside
        }
        if discovery.brokenSymlinks > 0 {
            report.summary.skipped[.brokenSymlink, default: 0] += discovery.brokenSymlinks
        }
        if discovery.specialFiles > 0 {
            report.summary.skipped[.specialFile, default: 0] += discovery.specialFiles
        }
        if let baseline {
            let root = options.root
            baseline.apply(
                to: &report, scannedPaths: Set(files.map(\.reportPath)),
                ranRule: { code in catalogue[code].map { selector.isEnabled($0) } ?? true },
                fileExists: { FileManager.default.fileExists(atPath: root + "/" + $0) })
        }
        return report
    }
}
