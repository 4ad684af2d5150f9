import Foundation
import Report

/// A file to scan: its path as reported (relative to the scanned root) and on disk.
struct DiscoveredFile: Sendable, Hashable {
    var reportPath: String
    var absolutePath: String
}

/// Problems that stop a scan before it starts (exit 2).
enum UsageError: Error, CustomStringConvertible {
    case message(String)
    var description: String {
        switch self {
        case .message(let m): m
        }
    }
}

extension UsageError {
    /// A scan that read no file: how many were skipped and why, and what to check.
    static func nothingScanned(_ summary: ScanSummary, paths: [String]) -> UsageError {
        let skipped = summary.skippedFiles
        let reasons = SkipReason.allCases.compactMap { reason in summary.skipped[reason].map { "\($0) \(reason.rawValue)" } }
        let why = reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", ")
        return .message(
            "nothing was scanned (\(skipped) file\(skipped == 1 ? "" : "s") skipped\(why)) under \(paths.joined(separator: " ")): check the path, .gitignore, the config's exclude and --max-file-size")
    }
}

/// Finds the files to scan. In a git work tree it asks git (so .gitignore is honoured);
/// elsewhere it walks the tree, skipping tool folders. It never follows a symlink out of the
/// root and never descends into a symlinked directory, so it cannot loop. Only regular files
/// (or symlinks to them) are scanned: a FIFO or device would block or never end, so they are
/// counted as skipped.
///
/// Discovery runs before the parallel scan, alone on one core, so each file costs one `lstat`
/// (none when the directory entry says it is a regular file) and paths are joined as strings;
/// `realpath` is called for symlinks only.
struct Discovery {
    static let skippedDirectories: Set<String> = [".git", ".build", "node_modules", ".venv", "__pycache__", ".hg", ".svn", ".tox", ".mypy_cache"]

    var root: String
    /// Files skipped because they are symlinks pointing outside the root.
    private(set) var symlinksOutside = 0
    /// Symlinks whose target does not exist, or that loop.
    private(set) var brokenSymlinks = 0
    /// FIFOs, sockets and devices skipped (or symlinks to them).
    private(set) var specialFiles = 0

    init(root: String) { self.root = root }

    /// What a directory entry or `lstat` says a path is.
    private enum EntryType {
        case regular, directory, symlink, special, missing
    }

