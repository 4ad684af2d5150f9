/// Secret names that flows give as string constants of other project modules:
/// `PrefectSecret(DB_SECRET)` after `from settings import DB_SECRET`, where `settings.py` says
/// `DB_SECRET = "SNOWFLAKE_PASSWORD"`.
///
/// Such a module most often names nothing of Prefect's, so its analysis keeps no facts (its
/// constants among them). The scan reads the few modules that references name
/// (``modules``) for their constants once every file is analyzed, and ``resolve(_:constants:)``
/// names the references before the model is built, as if the name were written in place.
public struct ImportedSecretNames: Sendable {
    /// A reference to name: where it is, and which project module's constant names it.
    private struct Request: Sendable {
        var file: Int
        /// Index into the file's references, or (with `definition`) into that definition's.
        var reference: Int
        var definition: Int?
        var module: String
        var name: String
    }

    private let requests: [Request]

    /// The project's Python files whose constants name secrets in `files`, sorted.
    public let modules: [String]

    /// `projectPaths`: every file of the project, where the imported modules are looked up.
    public init(files: [FileFactsEntry], projectPaths: [String]) {
        var requests: [Request] = []
        var python: Set<String>?
        for (k, file) in files.enumerated() where file.kind == .python {
            func request(_ reference: SecretReference, at index: Int, definition: Int?) {
                guard reference.name == nil, let imported = reference.nameImport else { return }
                if python == nil { python = Set(projectPaths.filter { $0.hasSuffix(".py") }) }
                guard let python,
                    let module = Registrations.importedFile(module: imported.module, level: imported.level, importedBy: file.path, in: python),
                    module != file.path
                else { return }
                requests.append(Request(file: k, reference: index, definition: definition, module: module, name: imported.name))
            }
            for (index, reference) in file.facts.secretReferences.enumerated() { request(reference, at: index, definition: nil) }
            for (d, definition) in (file.facts.python?.secretUsingDefinitions ?? []).enumerated() {
                for (index, reference) in definition.references.enumerated() { request(reference, at: index, definition: d) }
            }
        }
        self.requests = requests
        modules = Set(requests.map(\.module)).sorted()
    }

    /// Names the references whose module's constants (by path, as
    /// ``PythonAnalyzer/stringConstants(of:)`` reads them) hold their name; the others stay
    /// unnamed. Returns the names given, each with the module it was read in.
    @discardableResult
    public func resolve(_ files: inout [FileFactsEntry], constants: [String: [String: String]]) -> [(name: String, module: String)] {
        var given: [(name: String, module: String)] = []
        for request in requests {
            guard let name = constants[request.module]?[request.name] else { continue }
            if let definition = request.definition {
                files[request.file].facts.python?.secretUsingDefinitions[definition].references[request.reference].name = name
            } else {
                files[request.file].facts.secretReferences[request.reference].name = name
            }
            given.append((name, request.module))
        }
        return given
    }
}
