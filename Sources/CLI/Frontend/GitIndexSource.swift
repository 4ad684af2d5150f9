import Dispatch
import Foundation
import Report

/// `--staged`: the staged files' content as it is in the git index, so that a partially
/// staged file is judged by what will be committed, not by the work tree.
///
/// The staged files come from one `git diff --cached --raw`, which also names each file's
/// index blob; every blob is then read through ONE `git cat-file --batch` process (a
/// process per file would dominate a pre-commit hook's time). Blobs are read up front,
/// streaming, so only the blobs within the size limit are kept in memory.
struct GitIndexSource: ContentSource {
    /// What reading each staged file gave, by report path.
    let contents: [String: FileReader.Outcome]

    func read(_ file: DiscoveredFile, sizeLimit: Int) -> FileReader.Outcome {
        contents[file.reportPath] ?? .skipped(.vanished, bytes: 0, detail: "no longer in the git index")
    }

    /// A staged file: its path relative to the root and its blob in the index.
    struct StagedFile: Sendable, Hashable {
        var path: String
        var blob: String
    }

    /// The staged files under `paths` (relative to `root`, in path order) and their contents.
    static func load(root: String, paths: [String], sizeLimit: Int) throws -> (files: [DiscoveredFile], source: GitIndexSource) {
        let staged = try stagedFiles(root: root).filter { isSelected($0.path, by: paths, root: root) }
        let contents = try readBlobs(staged, root: root, sizeLimit: sizeLimit)
        let files = staged.map { DiscoveredFile(reportPath: $0.path, absolutePath: root + "/" + $0.path) }
        return (files, GitIndexSource(contents: contents))
    }

    /// Added, copied and modified regular files in the index, relative to `root` (deleted
    /// files have nothing to scan; symlinks and submodules are not file content).
    static func stagedFiles(root: String) throws -> [StagedFile] {
        guard
            let output = Git.run([
                "-C", root, "diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-ext-diff",
                "--diff-filter=ACMR", "--relative",
            ])
        else {
            throw UsageError.message("--staged needs a git repository: `git diff --cached` failed in \(root)")
        }
        // Records: ":<old mode> <new mode> <old blob> <new blob> <status>" NUL "<path>" NUL.
        let fields = output.split(separator: 0, omittingEmptySubsequences: false)
        var files: [StagedFile] = []
        var i = 0
        while i + 1 < fields.count {
            let meta = String(decoding: fields[i], as: UTF8.self).split(separator: " ")
            let path = String(decoding: fields[i + 1], as: UTF8.self)
            i += 2
            guard meta.count >= 5, meta[1] == "100644" || meta[1] == "100755" else { continue }
            files.append(StagedFile(path: path, blob: String(meta[3])))
        }
        return files.sorted { $0.path < $1.path }
    }

    /// True when `path` (relative to `root`) is one of the `paths` arguments or under one.
    static func isSelected(_ path: String, by paths: [String], root: String) -> Bool {
        let cwd = FileManager.default.currentDirectoryPath
        return paths.contains { argument in
            let absolute = Discovery.absolute(argument, base: cwd)
            if absolute == URL(fileURLWithPath: root).standardizedFileURL.path { return true }
            let relative = Discovery.relative(absolute, to: root)
            return path == relative || path.hasPrefix(relative + "/")
        }
    }

    /// Reads `files`' blobs through one `git cat-file --batch`.
    static func readBlobs(_ files: [StagedFile], root: String, sizeLimit: Int) throws -> [String: FileReader.Outcome] {
        guard !files.isEmpty else { return [:] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root, "cat-file", "--batch"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let failed = UsageError.message("--staged: cannot read the git index with `git cat-file --batch` in \(root)")
        do { try process.run() } catch { throw failed }
        // Feed the ids from another thread: git answers while we write, and a full output pipe
        // would otherwise block both sides.
        let request = Data(files.map { $0.blob + "\n" }.joined().utf8)
        let writer = input.fileHandleForWriting
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.write(contentsOf: request)
            try? writer.close()
            done.signal()
        }
        var reader = PipeReader(output.fileHandleForReading)
        var contents: [String: FileReader.Outcome] = [:]
        for file in files {
            guard let header = reader.line() else { break }
            let parts = String(decoding: header, as: UTF8.self).split(separator: " ")
            guard parts.count == 3, parts[1] == "blob", let size = Int(parts[2]) else {
                contents[file.path] = .skipped(.unreadable, bytes: 0, detail: "not readable from the git index")
                continue
            }
            let keep = size <= sizeLimit
            guard let bytes = reader.bytes(size, keep: keep), reader.bytes(1, keep: false) != nil else { break }
            contents[file.path] = keep ? FileReader.classify(bytes, sizeLimit: sizeLimit) : .skipped(.tooLarge, bytes: size, detail: nil)
        }
        done.wait()
        process.waitUntilExit()
        guard contents.count == files.count else { throw failed }
        return contents
    }

    /// Buffered reads of lines and counted bytes from a pipe.
    struct PipeReader {
        let handle: FileHandle
        var buffer: [UInt8] = []
        var position = 0

        init(_ handle: FileHandle) { self.handle = handle }

        private mutating func fill() -> Bool {
            guard let data = try? handle.read(upToCount: 1 << 16), !data.isEmpty else { return false }
            if position > 0 {
                buffer.removeFirst(position)
                position = 0
            }
            buffer.append(contentsOf: data)
            return true
        }

        /// The next line without its `\n`, or nil at the end of the stream.
        mutating func line() -> [UInt8]? {
            var searched = position
            while true {
                if let newline = buffer[searched...].firstIndex(of: 0x0A) {
                    let line = Array(buffer[position..<newline])
                    position = newline + 1
                    return line
                }
                searched = buffer.count
                let consumed = position
                guard fill() else { return nil }
                searched -= consumed
            }
        }

        /// The next `count` bytes (or an empty array when `keep` is false), nil if the stream ends first.
        mutating func bytes(_ count: Int, keep: Bool) -> [UInt8]? {
            var out: [UInt8] = []
            if keep { out.reserveCapacity(count) }
            var remaining = count
            while remaining > 0 {
                if position == buffer.count {
                    guard fill() else { return nil }
                }
                let take = min(remaining, buffer.count - position)
                if keep { out.append(contentsOf: buffer[position..<(position + take)]) }
                position += take
                remaining -= take
            }
            return out
        }
    }
}

/// `--since REV`: the files changed since a revision, for limiting pattern rules.
enum GitChanges {
    /// Files that differ between `revision` and the work tree (staged or not), plus untracked
    /// files, as paths relative to `root`.
    static func changedSince(_ revision: String, root: String) throws -> Set<String> {
        guard
            let resolved = Git.run(["-C", root, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"])
        else {
            guard Git.run(["-C", root, "rev-parse", "--git-dir"]) != nil else {
                throw UsageError.message("--since needs a git repository: \(root) is not in one")
            }
            throw UsageError.message("--since: '\(revision)' is not a commit of the git repository at \(root)")
        }
        let commit = String(decoding: resolved, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let changed = Git.run(["-C", root, "diff", "--name-only", "-z", "--no-renames", "--relative", commit, "--"]),
            let untracked = Git.run(["-C", root, "ls-files", "--others", "--exclude-standard", "-z"])
        else {
            throw UsageError.message("--since: `git diff` failed in \(root)")
        }
        var paths = Set<String>()
        for list in [changed, untracked] {
            for path in list.split(separator: 0) { paths.insert(String(decoding: path, as: UTF8.self)) }
        }
        return paths
    }
}
