/// What `prefect register` commands add to flows' labels (Prefect 1.4.1's `prepare_flows`
/// adds `--label` values to each registered flow's run config): each flow's files are found
/// from the commands' `--path` (files, folders with their `.py` files, globs) and `--module`
/// values, relative to the project's root or to the naming file's folder, and `--name`
/// filters them. A flow that commands register with different labels has unknown ones, as
/// does one the code also registers (`flow.register(…)` under `__main__`, which `prefect
/// register` does not run) with other labels.
struct Registrations {
    /// By flow id: the labels registration adds, and whether only `--module` registers the
    /// flow (it then gets `Module` storage when it has none, which adds no hostname label).
    private(set) var flows: [Int: (labels: WrittenLabels, byModuleOnly: Bool)] = [:]
    /// By flow id: `--path` folders, as written, that hold the flow's file in a subfolder.
    private(set) var foldersAbove: [Int: [String]] = [:]
    /// A command whose targets the tool cannot read (`--path "$DIR"`) may register any flow.
    private(set) var mayRegisterAny = false

    init(_ files: [FileFactsEntry], flows: [FlowEntity], projectPaths: [String]) {
        mayRegisterAny = files.contains { $0.facts.registrations.contains(where: \.targetsAreUnknown) }
        let registrations = files.flatMap { file in file.facts.registrations.filter { !$0.targetsAreUnknown }.map { (file.path, $0) } }
        guard !registrations.isEmpty else { return }
        let python = projectPaths.filter { $0.hasSuffix(".py") }
        let pythonFiles = Set(python)
        var byFlow: [Int: [(labels: WrittenLabels, byModule: Bool)]] = [:]
        for (referrer, registration) in registrations {
            let bases = Self.bases(of: referrer, runningIn: registration.workingDirectory)
            let byPath = Set(registration.paths.flatMap { Self.files(at: $0, bases: bases, in: python) })
            let byModule = Set(registration.modules.flatMap { Self.files(ofModule: $0, bases: bases, in: pythonFiles) })
            for written in registration.paths where !written.contains("*") {
                for base in bases {
                    let folder = Self.join(base, written)
                    for flow in flows where !folder.isEmpty && flow.path.hasPrefix(folder + "/") && flow.path.dropFirst(folder.count + 1).contains("/") {
                        foldersAbove[flow.id, default: []].append(written)
                    }
                }
            }
            for flow in flows where byPath.contains(flow.path) || byModule.contains(flow.path) {
                if !registration.names.isEmpty, !registration.names.contains(where: { $0 == flow.flow.name }) { continue }
                byFlow[flow.id, default: []].append((registration.labels, !byPath.contains(flow.path)))
            }
        }
        for (flow, registered) in byFlow {
            let labels = Set(registered.map(\.labels)).count == 1 ? registered[0].labels : Self.unknown
            self.flows[flow] = (labels, registered.allSatisfy(\.byModule))
        }
    }

    /// The labels of a flow registered with different ones: any of them, or none.
    static let unknown = WrittenLabels(unknown: ["prefect register"], unknownMayBeNone: true)

    /// The Python files a `--path` value names: a file, the `.py` files of a folder (not of
    /// its subfolders), or a glob (`**` for any folders) of files and folders.
    static func files(at written: String, bases: [String], in python: [String]) -> [String] {
        for base in bases {
            let path = join(base, written)
            if path.contains("*") {
                // Files the glob matches, and the `.py` files of folders it matches.
                let glob = path.split(separator: "/").map(String.init)
                let found = python.filter { file in
                    let parts = file.split(separator: "/").map(String.init)
                    return matches(glob: glob, parts) || matches(glob: glob, Array(parts.dropLast()))
                }
                if !found.isEmpty { return found }
                continue
            }
            if python.contains(path) { return [path] }
            let folder = path.isEmpty ? "" : path + "/"
            let found = python.filter { $0.hasPrefix(folder) && !$0.dropFirst(folder.count).contains("/") }
            if !found.isEmpty { return found }
        }
        return []
    }

    /// The project file a Python import in `path` names: `from etl.flows import x` from the
    /// project's root or the importing file's folder, `from .etl import x` from the importing
    /// file's package (one folder up per extra dot).
    static func files(ofModule module: String, level: Int, importedBy path: String, in python: Set<String>) -> [String] {
        guard let bases = importBases(level: level, importedBy: path, folderFirst: false) else { return [] }
        return files(ofModule: module, bases: bases, in: python)
    }

