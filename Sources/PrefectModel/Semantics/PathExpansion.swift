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
    /// are replaced when the variable exists; unknown ones are left as they are.
    public static func expandVars(_ path: String, in ctx: PathExpansionContext) -> String {
        guard path.unicodeScalars.contains("$") else { return path }
        var s = Array(path.unicodeScalars)
        var i = 0
        while true {
            // search for \$(\w+|\{[^}]*\}) from i
            var found: (start: Int, end: Int, name: String)? = nil
            var p = i
            while p < s.count {
                if s[p] == "$", p + 1 < s.count {
                    if isWordChar(s[p + 1]) {
                        var e = p + 1
                        while e < s.count, isWordChar(s[e]) { e += 1 }
                        var n = ""; n.unicodeScalars.append(contentsOf: s[(p + 1)..<e])
                        found = (p, e, n); break
                    } else if s[p + 1] == "{", let close = s[(p + 2)...].firstIndex(of: "}") {
                        var n = ""; n.unicodeScalars.append(contentsOf: s[(p + 2)..<close])
                        found = (p, close + 1, n); break
                    }
                }
                p += 1
            }
            guard let m = found else { break }
            if let value = ctx.environment[m.name] {
                let tail = s[m.end...]
                s = Array(s[..<m.start]) + Array(value.unicodeScalars)
                i = s.count
                s += tail
            } else {
                i = m.end
            }
        }
        var out = ""
        out.unicodeScalars.append(contentsOf: s)
        return out
    }

    /// `os.path.expanduser`: a leading `~` or `~name` up to the first `/`.
    public static func expandUser(_ path: String, in ctx: PathExpansionContext) -> String {
        let s = Array(path.unicodeScalars)
        guard s.first == "~" else { return path }
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
