import Spans

extension PythonModule {
    /// A stable, readable dump of everything the shallow parser found, for golden tests and debugging.
    ///
    /// Positions are `line:column-line:column` (1-based, columns in characters, end exclusive).
    /// String values are shown escaped; fixtures must hold fake values only.
    public func debugDump(file: SourceFile) -> String {
        var dumper = PythonDumper(module: self, file: file)
        return dumper.dump()
    }
}

private struct PythonDumper {
    let module: PythonModule
    let file: SourceFile
    var out = ""

    mutating func dump() -> String {
        for entry in module.imports {
            var line = "import \(at(entry.span)) \(where_(entry.context)) "
            if let name = entry.name {
                line += "from \(String(repeating: ".", count: entry.level))\(entry.module) import \(name)"
            } else {
                line += entry.module
            }
            if let alias = entry.alias { line += " as \(alias)" }
            line += entry.boundName.isEmpty ? " (star)" : " => \(entry.boundName) = \(entry.target)"
            out += line + "\n"
        }
        for function in module.functions {
            out += "def \(function.isAsync ? "async " : "")\(function.name) \(at(function.span)) \(where_(function.context)) body \(at(function.bodySpan))\n"
            for decorator in function.decorators { out += "  decorator \(expr(decorator))\n" }
            for parameter in function.parameters {
                let star = parameter.kind == .varArgs ? "*" : (parameter.kind == .keywordArgs ? "**" : "")
                var line = "  param \(star)\(parameter.name) \(at(parameter.span))"
                if let annotation = parameter.annotation { line += " annotation \(expr(annotation))" }
                if let value = parameter.defaultValue { line += " default \(expr(value))" }
                out += line + "\n"
            }
        }
        for cls in module.classes {
            out += "class \(cls.name) \(at(cls.span)) \(where_(cls.context)) body \(at(cls.bodySpan))\n"
            for decorator in cls.decorators { out += "  decorator \(expr(decorator))\n" }
            for base in cls.bases { out += "  base \(argument(base))\n" }
        }
        for block in module.withBlocks {
            out += "with\(block.isAsync ? " async" : "") \(at(block.span)) \(where_(block.context)) body \(at(block.bodySpan))\n"
            for item in block.items {
                out += "  item \(expr(item.context))\(item.target.map { " as \(expr($0))" } ?? "")\n"
            }
        }
        for assignment in module.assignments {
            out += "assign \(assignment.op) \(at(assignment.span)) \(where_(assignment.context))\n"
            for target in assignment.targets { out += "  target \(expr(target))\n" }
            if let annotation = assignment.annotation { out += "  annotation \(expr(annotation))\n" }
            if let value = assignment.value { out += "  value \(expr(value))\n" }
        }
        for call in module.calls {
            var line = "call \(at(call.span)) \(where_(call.context)) callee \(expr(call.callee))"
            if let receiver = call.receiverCall, let method = call.methodName {
                line += " chain \(receiver.resolvedName ?? receiver.calleeName ?? "?")().\(method)"
            }
            out += line + "\n"
            for arg in call.arguments { out += "  arg \(argument(arg))\n" }
        }
        for dict in module.dicts {
            out += "dict \(at(dict.span)) \(where_(dict.context))\n"
            for entry in dict.entries {
                out += "  entry \(entry.key.map(expr) ?? "**") : \(expr(entry.value))\n"
            }
        }
        for error in module.errors {
            out += "error \(at(error.span)) \(error.message)\n"
        }
        return out
    }

    func at(_ span: ByteSpan) -> String {
        let (start, end) = file.range(of: span)
        return "\(start.line):\(start.column)-\(end.line):\(end.column)"
    }

    func where_(_ context: PythonContext) -> String {
        var parts: [String] = []
        if let f = context.function, f < module.functions.count {
            parts.append("in def \(module.functions[f].name)")
        } else {
            parts.append("module")
        }
        if let c = context.classIndex, c < module.classes.count { parts.append("class \(module.classes[c].name)") }
        if let w = context.withBlock { parts.append("with#\(w)") }
        return "[" + parts.joined(separator: ", ") + "]"
    }

    func argument(_ arg: PythonArgument) -> String {
        switch arg.kind {
        case .positional: return expr(arg.value)
        case .keyword: return "\(arg.keyword ?? "?")= \(expr(arg.value))"
        case .star: return "*\(expr(arg.value))"
        case .doubleStar: return "**\(expr(arg.value))"
        }
    }

    func expr(_ e: PythonExpression) -> String {
        switch e {
        case .string(let s):
            var kind = s.isFString ? "fstring" : (s.isBytes ? "bytes" : "string")
            if s.parts.count > 1 { kind += "×\(s.parts.count)" }
            if let value = s.value {
                let shown = value.isBytes ? quotedBytes(value.bytes) : quoted(value.text)
                return "\(kind) \(shown)\(value.isExact ? "" : " (approx)") @\(at(s.span))"
            }
            return "\(kind) @\(at(s.span))"
        case .number(let span):
            return "number \(file.text(span)) @\(at(span))"
        case .name(let n):
            return "name \(n.text)\(n.resolved.map { " -> \($0)" } ?? "") @\(at(n.span))"
        case .call(let c):
            return "call \(c.resolvedName ?? c.calleeName ?? "(\(calleeShape(c.callee)))")(\(c.arguments.count) args) @\(at(c.span))"
        case .attribute(let base, let name, let span):
            return "attribute (\(expr(base))).\(name) @\(at(span))"
        case .subscript(_, let span):
            return "subscript @\(at(span))"
        case .dict(let d):
            return "dict(\(d.entries.count) entries) @\(at(d.span))"
        case .sequence(let s):
            let items = s.elements.map(expr).joined(separator: ", ")
            return "\(s.kind)[\(items)] @\(at(s.span))"
        case .sum(let operands, let span):
            return "sum(\(operands.map(expr).joined(separator: " + "))) @\(at(span))"
        case .other(let span):
            return "other @\(at(span))"
        }
    }

    func calleeShape(_ e: PythonExpression) -> String {
        if case .attribute(let base, let name, _) = e {
            if case .call(let inner) = base { return "\(inner.resolvedName ?? inner.calleeName ?? "?")().\(name)" }
            return "….\(name)"
        }
        return "expression"
    }

    func quotedBytes(_ bytes: [UInt8]) -> String {
        var out = "b\""
        for byte in bytes {
            if byte >= 0x20, byte < 0x7F, byte != 0x22, byte != 0x5C {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "\\x" + hex2(UInt32(byte))
            }
        }
        return out + "\""
    }

    func hex2(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }

    func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex2(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
