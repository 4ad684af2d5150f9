/// The project's own subclasses of Prefect's `Flow` (`class Flow(prefect.Flow)` in
/// `pipelines/utils/decorators.py`), which modules that import them build flows with.
struct FlowSubclasses {
    /// The subclasses' names by the Python file that defines them.
    private let byFile: [String: [String]]
    /// The class each Python file binds `Flow` to, imported from another module.
    private let aliases: [String: ImportedName]
    /// Every Python file of the project, where imports are looked for.
    private let pythonPaths: Set<String>

    init(_ files: [FileFactsEntry]) {
        var byFile: [String: [String]] = [:]
        var aliases: [String: ImportedName] = [:]
        for file in files {
            if let names = file.facts.python?.flowSubclasses, !names.isEmpty { byFile[file.path] = names }
            if let alias = file.facts.python?.flowAlias { aliases[file.path] = alias }
        }
        self.byFile = byFile
        self.aliases = aliases
        // Only needed when some file defines one.
        pythonPaths = byFile.isEmpty ? [] : Set(files.lazy.filter { $0.kind == .python }.map(\.path))
    }

    /// Whether the module `imported` names, as Python finds it from `path`, defines the class
    /// as a subclass of Prefect's `Flow`, or binds `Flow` to one that a module it imports
    /// from does (`Flow = CustomFlow`), a few modules deep.
    func defines(_ imported: ImportedName, importedBy path: String, depth: Int = 4) -> Bool {
        guard !byFile.isEmpty, depth > 0,
            let file = Registrations.importedFile(module: imported.module, level: imported.level, importedBy: path, in: pythonPaths)
        else { return false }
        if byFile[file]?.contains(imported.name) ?? false { return true }
        guard imported.name == "Flow", let alias = aliases[file], file != path else { return false }
        return defines(alias, importedBy: file, depth: depth - 1)
    }
}
