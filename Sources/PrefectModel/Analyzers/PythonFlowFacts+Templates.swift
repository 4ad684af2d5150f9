import PythonSource
import Spans

/// Run templates given inline: `KubernetesRun(job_template=…)` and `ECSRun(task_definition=…)`
/// take a YAML string (`yaml.safe_load`ed by the run config) or a dict (facts §4.3). The
/// template is read as a template file would be, by ``YAMLAnalyzer``: a dict as the JSON text
/// it stands for. Spans the analyzer finds in that text are mapped back into the Python file.
extension PythonFlowFactsBuilder {
    /// The template `expression` gives a run config of `agentType`, when the module settles it
    /// whole: a string the module settles, `yaml.safe_load` of one, or a dict literal (or a
    /// module variable assigned one) of such strings, numbers, booleans, `None`, lists and dicts.
    func inlineRunTemplate(_ expression: PythonExpression, agentType: AgentType) -> (template: RunTemplate, hiddenValues: [ByteSpan])? {
        // A module variable the module also changes or hands on (`JOB["spec"]…["env"].append(…)`)
        // is not what its literal says.
        if case .name(let name) = expression, !name.isDotted, isUncertainModuleValue(expression) || !isOnlyGivenAsTemplate(name.text) { return nil }
        // ECSRun keeps a string as it is (only KubernetesRun loads YAML text): the agent fails on it.
        if agentType == .ecs, constantString(dereference(expression)) != nil { return nil }
        let source = templateSource(expression)
        var text = InlineTemplateText()
        guard text.append(source, builder: self, depth: 0) else { return nil }
        // Named as a template file: the analyzer takes any Job in it as a Prefect job template.
        let name = agentType == .ecs ? "task_definition.yaml" : "job_template.yaml"
        let analysis = YAMLAnalyzer().analyze(SourceFile(path: name, bytes: text.bytes), kind: .yaml)
        guard analysis.diagnostics.isEmpty, var template = analysis.facts.runTemplate, template.agentType == agentType else { return nil }
        for k in template.env.indices {
            template.env[k].nameSpan = text.originalSpan(of: template.env[k].nameSpan)
            template.env[k].valueSpan = template.env[k].valueSpan.map(text.originalSpan)
        }
        for k in template.keyRefs.indices { template.keyRefs[k].span = text.originalSpan(of: template.keyRefs[k].span) }
        return (template, analysis.facts.unnamedValueSpans.map(text.originalSpan))
    }

    /// Whether the module variable `name` stands only as a run config's template argument
    /// (`job_template=JOB`, `task_definition=TD`) outside its own assignment.
    private func isOnlyGivenAsTemplate(_ name: String) -> Bool {
        guard let assignment = module.assignments.first(where: { $0.context == PythonContext() && $0.targets.count == 1 && $0.targets[0].dottedName?.text == name })
        else { return false }
        var given: Set<Int> = []
        for call in module.calls {
            for keyword in ["job_template", "task_definition"] {
                if case .name(let value)? = call.keyword(keyword)?.value, value.text == name { given.insert(value.span.start) }
            }
        }
        return !Self.isUsed(name, outside: assignment.span, before: bytes.count, in: bytes, ignoring: given)
    }

    /// What the template is written as: the string `yaml.safe_load(TEXT)` (or `yaml.load`) reads.
    private func templateSource(_ expression: PythonExpression) -> PythonExpression {
        let value = dereference(expression)
        guard case .call(let call) = value, let callee = call.calleeName, ["yaml.safe_load", "yaml.load", "safe_load"].contains(callee),
            let argument = call.arguments.first, argument.kind == .positional
        else { return value }
        return dereference(argument.value)
    }
}

/// The text a template is read from, with where each of its values is written in the Python file.
struct InlineTemplateText {
    private(set) var bytes: [UInt8] = []
    /// Each value written: its range in ``bytes`` and its span in the file; `exact` when the
    /// bytes are the file's own (offsets map one to one), else any span in it maps to the whole.
    private var pieces: [(range: Range<Int>, span: ByteSpan, exact: Bool)] = []
    /// The span of the whole template in the file, for the text between values.
    private var whole = ByteSpan(0, 0)

