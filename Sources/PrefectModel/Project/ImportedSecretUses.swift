import Spans

/// Secrets a flow needs through what its module imports: a task or helper of a project module
/// that references a secret (`from flow_utilities.db import get_connection_string`, whose body
/// calls `Secret("DB_PASS").get()`) references it for the flow whose module imports it.
extension ProjectModel {
    /// Adds to each flow, for every name its module imports from a project module that defines
    /// it with secret references (in a module with several flows: a name that flow uses),
    /// those references, placed at the imported name and pointing at where the definition
    /// references them, named by the module's calls that flow runs. A loose reference (one no
    /// flow of its own module takes) that some flow takes so is no longer loose.
    static func linkImportedSecretUses(
        _ files: [FileFactsEntry], flows: inout [FlowEntity], looseReferences: inout [(path: String, reference: SecretReference)],
        projectPaths: [String]
    ) {
        let definitions = Dictionary(
            files.compactMap { file in
                (file.facts.python?.secretUsingDefinitions).flatMap { $0.isEmpty ? nil : (file.path, $0) }
            },
            uniquingKeysWith: { first, _ in first })
        guard !definitions.isEmpty else { return }
        let python = Set(projectPaths.filter { $0.hasSuffix(".py") })
        var idsOfPath: [String: [Int]] = [:]
        var idOfFlow: [ProjectLocation: Int] = [:]
        for flow in flows {
            idsOfPath[flow.path, default: []].append(flow.id)
            idOfFlow[flow.location] = flow.id
        }
        var linked: Set<ProjectLocation> = []
        var loadedBy: Set<String> = []
        for file in files {
            guard let imported = file.facts.python?.importedNames, !imported.isEmpty, let ids = idsOfPath[file.path] else { continue }
            let calls = file.facts.python?.importedCalls ?? []
            for use in imported {
                // The flows using the name, with their index in the module when it has several.
                var users: [(index: Int?, id: Int)] = []
                if let indices = use.flows {
                    for index in indices where index < file.facts.flows.count {
                        if let id = idOfFlow[ProjectLocation(path: file.path, span: file.facts.flows[index].span)] { users.append((index, id)) }
                    }
                } else if ids.count == 1 {
                    users = [(nil, ids[0])]
                }
                guard !users.isEmpty else { continue }
                var found = references(of: use.name, importedBy: file.path, definitions: definitions, python: python)
                // What the modules the import loads read when they load, once per module.
                for path in loadedModules(by: use.name, importedBy: file.path, python: python) where loadedBy.insert("\(file.path)\u{0}\(path)").inserted {
                    found += (definitions[path] ?? []).filter { $0.name == PythonFlowFactsBuilder.moduleLoadDefinition }.flatMap { $0.references.map { (path, $0) } }
                }
                let callsOfName = calls.filter { $0.imported.sameBinding(as: use.name) }
                for user in users {
                    let runCalls = callsOfName.filter { call in user.index.map { call.flows?.contains($0) ?? true } ?? true }
                    // One reference per secret and kind: a helper reading it twice is one need.
                    var seen: Set<String> = []
                    for (path, reference) in found {
                        linked.insert(ProjectLocation(path: path, span: reference.span))
                        let made = reference.imported(at: use.name.span, from: path)
                        for need in made.named(by: runCalls) {
                            guard seen.insert("\(need.name ?? "")\u{0}\(need.kind.rawValue)").inserted else { continue }
                            flows[user.id].references.append(need)
                        }
                    }
                }
            }
        }
        looseReferences.removeAll { linked.contains(ProjectLocation(path: $0.path, span: $0.reference.span)) }
    }

    /// The secret references of the definition `name` imports, with the files they are in: its
    /// own, and those of the imported functions it calls (`load` in a task module calling
    /// `get_dsn` of a helper module), a few imports deep.
    static func references(
        of name: ImportedName, importedBy importer: String, definitions: [String: [SecretUsingDefinition]], python: Set<String>, depth: Int = 3
    ) -> [(path: String, reference: SecretReference)] {
        guard depth > 0, let imported = Registrations.importedFile(module: name.module, level: name.level, importedBy: importer, in: python), imported != importer
        else { return [] }
        let path = definingFile(of: name.name, imported: imported, definitions: definitions)
        var found: [(path: String, reference: SecretReference)] = []
        for definition in (definitions[path] ?? []) where definition.name == name.name {
            found += definition.references.map { (path, $0) }
            for call in definition.calls {
                // A read by a parameter of the called function is named by the definition's
                // calls of it (at the call, in this module), or not at all: the importing
                // module's calls of `name` say nothing of it.
                let arguments = definition.callArguments.filter { $0.imported.sameBinding(as: call) }
                for (calleePath, reference) in references(of: call, importedBy: path, definitions: definitions, python: python, depth: depth - 1) {
                    for var need in reference.named(by: arguments) {
                        let namedHere = need.nameParameter == nil && reference.nameParameter != nil
                        need.nameSource = nil
                        found.append((namedHere ? path : calleePath, need))
                    }
                }
            }
        }
        return found
    }

