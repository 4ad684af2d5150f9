import Spans

/// `.env` files as python-dotenv reads them: `[export] KEY=value`, quotes, comments, `${VAR}`.
enum DotenvReader {
    static func read(_ builder: inout FactsBuilder) {
        let b = builder.bytes
        let n = b.count
        let map = ShellOffsetMap.base(0)
        var k = 0
        while k < n {
            // Start of a line.
            k = skipBlanks(b, k, n)
            guard k < n else { break }
            if b[k] == 0x0A || b[k] == 0x0D || b[k] == 0x23 {
                while k < n && b[k] != 0x0A { k += 1 }
                k += 1
                continue
            }
            let exported = b[k...].starts(with: Array("export".utf8)) && k + 6 < n && isBlank(b[k + 6])
            if exported { k = skipBlanks(b, k + 6, n) }
            let ns = k
            // `KEY: value` is Compose's (godotenv's) other separator: the value is never part of the name.
            while k < n && b[k] != 0x3D && b[k] != 0x3A && b[k] != 0x0A && b[k] != 0x0D && !isBlank(b[k]) && b[k] != 0x23 { k += 1 }
            let ne = k
            let name = String(decoding: b[ns..<ne], as: UTF8.self)
            k = skipBlanks(b, k, n)
            guard k < n, b[k] == 0x3D || b[k] == 0x3A else {
                // `KEY` alone: python-dotenv gives None.
                if ne > ns {
                    builder.addAssignment(
                        EnvAssignmentSyntax(name: name, nameSpan: ByteSpan(ns, ne), value: nil, span: ByteSpan(ns, ne), context: .dotenv), exported: exported)
                } else {
                    builder.diagnose(ByteSpan(ns, min(n, ns + 1)), "expected `KEY=value`")
                }
                while k < n && b[k] != 0x0A { k += 1 }
                k += 1
                continue
            }
            k = skipBlanks(b, k + 1, n)
            let vs = k
            var w = WordBuilder()
            if k < n && (b[k] == 0x22 || b[k] == 0x27) {
                let q = b[k]
                let quoting: ShellWordPart.Quoting = q == 0x22 ? .double : .single
                k += 1
                var closed = false
                while k < n {
                    let c = b[k]
                    if c == q { closed = true; k += 1; break }
                    if c == 0x5C && k + 1 < n {
                        let e = b[k + 1]
                        var text: String? = nil
                        if q == 0x27 {
                            if e == 0x27 || e == 0x5C { text = String(UnicodeScalar(e)) }
                        } else {
                            switch e {
                            case 0x6E: text = "\n"
                            case 0x74: text = "\t"
                            case 0x72: text = "\r"
                            case 0x22, 0x5C, 0x27, 0x24: text = String(UnicodeScalar(e))
                            default: text = nil
                            }
                        }
                        if let text {
                            w.add(ShellWordPart(kind: .escaped, quoting: quoting, span: ByteSpan(k, k + 2), text: text))
                            k += 2
                            continue
                        }
                    }
                    if q == 0x22 && c == 0x24 && k + 1 < n && b[k + 1] == 0x7B, let end = closingBrace(b, k + 2, n) {
                        w.add(reference(b, k, end, quoting))
                        k = end
                        continue
                    }
                    w.raw(c, at: k, quoting: quoting)
                    k += 1
                }
                if !closed { builder.diagnose(ByteSpan(vs, n), "unterminated quoted value") }
                if w.parts.isEmpty && !w.hasPending {
                    w.add(ShellWordPart(kind: .literal, quoting: quoting, span: .empty(at: vs + 1), text: ""))
                }
                // `"abc"def`: a shell that sources the file joins the text after the quotes to the
                // value (python-dotenv refuses the line), so it is part of the value.
                let tail = k
                while k < n, b[k] != 0x0A, b[k] != 0x0D, !isBlank(b[k]), b[k] != 0x23 {
                    w.raw(b[k], at: k, quoting: .none)
                    k += 1
                }
                if k > tail { builder.diagnose(ByteSpan(tail, tail + 1), "unexpected text after the quoted value") }
                let value = w.finish(span: ByteSpan(vs, k))
                builder.addAssignment(
                    EnvAssignmentSyntax(name: name, nameSpan: ByteSpan(ns, ne), value: value, span: ByteSpan(ns, k), context: .dotenv), exported: exported)
                // Rest of line: blanks and an optional comment.
                let rest = skipBlanks(b, k, n)
                if k == tail, rest < n && b[rest] != 0x0A && b[rest] != 0x0D && b[rest] != 0x23 {
                    builder.diagnose(ByteSpan(rest, rest + 1), "unexpected text after the quoted value")
                }
                while k < n && b[k] != 0x0A { k += 1 }
                k += 1
                continue
            }
            // Unquoted: to end of line or a ` #` comment; trailing blanks dropped.
            var e = k
            while e < n && b[e] != 0x0A {
                if b[e] == 0x23 && e > vs && isBlank(b[e - 1]) { break }
                e += 1
            }
            let lineEnd = e
            e = trimEnd(b, vs, e)
            var j = vs
            while j < e {
                if b[j] == 0x24 && j + 1 < e && b[j + 1] == 0x7B, let end = closingBrace(b, j + 2, e) {
                    w.add(reference(b, j, end, .none))
                    j = end
                    continue
                }
                w.raw(b[j], at: map.outer(j), quoting: .none)
                j += 1
            }
            let value = vs == e ? ShellWord.empty(at: vs) : w.finish(span: ByteSpan(vs, e))
            builder.addAssignment(
                EnvAssignmentSyntax(name: name, nameSpan: ByteSpan(ns, ne), value: value, span: ByteSpan(ns, max(ne, e)), context: .dotenv), exported: exported)
            k = lineEnd
            while k < n && b[k] != 0x0A { k += 1 }
            k += 1
        }
    }

