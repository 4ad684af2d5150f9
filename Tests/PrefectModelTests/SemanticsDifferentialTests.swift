import Foundation
import Testing
import TestSupport

@testable import PrefectModel

/// Replays scenarios run against Prefect 1.4.1 (by Tests/differential/run.py) through the model.
/// Without SEMANTICS_DIFF_CASES it replays the committed testdata/semantics/differential-cases.json.
@Suite struct SemanticsDifferentialTests {
    static func configValue(_ node: Any?) -> ConfigValue? {
        guard let n = node as? [String: Any], let t = n["t"] as? String else { return nil }
        switch t {
        case "string": return (n["v"] as? String).map { .string($0) }
        case "integer": return (n["v"] as? String).flatMap { Int($0) }.map { .integer($0) }
        case "float": return (n["v"] as? String).flatMap { Double($0) }.map { .float($0) }
        case "bool": return (n["v"] as? Bool).map { .bool($0) }
        case "datetime": return (n["v"] as? String).map { .datetime($0) }
        case "array": return (n["v"] as? [Any]).map { .array($0.compactMap { configValue($0) }) }
        case "table":
            guard let entries = n["v"] as? [[Any]] else { return nil }
            return .table(entries.compactMap { e in
                guard e.count == 2, let k = e[0] as? String, let v = configValue(e[1]) else { return nil }
                return ConfigTableEntry(k, v)
            })
        default: return nil
        }
    }

    static func digestMismatch(_ what: String, _ expected: Any?, _ actual: PyValue?) -> String? {
        let exp = expected as? [String: Any]
        guard let actual else { return exp == nil ? nil : "\(what): model has none, Prefect has \(exp?["type"] ?? "?")" }
        guard let exp else { return "\(what): Prefect has none, model has \(actual.typeName)" }
        let et = exp["type"] as? String ?? "", eh = exp["hash"] as? String ?? ""
        if et != actual.typeName { return "\(what): type \(actual.typeName), Prefect \(et)" }
        if eh != actual.canonicalHash { return "\(what): same type \(et), different value" }
        return nil
    }

    /// Compares one case; returns the disagreements (no values, only kinds, types and hashes).
    static func check(_ c: [String: Any]) -> [String] {
        var env = PrefectEnvironment()
        for pair in c["env"] as? [[String]] ?? [] where pair.count == 2 { env[pair[0]] = pair[1] }
        // Files are keyed by their path under HOME; the model decides which paths Prefect reads.
        let files = c["files"] as? [String: Any] ?? [:]
        var input = PrefectConfigInput(
            environment: env, passwordHome: c["password_home"] as? String,
            userHomes: c["user_homes"] as? [String: String] ?? [:])
        func file(at path: String) -> ConfigValue? {
            guard let home = env["HOME"], path.hasPrefix(home + "/") else { return nil }
            return configValue(files[String(path.dropFirst(home.count + 1))])
        }
        input.userConfig = file(at: input.userConfigPath)
        input.backendConfig = file(at: input.backendConfigPath)
        var cloud: CloudInventory? = nil
        if let inv = c["cloud"] as? [String: String] {
            cloud = CloudInventory(names: Set(inv.keys), values: inv.mapValues { .str($0) })
        }
        let resolution = SecretResolution(input: input, cloud: cloud)
        let prefect = c["prefect"] as? [String: Any] ?? [:]
        var problems: [String] = []
        if let crash = prefect["import_crash"] as? [String: String] {
            switch resolution.loaded {
            case .success: problems.append("Prefect import fails with \(crash["type"] ?? ""), model loads")
            case .failure(let mine):
                if mine.exceptionType != crash["type"] || mine.message != crash["message"] {
                    problems.append("import crash differs: model \(mine.exceptionType): \(mine.message) / Prefect \(crash["type"] ?? ""): \(crash["message"] ?? "")")
                }
            }
            return problems
        }
        guard case .success(let loaded) = resolution.loaded else {
            if case .failure(let mine) = resolution.loaded { problems.append("model import crash \(mine.exceptionType): \(mine.message), Prefect loads") }
            return problems
        }
        var cfg = loaded.config
        cfg[string: "tasks"] = nil
        if let p = digestMismatch("config", prefect["config"], .dict(cfg, boxed: false)) { problems.append(p) }
        if let p = digestMismatch("backend", prefect["backend"], loaded.backend ?? PyValue.none) { problems.append(p) }
        if let p = digestMismatch("use_local_secrets", prefect["use_local_secrets"], loaded.useLocalSecrets ?? PyValue.none) { problems.append(p) }
        if let p = digestMismatch("context.secrets", prefect["secrets"], loaded.contextSecrets) { problems.append(p) }
        let queries = c["queries"] as? [String] ?? []
        let expected = prefect["queries"] as? [[String: Any]] ?? []
        for (name, exp) in zip(queries, expected) {
            let kind = exp["kind"] as? String ?? ""
            let outcome = resolution.get(name)
            let label = "get(\(name))"
            switch outcome {
            case .value(let v, let source):
                if kind != "value" { problems.append("\(label): model value, Prefect \(kind)"); continue }
                if (exp["source"] as? String) != (source == .cloud ? "cloud" : "context") { problems.append("\(label): source differs") }
                if let p = digestMismatch(label, exp, v) { problems.append(p) }
            case .localNotFound: if kind != "local-not-found" { problems.append("\(label): model local-not-found, Prefect \(kind)") }
            case .cloudNotFound: if kind != "cloud-not-found" { problems.append("\(label): model cloud-not-found, Prefect \(kind)") }
            case .cloudLookupUnknown: if kind != "cloud-lookup-unknown" { problems.append("\(label): model cloud-lookup-unknown, Prefect \(kind)") }
            case .cloudValueUnknown: problems.append("\(label): model cloud-value-unknown, Prefect \(kind)")
            case .error(let t, let m):
                // UnicodeDecodeError messages quote the offending byte: compare the type only.
                let messageMatters = t != "UnicodeDecodeError"
                if kind != "error" || (exp["type"] as? String) != t || (messageMatters && (exp["message"] as? String) != m) {
                    problems.append("\(label): model \(t): \(m); Prefect \(kind) \(exp["type"] ?? "") \(exp["message"] ?? "")")
                }
            case .importCrash: problems.append("\(label): model import crash")
            }
        }
        return problems
    }

