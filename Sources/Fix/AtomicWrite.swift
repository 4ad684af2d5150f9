import Foundation

/// Writes files so that a crash or a full disk never leaves a half-written file: the bytes go
/// to a temporary file beside the target, which is then renamed over it. The target's mode
/// is kept (new files get 0644 less the umask). A symbolic link is written through (its
/// target is replaced, the link stays); a FIFO, a terminal or another special file
/// (`/dev/stdout`) is written in place, as nothing can be renamed over it.
public enum AtomicWrite {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): cannot write: \(reason)" }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            guard info.st_mode & S_IFMT != S_IFDIR else { throw Failure(path: path, reason: "it is a directory") }
            return try writeInPlace(bytes, to: path)
        }
        let target = resolvingLinks(path)
        let slash = target.utf8.lastIndex(of: UInt8(ascii: "/"))
        let directory = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array(((directory.isEmpty ? "/" : directory) + "/.\(name).prefect-secrets-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            try writeAll(bytes, to: fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        let mode: mode_t
        if stat(target, &info) == 0 {
            mode = info.st_mode & 0o7777
        } else {
            let mask = umask(0)
            umask(mask)
            mode = 0o666 & ~mask
        }
        fchmod(fd, mode)
        guard fsync(fd) == 0, close(fd) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        guard rename(temporary, target) == 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        ok = true
    }

    /// The file `path` names once its symbolic links are followed (also a link to a file that
    /// does not exist yet), so that the rename replaces the file and keeps the link.
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        // A cycle of links gives up where it stands: the rename then fails or replaces it.
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else if let slash = current.utf8.lastIndex(of: UInt8(ascii: "/")) {
                current = String(current[...slash]) + link
            } else {
                current = link
            }
        }
        return current
    }

    private static func writeInPlace(_ bytes: [UInt8], to path: String) throws(Failure) {
        let fd = open(path, O_WRONLY | O_TRUNC)
        guard fd >= 0 else { throw Failure(path: path, reason: String(cString: strerror(errno))) }
        do {
            try writeAll(bytes, to: fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        close(fd)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                Foundation.write(fd, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(path: path, reason: String(cString: strerror(errno)))
            }
            written += n
        }
    }
}
