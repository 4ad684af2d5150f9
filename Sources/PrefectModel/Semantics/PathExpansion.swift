/// The process environment and user database that `os.path.expandvars` / `expanduser` consult.
public struct PathExpansionContext: Sendable {
    /// `os.environ` (name → value).
    public var environment: [String: String]
    /// The current user's home from the password database, used by `~` when HOME is unset.
    public var passwordHome: String?
    /// Home directories by user name, for `~name`.
    public var userHomes: [String: String]

    /// Creates a context.
    public init(environment: [String: String], passwordHome: String? = nil, userHomes: [String: String] = [:]) {
        self.environment = environment
        self.passwordHome = passwordHome
        self.userHomes = userHomes
    }
}

/// Python 3.11's `posixpath.expandvars` and `posixpath.expanduser`.
public enum PathExpansion {
    static func isWordChar(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 48...57, 65...90, 97...122, 95: return true
        default: return false
        }
    }

    /// `os.path.expandvars`: `$name` (name = `[A-Za-z0-9_]+`) and `${name}` (name = anything but `}`)
    /// are replaced when the variable exists; unknown ones are left as they are. A replaced
    /// value is not searched again: the search goes on after the reference.
    public static func expandVars(_ path: String, in ctx: PathExpansionContext) -> String {
        // `$`, `{`, `}` and word characters are ASCII, so the search can run on UTF-8 bytes.
        path.utf8.withContiguousStorageIfAvailable { expandVars(in: $0, path: path, ctx) }
            ?? Array(path.utf8).withUnsafeBufferPointer { expandVars(in: $0, path: path, ctx) }
    }

    private static func expandVars(in s: UnsafeBufferPointer<UInt8>, path: String, _ ctx: PathExpansionContext) -> String {
        func isWordByte(_ c: UInt8) -> Bool { c < 0x80 && isWordChar(Unicode.Scalar(c)) }
        var out: [UInt8] = []
        var copied = 0
        var p = 0
        while p + 1 < s.count {
            guard s[p] == 0x24 else { p += 1; continue }
            let nameRange: Range<Int>
            let end: Int
            if isWordByte(s[p + 1]) {
                var e = p + 1
                while e < s.count, isWordByte(s[e]) { e += 1 }
                (nameRange, end) = ((p + 1)..<e, e)
            } else if s[p + 1] == 0x7B, let close = s[(p + 2)...].firstIndex(of: 0x7D) {
                (nameRange, end) = ((p + 2)..<close, close + 1)
            } else {
                p += 1
                continue
            }
            if let value = ctx.environment[String(decoding: UnsafeBufferPointer(rebasing: s[nameRange]), as: UTF8.self)] {
                out.append(contentsOf: s[copied..<p])
                out.append(contentsOf: value.utf8)
                copied = end
            }
            p = end
        }
        guard copied > 0 else { return path }
        out.append(contentsOf: s[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    /// `os.path.expanduser`: a leading `~` or `~name` up to the first `/`.
    public static func expandUser(_ path: String, in ctx: PathExpansionContext) -> String {
        guard path.utf8.first == 0x7E else { return path }
        let s = Array(path.unicodeScalars)
        let i = s[1...].firstIndex(of: "/") ?? s.count
        var home: String
        if i == 1 {
            if let h = ctx.environment["HOME"] { home = h }
            else if let h = ctx.passwordHome { home = h }
            else { return path }
        } else {
            var name = ""; name.unicodeScalars.append(contentsOf: s[1..<i])
            guard let h = ctx.userHomes[name] else { return path }
            home = h
        }
        var hs = Array(home.unicodeScalars)
        while hs.last == "/" { hs.removeLast() }
        var out = ""
        out.unicodeScalars.append(contentsOf: hs)
        out.unicodeScalars.append(contentsOf: s[i...])
        return out.isEmpty ? "/" : out
    }
}
