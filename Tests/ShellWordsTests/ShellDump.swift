import Spans
import ShellWords

/// Readable dumps for golden files: every span is shown as `line:col` plus the source text it covers,
/// so a wrong span shows up as wrong text.
struct ShellDump {
    let file: SourceFile

    func at(_ span: ByteSpan) -> String {
        let l = file.location(of: span.start)
        let text = file.text(span).replacingNewlines()
        return "\(l.line):\(l.column)⟨\(text)⟩"
    }

    func word(_ w: ShellWord) -> String { word(w, content: false) }

    func word(_ w: ShellWord, content: Bool) -> String {
        var s = "\(quote(w.value)) \(at(content ? w.contentSpan : w.span))"
        if !w.isLiteral {
            let refs = w.parts.filter { !$0.isLiteral }.map { part -> String in
                switch part.kind {
                case .variable(let n): return "var \(n)"
                case .makeVariable(let n): return "make \(n)"
                case .commandSubstitution: return "cmdsub"
                case .arithmetic: return "arith"
                case .tilde: return "tilde"
                default: return "?"
                }
            }
            s += " refs[\(refs.joined(separator: ", "))]"
        }
        if w.hasUnquotedPattern { s += " pattern" }
        return s
    }

    func quote(_ s: String) -> String {
        "\"" + s.replacingNewlines().replacingQuotes() + "\""
    }

    func assignment(_ a: EnvAssignmentSyntax) -> String {
        var s = "\(a.context.rawValue) \(a.name) name=\(at(a.nameSpan))"
        if let v = a.value { s += " value=\(word(v, content: true))" } else { s += " (no value)" }
        if a.isMalformed { s += " MALFORMED" }
        if !a.nameIsLiteral { s += " dynamic-name" }
        if a.inDocumentation { s += " doc" }
        return s
    }

    func option(_ o: CommandOption) -> String {
        var s = "\(o.name) as \(o.written) \(at(o.flagSpan))"
        if let v = o.value { s += " = \(word(v))" }
        return s
    }

    func agent(_ a: AgentCommand) -> [String] {
        var out = [
            "agent \(a.agentType?.rawValue ?? "-") \(a.subcommand.rawValue)\(a.isDeprecatedForm ? " deprecated" : "")\(a.isSupported ? "" : " UNSUPPORTED")\(a.inDocumentation ? " doc" : "") \(file.location(of: a.span.start))"
        ]
        for e in a.env { out.append("  env \(assignment(e))") }
        for l in a.labels { out.append("  label \(word(l))") }
        if let k = a.key { out.append("  key \(option(k))\(a.keyIsGlued ? " GLUED" : "")") }
        if let k = a.api { out.append("  api \(option(k))") }
        if let k = a.backend { out.append("  backend \(option(k))") }
        if let k = a.name { out.append("  name \(option(k))") }
        for o in a.options where !["--env", "--label", "--key", "--api", "--backend", "--name"].contains(o.name) {
            out.append("  option \(option(o))")
        }
        for o in a.unknownOptions { out.append("  unknown \(option(o))") }
        for p in a.positionals { out.append("  positional \(word(p))") }
        if let d = a.refusal { out.append("  refused \(file.location(of: d.span.start)) \(d.message)") }
        return out
    }

    func recognized(_ r: RecognizedCommand) -> [String] {
        switch r {
        case .agent(let a): return agent(a)
        case .backend(let b): return ["backend \(b.backend ?? "INVALID") \(b.value.map(word) ?? "(none)")"]
        case .authLogin(let a): return ["auth login key=\(a.key.map(option) ?? "(none)")"]
        case .register(let r): return ["register \(r.arguments.count) args \(file.location(of: r.span.start))"]
        case .export(let e): return ["export \(e.assignments.count) assignment(s)"]
        case .env(let e): return ["env \(e.assignments.count) assignment(s) inner=\(e.innerCommand.map { $0.words.first.map(word) ?? "-" } ?? "none")"]
        case .pythonSnippet(let p): return ["python -c \(quote(p.text)) \(at(p.span)) literal=\(p.isLiteral)"]
        case .dockerRun(let d): return ["docker run image=\(d.image.map(word) ?? "none") env=\(d.env.count) envFiles=\(d.envFiles.count)"]
        case .dockerBuild(let b):
            return ["docker build tags=\(b.tags.map(\.value)) file=\(b.file?.value ?? "none") target=\(b.target?.value ?? "none") context=\(b.context?.value ?? "none")"]
        case .kubectlCreate(let k):
            return [
                "kubectl create \(k.kind) \(k.name.value) envFiles=\(k.envFiles.map(\.value)) literals=\(k.literals.map { "\($0.name)=\($0.value?.value ?? "-")" }) files=\(k.files.map(\.value)) hash=\(k.appendsHash)"
            ]
        }
    }

    func command(_ c: ShellSimpleCommand) -> [String] {
        var out: [String] = []
        for a in c.assignments { out.append("  assign \(a.name)\(a.isAppend ? "+" : "")= \(word(a.value))") }
        for w in c.words { out.append("  word \(word(w))") }
        for r in c.redirections { out.append("  redirect \(r.op) \(r.target.map(word) ?? "-")") }
        out.append("  end \(c.terminator.rawValue)")
        return out
    }

    func script(_ s: ShellScript) -> String {
        var out: [String] = []
        for (n, c) in s.commands.enumerated() {
            out.append("command \(n) \(at(c.span))")
            out += command(c)
        }
        for h in s.heredocs { out.append("heredoc \(h.delimiter) quoted=\(h.isQuoted) strip=\(h.stripsTabs) body=\(at(h.bodySpan))") }
        for c in s.comments { out.append("comment \(at(c))") }
        for d in s.diagnostics { out.append("diagnostic \(file.location(of: d.span.start)) \(d.fullMessage)") }
        return out.joined(separator: "\n") + "\n"
    }

    func facts(_ f: ShellFileFacts) -> String {
        var out = ["kind \(f.kind.rawValue)\(f.isDocumentation ? " (documentation)" : "")"]
        out.append("== commands")
        for site in f.commands {
            out.append("[\(site.origin.rawValue)] \(at(site.command.span))")
            out += site.command.words.map { "  word \(word($0))" }
            out += site.command.assignments.map { "  assign \($0.name)= \(word($0.value))" }
        }
        out.append("== recognized")
        for r in f.recognized { out += recognized(r) }
        out.append("== assignments")
        for a in f.assignments { out.append(assignment(a)) }
        if !f.referencedFiles.isEmpty {
            out.append("== files")
            for r in f.referencedFiles { out.append("file \(word(r.path))\(r.isOptional ? " optional" : "")") }
        }
        if !f.sourcedFiles.isEmpty {
            out.append("== sourced")
            for r in f.sourcedFiles {
                out.append("source \(word(r.path)) \(at(r.span))\(r.allExport ? " allexport" : "")\(r.scope.map { " only in \(at($0))" } ?? "")")
            }
        }
        if !f.diagnostics.isEmpty {
            out.append("== diagnostics")
            for d in f.diagnostics { out.append("\(file.location(of: d.span.start)) \(d.fullMessage)") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    func replacingNewlines() -> String {
        var s = ""
        for ch in self.unicodeScalars {
            switch ch {
            case "\n": s += "\\n"
            case "\r": s += "\\r"
            case "\t": s += "\\t"
            default: s.unicodeScalars.append(ch)
            }
        }
        return s
    }

    func replacingQuotes() -> String {
        var s = ""
        for ch in self.unicodeScalars {
            if ch == "\"" { s += "\\\"" } else { s.unicodeScalars.append(ch) }
        }
        return s
    }
}