    static func closingBrace(_ b: [UInt8], _ from: Int, _ end: Int) -> Int? {
        var k = from
        while k < end {
            if b[k] == 0x7D { return k + 1 }
            if b[k] == 0x0A { return nil }
            k += 1
        }
        return nil
    }

    static func reference(_ b: [UInt8], _ s: Int, _ e: Int, _ quoting: ShellWordPart.Quoting) -> ShellWordPart {
        var ne = s + 2
        while ne < e - 1 && isNameChar(b[ne]) { ne += 1 }
        return ShellWordPart(
            kind: .variable(String(decoding: b[(s + 2)..<ne], as: UTF8.self)), quoting: quoting, span: ByteSpan(s, e),
            text: String(decoding: b[s..<e], as: UTF8.self))
    }
}

/// A dotenv file as `docker run --env-file` reads it, where that differs from python-dotenv:
/// Docker refuses the whole file, and so does not start the container, on a line whose name
/// has a blank (`export NAME=value`, `NAME = value`, `NAME ` alone) or that has no name
/// before `=`.
public enum DockerEnvFile {
    /// The first line Docker refuses (1-based) and why, in words that show no value.
    public static func refusal(in bytes: [UInt8]) -> (line: Int, reason: String)? {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while start < bytes.count {
            let lineEnd = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            defer {
                start = lineEnd + 1
                line += 1
            }
            let end = lineEnd > start && bytes[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
            // Leading white space (Go's unicode.IsSpace, ASCII part) goes; `#` starts a comment.
            guard let first = bytes[start..<end].firstIndex(where: { !($0 == 0x20 || (0x09...0x0D).contains($0)) }), bytes[first] != 0x23 else { continue }
            let name = bytes[first..<(bytes[first..<end].firstIndex(of: 0x3D) ?? end)]
            if name.isEmpty { return (line, "a line with no name before `=`") }
            guard let blank = name.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) else { continue }
            let isExport = name[..<blank].elementsEqual("export".utf8)
            return (line, isExport ? "`export` before a name, which Docker takes for part of it" : "a name with a blank in it")
        }
        return nil
    }
}
