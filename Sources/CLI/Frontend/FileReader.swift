import Foundation
import Report

/// Reads a file's bytes for scanning, deciding on the way whether it must be skipped.
enum FileReader {
    enum Outcome {
        case content([UInt8])
        case skipped(SkipReason, bytes: Int, detail: String?)
    }

    /// Reads `path` unless it is larger than `sizeLimit` or binary (NUL in the first 8 KiB).
    static func read(_ path: String, sizeLimit: Int) -> Outcome {
        // Opened first and measured through the descriptor: one path lookup instead of two,
        // which is most of a small file's cost. Non-blocking, so that a file replaced by a
        // FIFO since discovery cannot hang the open.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let error = errno
            if error == ENOENT { return .skipped(.vanished, bytes: 0, detail: "disappeared before it could be read") }
            var info = stat()
            let size = stat(path, &info) == 0 ? Int(info.st_size) : 0
            return .skipped(.unreadable, bytes: size, detail: String(cString: strerror(error)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .skipped(.unreadable, bytes: 0, detail: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFIFO, S_IFSOCK, S_IFCHR, S_IFBLK: return .skipped(.specialFile, bytes: 0, detail: nil)
        default: break
        }
        let size = Int(info.st_size)
        if size > sizeLimit { return .skipped(.tooLarge, bytes: size, detail: nil) }
        var bytes = [UInt8](repeating: 0, count: size)
        var total = 0
        while total < size {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(fd, buffer.baseAddress! + total, size - total)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .skipped(.unreadable, bytes: size, detail: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            total += n
        }
        if total < size { bytes.removeSubrange(total...) }
        return classify(bytes, sizeLimit: sizeLimit)
    }

    static func classify(_ bytes: [UInt8], sizeLimit: Int) -> Outcome {
        if bytes.count > sizeLimit { return .skipped(.tooLarge, bytes: bytes.count, detail: nil) }
        let isBinary = bytes.withUnsafeBytes { buffer in
            buffer.baseAddress.map { memchr($0, 0, min(buffer.count, 8192)) != nil } ?? false
        }
        if isBinary { return .skipped(.binary, bytes: bytes.count, detail: nil) }
        return .content(bytes)
    }
}
