/// Secret names that flows give as string constants of other project modules:
/// `PrefectSecret(DB_SECRET)` after `from settings import DB_SECRET`, where `settings.py` says
/// `DB_SECRET = "SNOWFLAKE_PASSWORD"` (or imports it from a module that does, as a package's
/// `__init__.py` re-exports its modules' names).
///
/// Such a module most often names nothing of Prefect's, so its analysis keeps no facts (its
/// constants among them). Once every file is analyzed, the scan reads the few modules that
/// references name (``modulesToRead``, then those their imports lead to) for their constants
/// (``add(_:of:)``), and ``resolve(_:)`` names the references before the model is built, as
/// if each name were written in place.
public struct ImportedSecretNames: Sendable {
    /// What a module says of its names (``PythonAnalyzer/moduleConstants(of:)``).
    public struct ModuleConstants: Sendable {
        /// Module-level string constants whose value is certain.
        public var strings: [String: String] = [:]
        /// Module-level lists of string literals whose value is certain (`LABELS = ["prod"]`).
        public var stringLists: [String: [String]] = [:]
        /// Names the module imports from others (`from .base import DB_SECRET`), by the name they bind.
        public var imports: [String: ImportedName] = [:]
        /// Its `from M import *` imports (the name is `*`).
        public var starImports: [ImportedName] = []

        public init(
            strings: [String: String] = [:], stringLists: [String: [String]] = [:], imports: [String: ImportedName] = [:], starImports: [ImportedName] = []
        ) {
            self.strings = strings
            self.stringLists = stringLists
            self.imports = imports
            self.starImports = starImports
        }
    }

    /// A reference to name: where it is, and which project module's name gives it.
    private struct Request: Sendable {
        var file: Int
        /// Index into the file's references, or (with `definition`) into that definition's;
        /// with `flow`, the index of the flow whose run config labels the name gives.
        var reference: Int
        var definition: Int?
        var flow: Int?
        var module: String
        var name: String
    }

    /// How many imports a name is followed through (`flows/__init__.py` re-exporting
    /// `flows/names.py`'s is one).
    public static let maxImportDepth = 3

    private let requests: [Request]
    private let python: Set<String>
    private var read: [String: ModuleConstants] = [:]
    /// The modules read, or that could not be read.
    private var attempted: Set<String> = []

    /// `projectPaths`: every file of the project, where the imported modules are looked up.
    public init(files: [FileFactsEntry], projectPaths: [String]) {
        var requests: [Request] = []
        var python: Set<String>?
        for (k, file) in files.enumerated() where file.kind == .python {
            /// Asks for `imported`'s value for the reference at `index` (of `definition`), or for the labels of `flow`.
            func request(_ imported: ImportedName, at index: Int, definition: Int? = nil, flow: Int? = nil) {
                if python == nil { python = Set(projectPaths.filter { $0.hasSuffix(".py") }) }
                guard let python,
                    let module = Registrations.importedFile(module: imported.module, level: imported.level, importedBy: file.path, in: python),
                    module != file.path
                else { return }
                requests.append(Request(file: k, reference: index, definition: definition, flow: flow, module: module, name: imported.name))
            }
            func request(_ reference: SecretReference, at index: Int, definition: Int?) {
                guard reference.name == nil, let imported = reference.nameImport else { return }
                request(imported, at: index, definition: definition)
            }
            for (index, reference) in file.facts.secretReferences.enumerated() { request(reference, at: index, definition: nil) }
            // Run config labels a list of another module gives (`labels=AGENT_LABELS`).
            for (index, flow) in file.facts.flows.enumerated() {
                if let imported = flow.labelsImport { request(imported, at: 0, flow: index) }
            }
            for (d, definition) in (file.facts.python?.secretUsingDefinitions ?? []).enumerated() {
                for (index, reference) in definition.references.enumerated() { request(reference, at: index, definition: d) }
            }
        }
        self.requests = requests
        self.python = python ?? []
    }

    /// The project's Python files to read next, sorted: those the references name, then those
    /// the read modules import the names from. Empty when every name is settled (or cannot be).
    public var modulesToRead: [String] {
        var unread: Set<String> = []
        for request in requests { _ = lookUp(request.name, in: request.module, depth: 0, unread: &unread) { $0.strings[$1] ?? $0.stringLists[$1]?.first } }
        return unread.subtracting(attempted).sorted()
    }

    /// Records what module `path` says (nil: it could not be read).
    public mutating func add(_ constants: ModuleConstants?, of path: String) {
        attempted.insert(path)
        read[path] = constants
    }

    /// Names the references whose name the read modules settle; the others stay unnamed.
    /// Returns the names given, each with the module it was read in.
    @discardableResult
    public func resolve(_ files: inout [FileFactsEntry]) -> [(name: String, module: String)] {
        var given: [(name: String, module: String)] = []
        var unread: Set<String> = []
        for request in requests {
            if let flow = request.flow {
                guard let (labels, _) = lookUp(request.name, in: request.module, depth: 0, unread: &unread, { $0.stringLists[$1] }) else { continue }
                files[request.file].facts.flows[flow].labels = labels
                files[request.file].facts.flows[flow].unknownLabels = []
                files[request.file].facts.flows[flow].unknownLabelsMayBeNone = false
                continue
            }
            guard let (name, module) = lookUp(request.name, in: request.module, depth: 0, unread: &unread, { $0.strings[$1] }) else { continue }
            if let definition = request.definition {
                files[request.file].facts.python?.secretUsingDefinitions[definition].references[request.reference].name = name
            } else {
                files[request.file].facts.secretReferences[request.reference].name = name
            }
            given.append((name, module))
        }
        return given
    }

    /// The value `pick` finds for `name` in module `path` (its string, its list of strings),
    /// and the module that sets it: its own constant, else one it imports by name, else one of
    /// its `*` imports gives (the last first, as the last import binds). Modules not read yet
    /// on the way go to `unread`.
    private func lookUp<Value>(
        _ name: String, in path: String, depth: Int, unread: inout Set<String>, _ pick: (ModuleConstants, String) -> Value?
    ) -> (value: Value, module: String)? {
        guard let constants = read[path] else {
            unread.insert(path)
            return nil
        }
        if let value = pick(constants, name) { return (value, path) }
        guard depth < Self.maxImportDepth else { return nil }
        if let imported = constants.imports[name] {
            guard let module = Registrations.importedFile(module: imported.module, level: imported.level, importedBy: path, in: python), module != path
            else { return nil }
            return lookUp(imported.name, in: module, depth: depth + 1, unread: &unread, pick)
        }
        // `*` leaves out names that start with `_`.
        guard !name.hasPrefix("_") else { return nil }
        for star in constants.starImports.reversed() {
            guard let module = Registrations.importedFile(module: star.module, level: star.level, importedBy: path, in: python), module != path,
                let found = lookUp(name, in: module, depth: depth + 1, unread: &unread, pick)
            else { continue }
            return found
        }
        return nil
    }
}
