import ShellWords

/// What a file is, decided from its name and first bytes. Each kind has an analyzer that
/// turns its syntax into ``FileFacts``.
public enum FileKind: String, Sendable, CaseIterable, Codable {
    case python, toml, yaml, shell, makefile, dockerfile, systemd, procfile, dotenv, supervisord, markdown, json, text
    /// A Jenkins pipeline (`Jenkinsfile`, `Jenkinsfile.deploy`, `release.jenkinsfile`).
    case jenkinsfile
    /// A crontab (user or system, ``ShellWords/ShellFileKind/crontabKind(path:lower:ext:)``).
    case crontab

    /// Classifies a file by its path (relative, `/`-separated) and leading bytes.
    public static func classify(path: String, prefix: ArraySlice<UInt8>) -> FileKind {
        let (lower, ext) = nameAndExtension(path)
        if templateSuffixes.contains(ext), let base = renderedPath(path) {
            // What Ansible, envsubst or a Go template renders into a unit, a script, an env
            // file or a Dockerfile is that (its `{{ … }}` are references). A YAML, TOML or
            // Python template is left as text: its `{% … %}` and bare `{{ … }}` are none of those.
            let kind = classify(path: base, prefix: prefix)
            return [.shell, .systemd, .dotenv, .supervisord, .crontab, .dockerfile, .procfile, .makefile].contains(kind) ? kind : .text
        }
        switch ext {
        case "py", "pyw", "pyi": return .python
        case "toml": return .toml
        case "yaml", "yml": return .yaml
        case "sh", "bash", "zsh", "ksh", "dash": return .shell
        case "env": return .dotenv
        case "service", "socket", "timer", "target", "mount", "path": return .systemd
        case "md", "markdown": return .markdown
        case "json": return .json
        case "mk", "mak": return .makefile
        default: break
        }
        // A justfile is read as a Makefile's kind: recipes of commands, exported variables.
        if lower == "makefile" || lower == "gnumakefile" || lower == "justfile" || lower == ".justfile" || ext == "just" { return .makefile }
        if lower == "dockerfile" || lower.hasPrefix("dockerfile.") || lower.hasSuffix(".dockerfile")
            || lower == "containerfile"
        {
            return .dockerfile
        }
        if lower == "procfile" || lower.hasPrefix("procfile.") { return .procfile }
        if lower == "jenkinsfile" || lower.hasPrefix("jenkinsfile.") || lower.hasSuffix(".jenkinsfile") { return .jenkinsfile }
        if ShellFileKind.crontabKind(path: path, lower: lower, ext: ext) != nil { return .crontab }
        if lower == ".env" || lower.hasPrefix(".env.") { return .dotenv }
        if lower == ".envrc" { return .shell }
        // Callers pass a few kilobytes (the Scanner, 4 KiB) for the `[program:` search; the
        // usual names count alone.
        if ShellFileKind.isSupervisordName(lower, ext: ext) { return .supervisord }
        if ext == "conf" || ext == "ini", prefix.firstRange(of: Array("[program:".utf8)) != nil {
            return .supervisord
        }
        if prefix.starts(with: Array("#!".utf8)) {
            let firstLine = prefix.prefix { $0 != 0x0A }
            let shebang = String(decoding: firstLine, as: UTF8.self)
            if shebang.contains("python") { return .python }
            if ["sh", "bash", "zsh", "dash", "ksh"].contains(where: {
                shebang.hasSuffix("/\($0)") || shebang.contains("/\($0) ") || shebang.hasSuffix(" \($0)")
                    || shebang.contains(" \($0) ")
            }) {
                return .shell
            }
        }
        return .text
    }

    /// The extensions of template files, whose name without it says what they render into.
    static let templateSuffixes: Set<String> = ["j2", "jinja", "jinja2", "tmpl", "tpl", "template"]

    /// `path` without its template extension (`deploy/prefect-agent.service.j2` →
    /// `deploy/prefect-agent.service`); nil when it has none or nothing is left.
    public static func renderedPath(_ path: String) -> String? {
        let (_, ext) = nameAndExtension(path)
        guard templateSuffixes.contains(ext), let dot = path.lastIndex(of: "."), case let base = path[..<dot],
            let last = base.split(separator: "/").last, !last.isEmpty
        else { return nil }
        return String(base)
    }

    /// The file name lower-cased, and its extension: as `split(separator: "/").last` and the
    /// last part of `split(separator: ".")` when there are two or more (empty parts left out).
    /// Most paths are ASCII, whose characters are bytes: they take a byte path.
    static func nameAndExtension(_ path: String) -> (name: String, ext: String) {
        var path = path
        if let ascii = path.withUTF8({ asciiNameAndExtension($0) }) { return ascii }
        let name = lastPart(path[...], "/")
        let lower = (name.isEmpty ? path : String(name)).lowercased()
        let ext = lastPart(lower[...], ".")
        let hasExtension = ext.startIndex > lower.startIndex && lower[..<ext.startIndex].contains { $0 != "." }
        return (lower, hasExtension ? String(ext) : "")
    }

    private static func asciiNameAndExtension(_ bytes: UnsafeBufferPointer<UInt8>) -> (name: String, ext: String)? {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x2F { end -= 1 }
        var start = end
        while start > 0, bytes[start - 1] != 0x2F { start -= 1 }
        let name = start == end ? bytes[...] : bytes[start..<end]
        let lower = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        var extEnd = lower.count
        while extEnd > 0, lower[extEnd - 1] == 0x2E { extEnd -= 1 }
        var extStart = extEnd
        while extStart > 0, lower[extStart - 1] != 0x2E { extStart -= 1 }
        let hasExtension = extStart > 0 && lower[..<(extStart - 1)].contains { $0 != 0x2E }
        return (String(decoding: lower, as: UTF8.self), hasExtension ? String(decoding: lower[extStart..<extEnd], as: UTF8.self) : "")
    }

    /// `s.split(separator: separator).last` without the array: the part after the last
    /// separator once trailing separators are dropped.
    private static func lastPart(_ s: Substring, _ separator: Character) -> Substring {
        let end = s.lastIndex { $0 != separator }.map { s.index(after: $0) } ?? s.startIndex
        let trimmed = s[..<end]
        return trimmed.lastIndex(of: separator).map { trimmed[trimmed.index(after: $0)...] } ?? trimmed
    }
}
