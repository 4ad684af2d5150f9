import Foundation
import PrefectModel
import Report
import Rules

/// The loaded rule set: catalogue, code rules and pattern rules, ready to scan.
struct Engine {
    var catalogue: RuleCatalogue
    var fileRules: [any FileRule]
    var projectRules: [any ProjectRule]

    /// Loads the bundled rules. (User config and extra rules are added by the config loader.)
    static func load() throws -> Engine {
        let catalogue = RuleCatalogue(BundledRules.descriptions())
        return Engine(catalogue: catalogue, fileRules: BuiltInRules.fileRules, projectRules: BuiltInRules.projectRules)
    }

    func scan(_ options: ScanOptions) throws -> ScanReport {
        let unknown = RuleSelector.unknownEntries(options.selector.select + options.selector.ignore, known: catalogue.all)
        if !unknown.isEmpty {
            throw UsageError.message("unknown rule selector(s): \(unknown.joined(separator: ", ")) (see `prefect-secrets rules`)")
        }
        var discovery = Discovery(root: options.root)
        let files = try discovery.discover(options.paths)
        let scanner = Scanner(
            catalogue: catalogue, fileRules: fileRules, projectRules: projectRules, selector: options.selector,
            settings: RuleSettings(backendOverride: options.backend, cloudInventory: try options.cloudInventory()),
            sizeLimit: options.maxFileSize, jobs: options.jobCount)
        var report = scanner.scan(files)
        if discovery.symlinksOutside > 0 {
            report.summary.skipped[.symlinkOutsideRoot, default: 0] += discovery.symlinksOutside
        }
        return report
    }
}
