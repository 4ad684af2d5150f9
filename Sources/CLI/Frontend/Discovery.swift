import Foundation

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

/// Finds the files to scan. In a git work tree it asks git (so .gitignore is honoured);
/// elsewhere it walks the tree, skipping tool folders. It never follows a symlink out of the
/// root and never descends into a symlinked directory, so it cannot loop.
struct Discovery {
    static let skippedDirectories: Set<String> = [".git", ".build", "node_modules", ".venv", "__pycache__", ".hg", ".svn", ".tox", ".mypy_cache"]

    var root: String
    /// Files skipped because they are symlinks pointing outside the root.
    private(set) var symlinksOutside = 0

    init(root: String) { self.root = root }

    /// The files under `paths`, deduplicated, in path order.
    mutating func discover(_ paths: [String]) throws -> [DiscoveredFile] {
        var seen = Set<String>()
        var files: [DiscoveredFile] = []
        let rootReal = Self.realPath(root) ?? root
        for path in paths {
            let absolute = Self.absolute(path, base: FileManager.default.currentDirectoryPath)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
                throw UsageError.message("\(path): no such file or directory")
            }
            let found: [String]
            if isDirectory.boolValue {
                found = Self.gitFiles(in: absolute) ?? walk(absolute)
            } else {
                found = [absolute]
            }
            for file in found {
                guard let real = Self.realPath(file) else { continue }
                if Self.isSymlink(file), !(real == rootReal || real.hasPrefix(rootReal + "/")) {
                    symlinksOutside += 1
                    continue
                }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: real, isDirectory: &isDir), !isDir.boolValue else { continue }
                let report = Self.relative(file, to: root)
                if seen.insert(report).inserted {
                    files.append(DiscoveredFile(reportPath: report, absolutePath: file))
                }
            }
        }
        return files.sorted { $0.reportPath < $1.reportPath }
    }

    private mutating func walk(_ directory: String) -> [String] {
        var out: [String] = []
        var stack = [directory]
        let fm = FileManager.default
        while let dir = stack.popLast() {
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                let path = dir + "/" + name
                if Self.isSymlink(path) {
                    out.append(path)  // checked against the root by the caller; never descended into
                    continue
                }
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: path, isDirectory: &isDir) else { continue }
                if isDir.boolValue {
                    if !Self.skippedDirectories.contains(name) { stack.append(path) }
                } else {
                    out.append(path)
                }
            }
        }
        return out
    }

    /// `git ls-files -co --exclude-standard -z` inside `directory`, or nil outside a work tree.
    static func gitFiles(in directory: String) -> [String]? {
        guard let output = Git.run(["-C", directory, "ls-files", "-co", "--exclude-standard", "-z"]) else { return nil }
        return output.split(separator: 0).map { directory + "/" + String(decoding: $0, as: UTF8.self) }
    }

    static func isSymlink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink
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
