import PythonSource
import Spans

/// Secret names given to a helper as an argument: `def get_secret(name): return
/// Secret(name).get()` (a task or a plain function), then `get_secret("DB_DSN")` in the flow.
extension PythonFlowFactsBuilder {
    /// A read whose name is a parameter of the module-level function around it reads the names
    /// the module's calls of that function give the parameter (`get_secret("DB_DSN")`,
    /// `get_secret.run(name="DB_DSN")`), each at its call, and the parameter's default at
    /// each call that gives none. Returns the spans of the reads that every call names (at least
    /// one call, none with a name the tool cannot read): ``dropNamedParameterReads(_:)``
    /// takes those out once the module's definitions have them, so that modules importing the
    /// function still see an unnamed read.
    mutating func nameParameterReads() -> Set<ByteSpan> {
        var named: Set<ByteSpan> = []
        var added: [SecretReference] = []
        for reference in facts.secretReferences where reference.name == nil && reference.namePattern == nil {
            guard let (function, parameter) = parameterRead(at: reference.span) else { continue }
            let calls = calls(of: function)
            guard !calls.isEmpty else { continue }
            var everyCallNamed = true
            for call in calls {
                let argument = argument(parameter, in: call, of: function)
                switch argument {
                case .unknown:
                    everyCallNamed = false
                case .given(let expression):
                    let (name, span, _) = secretName(expression)
                    guard let name else {
                        everyCallNamed = false
                        continue
                    }
                    var read = reference
                    read.name = name
                    read.span = span
                    read.flowIndex = flowIndex(call.context, span: call.span) ?? reference.flowIndex
                    added.append(read)
                case .absent:
                    guard let value = function.parameters[parameter].defaultValue, let name = secretName(value).name else {
                        everyCallNamed = false
                        continue
                    }
                    // The default, at the call that leaves it out (whose flow reads it).
                    var read = reference
                    read.name = name
                    read.span = call.span
                    read.flowIndex = flowIndex(call.context, span: call.span) ?? reference.flowIndex
                    added.append(read)
                }
            }
            if everyCallNamed { named.insert(reference.span) }
        }
        facts.secretReferences += added
        return named
    }

    /// Takes out the reads ``nameParameterReads()`` named at every call.
    mutating func dropNamedParameterReads(_ spans: Set<ByteSpan>) {
        guard !spans.isEmpty else { return }
        facts.secretReferences.removeAll { $0.name == nil && spans.contains($0.span) }
    }

    /// The module-level function (not a method) whose parameter the name at `span` is, and
    /// that parameter's index, when the function's body does not bind the name again.
    private func parameterRead(at span: ByteSpan) -> (function: PythonFunction, parameter: Int)? {
        let tokens = tokens(in: span)
        guard tokens.count == 1, let token = tokens.first, token.kind == .name, token.span == span else { return nil }
        let name = text(span)
        guard let function = module.functions.last(where: { $0.bodySpan.contains(span) }),
            function.context.function == nil, function.context.classIndex == nil,
            let parameter = function.parameters.firstIndex(where: { $0.name == name && $0.kind == .normal }),
            !rebinds(name, in: function.bodySpan)
        else { return nil }
        return (function, parameter)
    }

    /// Whether the tokens of `body` bind `name` (`name = …`, `name += …`, `for name in`, `as
    /// name`, `global name`): then which name a read of it gets is not the argument's alone.
    /// Read on the tokens, which the statement prefilter does not skip.
    private func rebinds(_ name: String, in body: ByteSpan) -> Bool {
        let tokens = tokens(in: body)
        let word = Array(name.utf8)
        // Inside brackets `name=` is a keyword argument (`Secret(name=name)`).
        var depth = 0
        for k in tokens.indices {
            if tokens[k].kind == .op, let first = bytes[tokens[k].span.range].first {
                switch first {
                case 0x28, 0x5B, 0x7B: depth += 1  // ( [ {
                case 0x29, 0x5D, 0x7D: depth -= 1
                default: break
                }
            }
            guard tokens[k].kind == .name, bytes[tokens[k].span.range].elementsEqual(word) else { continue }
            if k + 1 < tokens.endIndex, tokens[k + 1].kind == .op, depth == 0 || bytes[tokens[k + 1].span.range].elementsEqual(":=".utf8) {
                let op = bytes[tokens[k + 1].span.range]
                // `=`, `+=`, `:=`, … but not `==`, `<=`, `>=`, `!=`.
                if op.last == 0x3D, op.count == 1 || !([0x3D, 0x3C, 0x3E, 0x21] as [UInt8]).contains(op[op.startIndex]) { return true }
                // `name, other = …`: a target list (or a tuple, which the check may take for one).
                if op.elementsEqual(",".utf8) { return true }
            }
            if k > tokens.startIndex, tokens[k - 1].kind == .name {
                let before = String(decoding: bytes[tokens[k - 1].span.range], as: UTF8.self)
                if ["for", "as", "global", "nonlocal", "import"].contains(before) { return true }
            }
        }
        return false
    }

    /// The module's calls of `function` by its name: `get_secret(…)`, and a task's
    /// `get_secret.run(…)`.
    private func calls(of function: PythonFunction) -> [PythonCall] {
        let run = function.name + ".run"
        return module.calls.filter { call in
            guard case .name(let callee) = call.callee, callee.resolved == nil else { return false }
            return callee.text == function.name || callee.text == run
        }
    }

    /// What a call gives a parameter.
    private enum Argument {
        case given(PythonExpression)
        case absent
        /// Through `*args`/`**kwargs`, or past them.
        case unknown
    }

    private func argument(_ parameter: Int, in call: PythonCall, of function: PythonFunction) -> Argument {
        if call.arguments.contains(where: { $0.kind == .star || $0.kind == .doubleStar }) { return .unknown }
        let name = function.parameters[parameter].name
        if let keyword = call.keyword(name) { return .given(keyword.value) }
        // After `*args` (or a bare `*`) a parameter takes keywords only.
        let before = function.parameters[..<parameter]
        guard !before.contains(where: { $0.kind == .varArgs }) else { return .absent }
        if let positional = call.positional(before.count) { return .given(positional.value) }
        return .absent
    }
}