    /// The files under `paths`, deduplicated, in path order.
    mutating func discover(_ paths: [String]) throws -> [DiscoveredFile] {
        var seen = Set<String>()
        var files: [DiscoveredFile] = []
        let rootPath = Self.absolute(root, base: FileManager.default.currentDirectoryPath)
        let rootPrefix = rootPath.hasSuffix("/") ? rootPath : rootPath + "/"
        let rootReal = Self.realPath(rootPath) ?? rootPath
        // Paths below are standardized directories joined with plain names, so the report
        // path is a prefix cut, without URL standardization per file.
        func add(_ file: String) {
            let report: String
            if file == rootPath {
                report = (file as NSString).lastPathComponent
            } else {
                report = file.hasPrefix(rootPrefix) ? String(file.dropFirst(rootPrefix.count)) : file
            }
            if seen.insert(report).inserted { files.append(DiscoveredFile(reportPath: report, absolutePath: file)) }
        }
        for path in paths {
            let absolute = Self.absolute(path, base: FileManager.default.currentDirectoryPath)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                // stat's own reason: a file in a directory the user may not search is there.
                var info = stat()
                let reason = stat(absolute, &info) == 0 || errno == ENOENT ? "no such file or directory" : String(cString: strerror(errno)).lowercased()
                throw UsageError.message("\(path): \(reason)")
            }
            guard isDirectory.boolValue else {
                if accepts(absolute, type: Self.type(of: absolute), rootReal: rootReal) { add(absolute) }
                continue
            }
            if let listed = Self.gitFiles(in: absolute) {
                for file in listed where accepts(file, type: Self.type(of: file), rootReal: rootReal) { add(file) }
            } else {
                Self.walk(absolute) { file, type in
                    if accepts(file, type: type, rootReal: rootReal) { add(file) }
                }
            }
        }
        return files.sorted { $0.reportPath < $1.reportPath }
    }

    /// Whether `file` is scanned: a regular file, or a symlink to one inside the root (one
    /// pointing outside is counted in ``symlinksOutside``).
    private mutating func accepts(_ file: String, type: EntryType, rootReal: String) -> Bool {
        switch type {
        case .regular: return true
        case .directory, .missing: return false
        case .special:
            specialFiles += 1
            return false
        case .symlink:
            guard let real = Self.realPath(file) else {
                brokenSymlinks += 1
                return false
            }
            guard real == rootReal || real.hasPrefix(rootReal + "/") else {
                symlinksOutside += 1
                return false
            }
            switch Self.type(of: real) {
            case .regular: return true
            case .special:
                specialFiles += 1
                return false
            default: return false
            }
        }
    }

    /// Every entry below `directory` but directories, depth first; symlinked directories are
    /// reported as symlinks, never descended into.
    private static func walk(_ directory: String, _ visit: (String, EntryType) -> Void) {
        var stack = [directory]
        while let dir = stack.popLast() {
            guard let handle = opendir(dir) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                // A name that is not UTF-8 cannot be spelled as a path again: skipped, as
                // FileManager did.
                let decoded = withUnsafePointer(to: &entry.pointee.d_name) {
                    String(validatingCString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
                }
                guard let name = decoded, name != ".", name != ".." else { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                let type: EntryType
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_REG): type = .regular
                case Int32(DT_DIR): type = .directory
                case Int32(DT_LNK): type = .symlink
                case Int32(DT_FIFO), Int32(DT_SOCK), Int32(DT_CHR), Int32(DT_BLK): type = .special
                default: type = Self.type(of: path)  // DT_UNKNOWN on some file systems
                }
                if type == .directory {
                    if !Self.skippedDirectories.contains(name) { stack.append(path) }
                } else {
                    visit(path, type)
                }
            }
        }
    }

    /// What `path` is, without following a symlink.
    private static func type(of path: String) -> EntryType {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .special
        }
    }

    /// `git ls-files -co --exclude-standard -z` inside `directory`, or nil outside a work tree.
    static func gitFiles(in directory: String) -> [String]? {
        guard isInGitWorkTree(directory) else { return nil }
        guard let output = Git.run(["-C", directory, "ls-files", "-co", "--exclude-standard", "-z"]) else { return nil }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return output.split(separator: 0).map { base + String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `directory` or a parent holds a `.git` entry (a directory, or a file in a
    /// worktree or submodule): starting git costs more than the walk of a small tree. The
    /// parents are those of the real path, as git sees them through a symlinked directory.
    /// `GIT_DIR` set in the environment leaves the question to git.
    static func isInGitWorkTree(_ directory: String) -> Bool {
        if ProcessInfo.processInfo.environment["GIT_DIR"] != nil { return true }
        var dir = realPath(directory) ?? directory
        while true {
            var info = stat()
            if lstat(dir + (dir.hasSuffix("/") ? "" : "/") + ".git", &info) == 0 { return true }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { return false }
            dir = parent
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func absolute(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// `path` relative to `root` with `/` separators, or `path` itself when outside it.
    static func relative(_ path: String, to root: String) -> String {
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        let rootPath = URL(fileURLWithPath: root).standardizedFileURL.path
        if standardized == rootPath { return URL(fileURLWithPath: path).lastPathComponent }
        let prefix = rootPath.hasSuffix("/") ? rootPath : rootPath + "/"
        return standardized.hasPrefix(prefix) ? String(standardized.dropFirst(prefix.count)) : standardized
    }
}

/// Runs git and returns its standard output, or nil when git fails or is missing.
enum Git {
    static func run(_ arguments: [String], input: Data? = nil) -> [UInt8]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            do { try process.run() } catch { return nil }
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
        }
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? [UInt8](data) : nil
    }
}