    @Test func modelAgreesWithPrefect() throws {
        let env = ProcessInfo.processInfo.environment
        let url = env["SEMANTICS_DIFF_CASES"].map { URL(fileURLWithPath: $0) }
            ?? TestPaths.testdata.appendingPathComponent("semantics/differential-cases.json")
        let cases = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        #expect(cases.count >= 200)
        var results: [[String: Any]] = []
        var failed: [String] = []
        for c in cases {
            let id = c["id"] as? String ?? "?"
            let problems = Self.check(c)
            results.append(["id": id, "disagreements": problems])
            if !problems.isEmpty { failed.append(id + ": " + problems.joined(separator: "; ")) }
        }
        if let out = env["SEMANTICS_DIFF_RESULTS"] {
            try JSONSerialization.data(withJSONObject: results).write(to: URL(fileURLWithPath: out))
        }
        #expect(failed.isEmpty, "disagreements with Prefect 1.4.1:\n\(failed.prefix(40).joined(separator: "\n"))")
    }

    @Test func conversionsAgreeWithPython() throws {
        let env = ProcessInfo.processInfo.environment
        let url = env["SEMANTICS_FUZZ_CASES"].map { URL(fileURLWithPath: $0) }
            ?? TestPaths.testdata.appendingPathComponent("semantics/conversion-cases.json")
        let file = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let pairs = (file["env"] as? [[String]] ?? []).filter { $0.count == 2 }
        let ctx = PathExpansionContext(
            environment: PrefectEnvironment(pairs.map { ($0[0], $0[1]) }).dictionary,
            userHomes: file["user_homes"] as? [String: String] ?? [:])
        let cases = try #require(file["cases"] as? [[String: Any]])
        #expect(cases.count >= 1000)
        var results: [[String: Any]] = []
        var failed: [String] = []
        for (index, c) in cases.enumerated() {
            guard let s = c["s"] as? String else { continue }
            var problems: [String] = []
            if let p = Self.digestMismatch("string_to_type", c["string_to_type"], PrefectValueConversion.stringToType(s)) { problems.append(p) }
            if let p = Self.digestMismatch("interpolate_env_vars", c["interpolate"], PrefectValueConversion.interpolateEnvVars(.str(s), in: ctx)) { problems.append(p) }
            let json: String
            switch PythonJSON.loads(.str(s)) {
            case .success(let v):
                if let p = Self.digestMismatch("json.loads", c["json"], v) { problems.append(p) }
                json = ""
            case .failure(.decodeError): json = "decode-error"
            case .failure(.typeError): json = "error:TypeError"
            case .failure(.otherError(let t, _)): json = "error:" + t
            }
            if !json.isEmpty, (c["json"] as? String) != json { problems.append("json.loads: model \(json), Python \(c["json"] is String ? c["json"]! : "a value")") }
            results.append(["index": index, "disagreements": problems])
            if !problems.isEmpty { failed.append("#\(index): " + problems.joined(separator: "; ")) }
        }
        if let out = env["SEMANTICS_FUZZ_RESULTS"] {
            try JSONSerialization.data(withJSONObject: results).write(to: URL(fileURLWithPath: out))
        }
        #expect(failed.isEmpty, "conversions differing from Python:\n\(failed.prefix(40).joined(separator: "\n"))")
    }
}