    /// Where an import in `path` is looked for: a relative one in the importing file's package
    /// (one folder up per extra dot), nil above the project's root; an absolute one in the
    /// project's root and the file's folder, in the order asked, then, as a package of the
    /// project installed from where it stands may be, in the folders above the file (nearest
    /// first) and in `src/` (a `src` layout).
    static func importBases(level: Int, importedBy path: String, folderFirst: Bool) -> [String]? {
        let folder = path.split(separator: "/").dropLast()
        if level > 0 {
            guard folder.count >= level - 1 else { return nil }
            return [folder.dropLast(level - 1).joined(separator: "/")]
        }
        var bases = folder.isEmpty ? [""] : folderFirst ? [folder.joined(separator: "/"), ""] : ["", folder.joined(separator: "/")]
        if folder.count > 1 { bases += (1..<folder.count).reversed().map { folder.prefix($0).joined(separator: "/") } }
        if !bases.contains("src") { bases.append("src") }
        return bases
    }

    /// The file `from <module> import …` in `path` loads, as Python finds it when Prefect
    /// runs the file: the importing file's folder first (Prefect puts it first on `sys.path`),
    /// then the project's root; the module itself (`a/b.py` or `a/b/__init__.py`), never a
    /// package above it. Relative imports start from the importing file's package.
    static func importedFile(module: String, level: Int, importedBy path: String, in python: Set<String>) -> String? {
        guard let bases = importBases(level: level, importedBy: path, folderFirst: true) else { return nil }
        let relative = module.split(separator: ".").joined(separator: "/")
        for base in bases {
            // A module's parts are names (never `.`, `..` or empty) and the importing file's
            // folder is a project path: nothing to resolve, unlike ``join(_:_:)``'s paths.
            let stem = base.isEmpty ? relative : relative.isEmpty ? base : base + "/" + relative
            if python.contains(stem + ".py") { return stem + ".py" }
            if python.contains(stem + "/__init__.py") { return stem + "/__init__.py" }
        }
        return nil
    }

    /// The file of a `--module` value: the module, or the module of a flow's import path.
    static func files(ofModule module: String, bases: [String], in python: Set<String>) -> [String] {
        let parts = module.split(separator: ".").map(String.init)
        for base in bases {
            for count in stride(from: parts.count, to: 0, by: -1) {
                let stem = join(base, parts.prefix(count).joined(separator: "/"))
                for candidate in [stem + ".py", stem + "/__init__.py"] where python.contains(candidate) { return [candidate] }
            }
        }
        return []
    }

    /// Where a command's relative paths start: the folder it runs in when known, else the
    /// project's root (where CI jobs and most scripts run), then the naming file's folder.
    static func bases(of referrer: String, runningIn directory: String? = nil) -> [String] {
        if let directory { return [directory] }
        let folder = referrer.split(separator: "/").dropLast().joined(separator: "/")
        return folder.isEmpty ? [""] : ["", folder]
    }

    /// `base/relative` with `.` and `..` resolved; a path above the project's root gives one
    /// no project file has.
    static func join(_ base: String, _ relative: String) -> String {
        ProjectPaths.follow(relative, from: base.split(separator: "/").map(String.init))?.joined(separator: "/") ?? "/"
    }

    /// Python's `glob` on path components: `**` matches any number of folders, `*` and `?`
    /// match within one component.
    static func matches(glob: [String], _ path: [String]) -> Bool {
        guard let first = glob.first else { return path.isEmpty }
        if first == "**" {
            return (0...path.count).contains { matches(glob: Array(glob.dropFirst()), Array(path.dropFirst($0))) }
        }
        guard let component = path.first, matches(pattern: Array(first), Array(component)) else { return false }
        return matches(glob: Array(glob.dropFirst()), Array(path.dropFirst()))
    }

    static func matches(pattern: [Character], _ text: [Character]) -> Bool {
        guard let p = pattern.first else { return text.isEmpty }
        if p == "*" { return (0...text.count).contains { matches(pattern: Array(pattern.dropFirst()), Array(text.dropFirst($0))) } }
        guard let t = text.first, p == "?" || p == t else { return false }
        return matches(pattern: Array(pattern.dropFirst()), Array(text.dropFirst()))
    }
}
