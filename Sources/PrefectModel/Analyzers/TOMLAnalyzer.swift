import Spans
import TOML

/// Reads TOML files: parse errors for PS900 (Prefect crashes on an invalid config), and for
/// Prefect config files (config.toml, backend.toml, auth.toml, or content that looks like
/// one) the local secrets, backend and other keys (facts §2.1, §11).
public struct TOMLAnalyzer: FileAnalyzer {
    public init() {}

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        let document: TOMLDocument
        do {
            document = try TOMLDocument.parse(file.bytes)
        } catch {
            return FileAnalysis(kind: kind, diagnostics: [error.diagnostic])
        }
        guard let role = Self.configRole(path: file.path, root: document.root) else {
            // pyproject.toml's task runners may start agents.
            guard file.path == "pyproject.toml" || file.path.hasSuffix("/pyproject.toml") else { return FileAnalysis(kind: kind) }
            var tasks = PyprojectTasksReader(bytes: file.bytes)
            return FileAnalysis(kind: kind, facts: tasks.read(document.root) ?? FileFacts())
        }
        if file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // TOML allows it, but Prefect reads its config files with the `toml` package, which
            // takes the mark for a key character: `import prefect` fails (checked with Prefect 1.4.1).
            let diagnostic = SourceDiagnostic(
                span: ByteSpan(0, 3),
                message: "the file starts with a byte order mark, which Prefect 1.4.1's toml reader refuses (TomlDecodeError), so importing prefect fails; save it as UTF-8 without BOM")
            return FileAnalysis(kind: kind, diagnostics: [diagnostic])
        }
        if let array = Self.mixedTypeArray(in: document.root) {
            // TOML 1.0 allows it; the `toml` package Prefect reads config files with does not.
            let diagnostic = SourceDiagnostic(
                span: array,
                message: "an array of values of different types, which Prefect 1.4.1's toml reader refuses (Not a homogeneous array), so importing prefect fails; write the items as one type (all strings, say)")
            return FileAnalysis(kind: kind, diagnostics: [diagnostic])
        }
        var facts = FileFacts()
        facts.configRole = role
        facts.configTree = ConfigValue(.table(document.root))
        Self.collect(document.root, path: [], into: &facts)
        return FileAnalysis(kind: kind, facts: facts)
    }

    /// The first array whose items are of different types as toml 0.10 tells them apart (a
    /// string, an int, a float, a bool, a date or datetime, a time, an array, a table), which
    /// its `load_array` refuses; arrays inside arrays and tables are checked too.
    static func mixedTypeArray(in table: TOMLTable) -> ByteSpan? {
        func typeName(_ value: TOMLValue) -> String {
            switch value {
            case .string: "str"
            case .integer: "int"
            case .float: "float"
            case .boolean: "bool"
            // A date and a datetime mix; a time of day does not mix with either.
            case .datetime(let d): d.raw.contains("-") ? "datetime" : "time"
            case .array: "list"
            case .table: "dict"
            }
        }
        func check(_ node: TOMLNode) -> ByteSpan? {
            switch node.value {
            case .array(let items):
                if Set(items.map { typeName($0.value) }).count > 1 { return node.span }
                return items.lazy.compactMap(check).first
            case .table(let inner): return mixedTypeArray(in: inner)
            default: return nil
            }
        }
        return table.entries.lazy.compactMap { check($0.node) }.first
    }

    /// Which Prefect config file this is, by location (a `.prefect/` folder) or by content
    /// (`[context.secrets]`, a top-level `backend`, or Prefect's `[cloud]`/`[server]` keys).
    static func configRole(path: String, root: TOMLTable) -> PrefectConfigRole? {
        let parts = path.split(separator: "/")
        let name = parts.last.map(String.init) ?? path
        let inPrefectFolder = parts.dropLast().contains { $0 == ".prefect" || $0 == "prefect" }
        switch name {
        case "backend.toml" where inPrefectFolder || root["backend"] != nil: return .backendConfig
        case "auth.toml" where inPrefectFolder: return .authConfig
        case "pyproject.toml", ".prefect-secrets.toml", "Cargo.toml": return nil
        default: break
        }
        // A template (`config.example.toml`) or a test fixture is no machine's config.
        let lowerName = name.lowercased()
        if ["example", "sample", "template", "tmpl"].contains(where: { lowerName.contains($0) })
            || parts.dropLast().contains(where: { ["fixtures", "fixture"].contains($0.lowercased()) })
        {
            return nil
        }
        if inPrefectFolder && name.hasSuffix(".toml") { return .userConfig }
        if root.node(atPath: ["context", "secrets"])?.tableValue != nil { return .userConfig }
        // A secrets table misspelt (`[Context.Secrets]`, `[context.secret]`): meant as one, and PS407's to report.
        let contexts = root.entries.filter { $0.key.lowercased() == "context" }.compactMap(\.node.tableValue)
        if contexts.contains(where: { $0.entries.contains { ["secrets", "secret"].contains($0.key.lowercased()) } }) { return .userConfig }
        if root["backend"]?.stringValue != nil { return .userConfig }
        // `[cloud.agent]` alone (labels, env_vars): an agent machine's config.
        let cloudKeys: Set<String> = ["api_key", "auth_token", "use_local_secrets", "tenant_id", "api", "endpoint", "agent"]
        if let cloud = root["cloud"]?.tableValue, cloud.entries.contains(where: { cloudKeys.contains($0.key) }) { return .userConfig }
        // What `prefect server start` reads: `[server.hasura]`, or `[server.database]` beside
        // another of Prefect Server's settings (a web app's `[server.database]` alone is not it).
        if let server = root["server"]?.tableValue {
            let keys = Set(server.entries.map(\.key))
            if keys.contains("hasura") { return .userConfig }
            let serverKeys: Set<String> = ["endpoint", "host_port", "graphql", "ui", "telemetry", "apollo_url"]
            if keys.contains("database"), name == "config.toml" || !keys.isDisjoint(with: serverKeys) { return .userConfig }
        }
        return nil
    }

    /// Walks the tree: `context.secrets` entries become provisions, every other leaf a config entry.
    static func collect(_ table: TOMLTable, path: [String], into facts: inout FileFacts) {
        for entry in table.entries {
            let keyPath = path + [entry.key]
            if keyPath == ["context", "secrets"], let secrets = entry.node.tableValue {
                for secret in secrets.entries { facts.provisions.append(provision(secret)) }
                continue
            }
            // `[cloud.agent.env_vars]`: what an agent that reads this file and is given no
            // `--env` puts in its flow runs' env, as PREFECT__CLOUD__AGENT__ENV_VARS would.
            if keyPath == ["cloud", "agent", "env_vars"], let variables = entry.node.tableValue {
                for variable in variables.entries {
                    guard let value = variable.node.stringValue else { continue }
                    let assignment = EnvAssignment(
                        name: variable.key, nameSpan: variable.keySpan, value: value, valueSpan: variable.node.span.inner(of: variable.node),
                        origin: EnvValueSyntax.origin(of: value), context: .agentEnvVarsJSON)
                    facts.envAssignments.append(assignment)
                    if let provision = SecretProvision(contextSecretEnv: assignment) { facts.provisions.append(provision) }
                }
            }
            if keyPath == ["backend"], let value = entry.node.stringValue {
                facts.backendSettings.append(BackendSetting(value: value, span: entry.node.span.inner(of: entry.node)))
            }
            if let nested = entry.node.tableValue {
                collect(nested, path: keyPath, into: &facts)
            } else {
                facts.configEntries.append(
                    ConfigEntry(
                        path: keyPath, keySpan: entry.keySpan, valueSpan: entry.node.span.inner(of: entry.node),
                        stringValue: entry.node.stringValue, valueType: typeName(entry.node.value)))
            }
        }
    }

    /// A `[context.secrets]` entry as a provision; a table value is a dict secret whose keys
    /// are recorded as nested keys.
    static func provision(_ entry: TOMLEntry) -> SecretProvision {
        var provision = SecretProvision(name: entry.key, span: entry.keySpan, source: .localConfig, origin: origin(entry.node))
        if let table = entry.node.tableValue {
            provision.nestedKeys = nestedKeys(table)
        } else if let items = entry.node.arrayValue, !items.isEmpty, items.allSatisfy({ $0.tableValue != nil }) {
            // An array of tables (`[[context.secrets.DBS]]`, whose span is a header): the
            // values are its tables' leaves.
            provision.nestedKeys = items.compactMap(\.tableValue).flatMap(nestedKeys).map { key in
                var key = key
                key.isInList = true
                return key
            }
        } else {
            provision.valueSpan = entry.node.span.inner(of: entry.node)
            provision.stringValue = entry.node.stringValue
        }
        return provision
    }

    static func origin(_ node: TOMLNode) -> ValueOrigin {
        guard let string = node.stringValue else { return .literal }
        return isReference(string) ? .reference : (string.contains("$") ? .mixed : .literal)
    }

    static func nestedKeys(_ table: TOMLTable) -> [NestedSecretKey] {
        var out: [NestedSecretKey] = []
        for entry in table.entries {
            if let nested = entry.node.tableValue {
                out.append(NestedSecretKey(key: entry.key, keySpan: entry.keySpan, valueSpan: nil, origin: .literal))
                out += nestedKeys(nested)
            } else {
                out.append(
                    NestedSecretKey(
                        key: entry.key, keySpan: entry.keySpan, valueSpan: entry.node.span.inner(of: entry.node),
                        origin: origin(entry.node), stringValue: entry.node.stringValue))
            }
        }
        return out
    }

    /// A value that is only a `${a.b}` config reference or a `$VAR`/`${VAR}` env reference.
    static func isReference(_ value: String) -> Bool {
        let v = Whitespace.trimmed(value)
        if v.hasPrefix("${"), v.hasSuffix("}"), !v.dropFirst(2).dropLast().contains("}") { return true }
        if v.hasPrefix("$"), v.count > 1, v.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) { return true }
        return false
    }

    static func typeName(_ value: TOMLValue) -> String {
        switch value {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .datetime: "datetime"
        case .array: "array"
        case .table: "table"
        }
    }
}

extension ByteSpan {
    /// For a string node, the span of its content without quotes (so fixes and redactions
    /// cover the value only); other nodes keep their span.
    func inner(of node: TOMLNode) -> ByteSpan {
        guard let style = node.stringStyle else { return self }
        let quote = (style == .multilineBasic || style == .multilineLiteral) ? 3 : 1
        guard length >= 2 * quote else { return self }
        return ByteSpan(start + quote, end - quote)
    }
}

import Foundation