    /// The project modules an import of `name` loads: the module it is imported from, and the
    /// submodule it names when it is one (`from lib import s3_utils`).
    static func loadedModules(by name: ImportedName, importedBy importer: String, python: Set<String>) -> [String] {
        let submodule = name.module.isEmpty ? name.name : name.module + "." + name.name
        return [name.module, submodule].compactMap { module in
            module.isEmpty && name.level == 0 ? nil : Registrations.importedFile(module: module, level: name.level, importedBy: importer, in: python)
        }.filter { $0 != importer }
    }

    /// The file that defines `name` imported from the file `imported`: that file, or for a
    /// package's `__init__.py` that does not define it (`from .tasks import load` re-exports
    /// it), the one module of the package that does.
    static func definingFile(of name: String, imported: String, definitions: [String: [SecretUsingDefinition]]) -> String {
        guard imported.hasSuffix("/__init__.py") || imported == "__init__.py", !(definitions[imported] ?? []).contains(where: { $0.name == name }) else { return imported }
        let package = String(imported.dropLast("__init__.py".count))
        let candidates = definitions.keys.filter { path in
            path.hasPrefix(package) && !path.dropFirst(package.count).contains("/") && definitions[path]?.contains { $0.name == name } == true
        }
        return candidates.count == 1 ? candidates[0] : imported
    }
}

extension SecretReference {
    /// This reference, made in module `path`, as a need of the flow whose module imports what
    /// makes it: placed at the import's `use`, pointing at where it is made.
    func imported(at use: ByteSpan, from path: String) -> SecretReference {
        var reference = self
        reference.readIn = ProjectLocation(path: path, span: span)
        reference.span = use
        reference.isPlacedAtCall = false
        reference.flowIndex = nil
        return reference
    }
}

extension SecretReference {
    /// A read whose name is a parameter of the imported function (``nameParameter``), as the
    /// module's calls of that function name it (of a task class's `run`: the calls that run its
    /// instances): one reference at each call that gives a name (or leaves the parameter to a
    /// default that names one), and this one too, unnamed, when some call gives a name the tool
    /// cannot read or none calls it. Any other reference as it is.
    func named(by calls: [ImportedCall]) -> [SecretReference] {
        guard name == nil, let parameter = nameParameter else { return [self] }
        let calls = calls.filter { $0.runsInstance == parameter.namesInstanceRuns }
        guard !calls.isEmpty else { return [self] }
        var named: [SecretReference] = []
        var unread = false
        for call in calls {
            guard let given = call.argument(parameter) ?? parameter.defaultName else {
                unread = true
                continue
            }
            named.append(self.named(given, at: call.span))
        }
        return unread ? [self] + named : named
    }

    /// This read as one of secret `name`, made at `span` (the call that names it).
    func named(_ name: String, at span: ByteSpan) -> SecretReference {
        var reference = self
        reference.name = name
        reference.nameSource = nil
        reference.span = span
        reference.isPlacedAtCall = true
        return reference
    }
}

extension ImportedName {
    /// Whether both name the same thing of the same module (wherever they are written).
    func sameBinding(as other: ImportedName) -> Bool {
        name == other.name && module == other.module && level == other.level
    }
}

/// A secret a module reads while its flow is built by calling a helper of another module
/// (`load(get_password())` inside `with Flow(...)`, `get_password` in lib/creds.py calling
/// `PrefectSecret("DB_PASSWORD").run()`): Prefect raises then, as for a read written in place.
/// Or one it reads whenever it is loaded, calling the helper at module level.
public struct BuildTimeHelperRead: Sendable {
    /// The module that calls the helper, and the call.
    public var path: String
    public var call: ByteSpan
    /// ``PythonReadPlace/flowBlock`` or ``PythonReadPlace/moduleLevel``: where the call stands.
    public var place: PythonReadPlace
    /// The helper's module, and the read in its body.
    public var helperPath: String
    public var read: PythonSecretRead
}

extension ProjectModel {
    /// The secrets read through imported helpers while flows are built (``BuildTimeHelperRead``).
    public func buildTimeHelperReads() -> [BuildTimeHelperRead] {
        let helpers = files.filter { $0.facts.python?.helperSecretReads.isEmpty == false }
        guard !helpers.isEmpty, files.contains(where: { $0.facts.python?.buildTimeImportedCalls.isEmpty == false }) else { return [] }
        let python = Set(files.filter { $0.kind == .python }.map(\.path))
        let readsByPath = Dictionary(helpers.map { ($0.path, $0.facts.python?.helperSecretReads ?? []) }, uniquingKeysWith: { first, _ in first })
        var found: [BuildTimeHelperRead] = []
        for file in files {
            for call in file.facts.python?.buildTimeImportedCalls ?? [] {
                let name = call.imported
                guard let imported = Registrations.importedFile(module: name.module, level: name.level, importedBy: file.path, in: python),
                    imported != file.path, let reads = readsByPath[imported]
                else { continue }
                for read in reads where read.functionName == name.name {
                    found.append(BuildTimeHelperRead(path: file.path, call: call.span, place: call.place, helperPath: imported, read: read))
                }
            }
        }
        return found
    }
}