    /// Appends the template `expression` writes; false when the module does not settle it.
    mutating func append(_ expression: PythonExpression, builder: PythonFlowFactsBuilder, depth: Int) -> Bool {
        if depth == 0 { whole = expression.span }
        guard depth < 32 else { return false }
        switch expression {
        case .string(let literal) where depth == 0:
            // YAML text: exact where the literal's body is the text itself (no escapes).
            guard let value = builder.constantString(expression) else { return false }
            let body = builder.valueSpan(literal)
            let exact = literal.value != nil && builder.bytes[body.range].elementsEqual(value.utf8)
            appendPiece(Array(value.utf8), span: exact ? body : literal.span, exact: exact)
            return true
        case .dict(let dict):
            bytes.append(UInt8(ascii: "{"))
            for (index, entry) in dict.entries.enumerated() {
                guard let key = entry.key, let keyText = builder.constantString(key) else { return false }
                if index > 0 { bytes += Array(", ".utf8) }
                appendString(keyText, from: key, builder: builder)
                bytes += Array(": ".utf8)
                guard append(builder.dereference(entry.value), builder: builder, depth: depth + 1) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
            return true
        case .sequence(let sequence) where sequence.kind != .set:
            bytes.append(UInt8(ascii: "["))
            for (index, element) in sequence.elements.enumerated() {
                if index > 0 { bytes += Array(", ".utf8) }
                guard append(builder.dereference(element), builder: builder, depth: depth + 1) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
            return true
        case .number(let span):
            // A Python number as YAML reads it: digits, a sign, a point or an exponent only; a
            // float with an exponent and no point (`1e3`) written as its value (`1000.0`),
            // which YAML 1.1 would read as a string.
            let written = builder.bytes[span.range]
            guard written.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }) else { return false }
            if !written.contains(0x2E), written.contains(where: { $0 | 0x20 == 0x65 }) {
                guard let value = Double(String(decoding: written, as: UTF8.self)), value.isFinite else { return false }
                appendPiece(Array("\(value)".utf8), span: span, exact: false)
            } else {
                appendPiece(Array(written), span: span, exact: true)
            }
            return true
        case .other(let span):
            guard let json = Self.json(ofConstant: builder.text(span)) else { return false }
            appendPiece(Array(json.utf8), span: span, exact: false)
            return true
        case .name(let name) where Self.json(ofConstant: name.text) != nil:
            appendPiece(Array((Self.json(ofConstant: name.text) ?? "null").utf8), span: name.span, exact: false)
            return true
        default:
            // A string the module settles otherwise (a constant, an f-string or `+` of them):
            // at the top, YAML text; inside, a value.
            guard let value = builder.constantString(expression) else { return false }
            if depth == 0 {
                appendPiece(Array(value.utf8), span: expression.span, exact: false)
            } else {
                appendString(value, from: expression, builder: builder)
            }
            return true
        }
    }

    /// `True`, `False` and `None` as JSON.
    private static func json(ofConstant text: String) -> String? {
        switch text {
        case "True": "true"
        case "False": "false"
        case "None": "null"
        default: nil
        }
    }

    /// A JSON string for a value or key, mapped to the literal's body when that is exact.
    private mutating func appendString(_ value: String, from expression: PythonExpression, builder: PythonFlowFactsBuilder) {
        let quoted = Array(JSONString.quote(value).utf8)
        var span = expression.span
        var exact = false
        if case .string(let literal) = expression, literal.value != nil {
            let body = builder.valueSpan(literal)
            // The body is the JSON string's content when neither escapes anything.
            if quoted.count == value.utf8.count + 2, builder.bytes[body.range].elementsEqual(value.utf8) {
                span = ByteSpan(body.start - 1, body.end + 1)
                exact = true
            }
        }
        appendPiece(quoted, span: span, exact: exact)
    }

    private mutating func appendPiece(_ piece: [UInt8], span: ByteSpan, exact: Bool) {
        pieces.append((bytes.count..<bytes.count + piece.count, span, exact))
        bytes += piece
    }

    /// Where a span of ``bytes`` is written in the file: the same bytes of an exact piece, the
    /// value a span of another piece lies in, else the whole template.
    func originalSpan(of span: ByteSpan) -> ByteSpan {
        guard let piece = pieces.first(where: { $0.range.contains(span.start) }) else { return whole }
        guard piece.exact, span.end <= piece.range.upperBound else { return piece.span }
        let shift = piece.span.start - piece.range.lowerBound
        return ByteSpan(span.start + shift, span.end + shift)
    }
}
