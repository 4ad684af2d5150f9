import ShellWords
import Spans

/// Jenkinsfiles, declarative and scripted: the env of `environment { NAME = '…' }` blocks
/// (the pipeline's, a stage's), of `withEnv(['NAME=…']) { … }`, of `withCredentials([…]) { … }`
/// bindings and of `env.NAME = '…'`, and
/// the shell text of `sh '…'`, `sh """…"""` and `sh(script: '…')` steps, read like a CI job's
/// script with the env in effect there: `prefect register` labels, agents, exports,
/// `prefect backend`. A single-quoted value is literal; a double-quoted one that interpolates
/// (`"${env.TOKEN}"`) and `credentials('id')` are references.
public struct JenkinsfileAnalyzer: FileAnalyzer {
    public init() {}

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        let tokens = GroovyLexer(bytes: file.bytes).tokens()
        var reader = JenkinsfileReader(bytes: file.bytes, tokens: tokens)
        reader.read()
        return FileAnalysis(kind: kind, facts: reader.builder.finish())
    }
}

/// One token of Groovy text: a name, a string literal (decoded, with where each byte is in the
/// file) or one punctuation byte. Comments and blanks are dropped; a newline is kept as `;`
/// ends a statement.
struct GroovyToken {
    enum Kind: Equatable {
        case name
        case string
        case punctuation(UInt8)
        case newline
    }
    var kind: Kind
    var span: ByteSpan
    /// For a string: its decoded text.
    var text: GroovyString?
}

/// A string literal's decoded bytes with their spans in the file.
struct GroovyString {
    var bytes: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []
    /// The span between the quotes.
    var contentSpan: ByteSpan
    /// Double-quoted and holding `$`: Groovy fills values in before the step runs.
    var interpolates = false

    var string: String { String(decoding: bytes, as: UTF8.self) }
    var map: ShellOffsetMap { .table(starts + [ends.last ?? contentSpan.start], ends: ends) }
}

/// Splits Groovy text into ``GroovyToken``s: enough of Groovy's lexical rules to find names,
/// quoted strings (`'…'`, `"…"`, `'''…'''`, `"""…"""`) and brackets; comments skipped.
struct GroovyLexer {
    let bytes: [UInt8]

    func tokens() -> [GroovyToken] {
        var out: [GroovyToken] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            switch c {
            case 0x0A:
                out.append(GroovyToken(kind: .newline, span: ByteSpan(i, i + 1)))
                i += 1
            case 0x20, 0x09, 0x0D:
                i += 1
            case 0x2F where i + 1 < n && bytes[i + 1] == 0x2F:  // //
                while i < n, bytes[i] != 0x0A { i += 1 }
            case 0x2F where i + 1 < n && bytes[i + 1] == 0x2A:  // /*
                i += 2
                while i + 1 < n, !(bytes[i] == 0x2A && bytes[i + 1] == 0x2F) { i += 1 }
                i = min(n, i + 2)
            case 0x27, 0x22:  // ' "
                let (string, end) = readString(from: i, quote: c)
                out.append(GroovyToken(kind: .string, span: ByteSpan(i, end), text: string))
                i = end
            case _ where ASCIIBytes.isWordByte(c) || c >= 0x80:
                let start = i
                while i < n, ASCIIBytes.isWordByte(bytes[i]) || bytes[i] >= 0x80 { i += 1 }
                out.append(GroovyToken(kind: .name, span: ByteSpan(start, i)))
            default:
                out.append(GroovyToken(kind: .punctuation(c), span: ByteSpan(i, i + 1)))
                i += 1
            }
        }
        return out
    }

    /// The string starting with `quote` at `start` (tripled or not) and the offset after it. A
    /// single-line string ends at its line's end when it is not closed.
    private func readString(from start: Int, quote: UInt8) -> (GroovyString, Int) {
        let n = bytes.count
        let triple = start + 2 < n && bytes[start + 1] == quote && bytes[start + 2] == quote
        var i = start + (triple ? 3 : 1)
        var string = GroovyString(contentSpan: ByteSpan(i, i))
        func append(_ byte: UInt8, from: Int, to: Int) {
            string.bytes.append(byte)
            string.starts.append(from)
            string.ends.append(to)
        }
        while i < n {
            let c = bytes[i]
            if c == quote, !triple || (i + 2 < n && bytes[i + 1] == quote && bytes[i + 2] == quote) {
                string.contentSpan = ByteSpan(string.contentSpan.start, i)
                return (string, i + (triple ? 3 : 1))
            }
            if c == 0x0A, !triple { break }
            if c == 0x5C, i + 1 < n {  // \
                let next = bytes[i + 1]
                let decoded: UInt8? =
                    switch next {
                    case 0x6E: 0x0A  // n
                    case 0x74: 0x09  // t
                    case 0x72: 0x0D  // r
                    case 0x0A: nil  // a line continuation
                    default: next  // \\ \' \" \$ and the rest: the byte itself
                    }
                if let decoded { append(decoded, from: i, to: i + 2) }
                i += 2
                continue
            }
            if c == 0x24, quote == 0x22 { string.interpolates = true }
            append(c, from: i, to: i + 1)
            i += 1
        }
        string.contentSpan = ByteSpan(string.contentSpan.start, i)
        return (string, i)
    }
}

/// Reads a Jenkinsfile's tokens into facts.
struct JenkinsfileReader {
    let bytes: [UInt8]
    let tokens: [GroovyToken]
    var builder = YAMLFactsBuilder()
    /// Env and where it applies: inside `scope` (a block's braces), from `after` on.
    private var env: [(assignment: EnvAssignment, scope: ByteSpan, after: Int)] = []

    init(bytes: [UInt8], tokens: [GroovyToken]) {
        self.bytes = bytes
        self.tokens = tokens
    }

    mutating func read() {
        let blocks = Self.blocks(tokens)
        // Env first: a stage's `environment` applies to its steps wherever it is written.
        for (k, token) in tokens.enumerated() where token.kind == .name {
            switch text(token) {
            case "environment" where next(k).map({ tokens[$0].kind == .punctuation(0x7B) }) ?? false:
                guard let open = next(k), let close = blocks[open] else { continue }
                let parent = enclosingBlock(of: k, blocks) ?? ByteSpan(0, bytes.count)
                readEnvironmentBlock(from: open + 1, to: close, scope: parent)
            case "withEnv":
                readWithEnv(at: k, blocks)
            case "withCredentials":
                readWithCredentials(at: k, blocks)
            case "env" where !isMember(k):
                // `env.NAME = value` in a script block: set from here on.
                guard let dot = next(k), tokens[dot].kind == .punctuation(0x2E), let name = next(dot), tokens[name].kind == .name,
                    let equals = next(name), tokens[equals].kind == .punctuation(0x3D), !isPunctuation(next(equals), 0x3D)
                else { continue }
                if let assignment = assignment(name: name, valueFrom: equals + 1) {
                    env.append((assignment, ByteSpan(0, bytes.count), tokens[k].span.start))
                }
            default:
                break
            }
        }
        for (k, token) in tokens.enumerated() where token.kind == .name && text(token) == "sh" && !isMember(k) {
            guard let script = stepScript(at: k) else { continue }
            let at = token.span.start
            let inEffect = env.filter { $0.scope.contains(ByteSpan(at, at)) && $0.after <= at }.map(\.assignment)
            let shell = ShellFileReader.readEmbeddedScript(script.bytes, map: script.map)
            var scope = ShellScope(env: inEffect)
            builder.addShellFacts(shell, scope: &scope)
        }
    }

    /// For each `{`, `(` and `[` token: the index of the token that closes it.
    static func blocks(_ tokens: [GroovyToken]) -> [Int: Int] {
        var closes: [Int: Int] = [:]
        var open: [Int] = []
        for (k, token) in tokens.enumerated() {
            guard case .punctuation(let c) = token.kind else { continue }
            switch c {
            case 0x7B, 0x28, 0x5B: open.append(k)
            case 0x7D, 0x29, 0x5D: if let start = open.popLast() { closes[start] = k }
            default: break
            }
        }
        return closes
    }

    /// The span between the braces of the innermost `{ … }` around token `k`.
    private func enclosingBlock(of k: Int, _ blocks: [Int: Int]) -> ByteSpan? {
        blocks.filter { open, close in tokens[open].kind == .punctuation(0x7B) && open < k && k < close }
            .max { $0.key < $1.key }
            .map { ByteSpan(tokens[$0.key].span.end, tokens[$0.value].span.start) }
    }

    /// `NAME = value` lines between tokens `start` and `end`.
    private mutating func readEnvironmentBlock(from start: Int, to end: Int, scope: ByteSpan) {
        var k = start
        while k < end {
            if tokens[k].kind == .name, let equals = next(k), equals < end, tokens[equals].kind == .punctuation(0x3D),
                let assignment = assignment(name: k, valueFrom: equals + 1)
            {
                env.append((assignment, scope, 0))
            }
            // On to the next line.
            while k < end, tokens[k].kind != .newline { k += 1 }
            k += 1
        }
    }

    /// `withEnv(['NAME=value', "NAME=${x}"]) { … }`: the list's assignments, inside the block.
    private mutating func readWithEnv(at k: Int, _ blocks: [Int: Int]) {
        guard let (paren, closeParen, scope) = callWithBlock(at: k, blocks) else { return }
        for string in tokens[paren..<closeParen].compactMap(\.text) {
            guard let equals = string.bytes.firstIndex(of: 0x3D), equals > 0 else { continue }
            let name = String(decoding: string.bytes[..<equals], as: UTF8.self)
            let value = String(decoding: string.bytes[(equals + 1)...], as: UTF8.self)
            let valueStart = equals + 1 < string.starts.count ? string.starts[equals + 1] : string.contentSpan.end
            let assignment = EnvAssignment(
                name: name, nameSpan: ByteSpan(string.starts[0], string.ends[equals - 1]), value: value,
                valueSpan: ByteSpan(valueStart, string.contentSpan.end), origin: origin(of: string, value: value), context: .ciEnv)
            builder.addEnv(assignment)
            env.append((assignment, scope, 0))
        }
    }

    /// `withCredentials([string(credentialsId: 'id', variable: 'NAME'), usernamePassword(…,
    /// usernameVariable: 'U', passwordVariable: 'P')]) { … }`: each variable is set inside the
    /// block from a Jenkins credential, a reference (`credentials('id')`, as in `environment`).
    private mutating func readWithCredentials(at k: Int, _ blocks: [Int: Int]) {
        guard let (paren, closeParen, scope) = callWithBlock(at: k, blocks) else { return }
        var credential: GroovyString?
        // Each binding names its `credentialsId` before its variables.
        for j in paren..<closeParen where tokens[j].kind == .name {
            guard let colon = next(j), tokens[colon].kind == .punctuation(0x3A), let value = next(colon), let string = tokens[value].text else { continue }
            switch text(tokens[j]) {
            case "credentialsId":
                credential = string
            case "variable", "usernameVariable", "passwordVariable", "keyFileVariable", "passphraseVariable":
                // A `where` would guard only the last name: an empty variable name sets nothing.
                guard !string.bytes.isEmpty else { continue }
                let assignment = EnvAssignment(
                    name: string.string, nameSpan: string.contentSpan, value: "credentials('\(credential?.string ?? "")')",
                    valueSpan: credential?.contentSpan ?? .empty(at: string.contentSpan.end), origin: .reference, context: .ciEnv)
                builder.addEnv(assignment)
                env.append((assignment, scope, 0))
            default:
                break
            }
        }
    }

    /// For a step at token `k` given arguments and a block (`withEnv([…]) { … }`): its
    /// parentheses' tokens, and the span between the block's braces.
    private func callWithBlock(at k: Int, _ blocks: [Int: Int]) -> (open: Int, close: Int, block: ByteSpan)? {
        guard let paren = next(k), tokens[paren].kind == .punctuation(0x28), let closeParen = blocks[paren],
            let brace = next(closeParen), tokens[brace].kind == .punctuation(0x7B), let closeBrace = blocks[brace]
        else { return nil }
        return (paren, closeParen, ByteSpan(tokens[brace].span.end, tokens[closeBrace].span.start))
    }

    /// The assignment of the name at token `name` to the value starting at token `start`
    /// (also added to the facts): a string, `credentials('id')` (a reference), or an
    /// expression the tool cannot read (its value unknown).
    private mutating func assignment(name: Int, valueFrom start: Int) -> EnvAssignment? {
        guard start < tokens.count, tokens[start].kind != .newline else { return nil }
        let first = start
        let nameText = text(tokens[name])
        let assignment: EnvAssignment
        if tokens[first].kind == .string, let string = tokens[first].text, !isPunctuation(next(first), 0x2B) {  // not `'a' + b`
            assignment = EnvAssignment(
                name: nameText, nameSpan: tokens[name].span, value: string.string, valueSpan: string.contentSpan,
                origin: origin(of: string, value: string.string), context: .ciEnv)
        } else {
            var end = first
            while end + 1 < tokens.count, tokens[end + 1].kind != .newline, !isPunctuation(end + 1, 0x7D) { end += 1 }
            let span = tokens[first].span.union(tokens[end].span)
            assignment = EnvAssignment(
                name: nameText, nameSpan: tokens[name].span, value: String(decoding: bytes[span.range], as: UTF8.self), valueSpan: span,
                origin: text(tokens[first]) == "credentials" ? .reference : .unknown, context: .ciEnv)
        }
        builder.addEnv(assignment)
        return assignment
    }

    /// A single-quoted value is literal (Groovy fills nothing in, the shell gets it as an env
    /// var); a double-quoted one is read like a shell value, `${…}` a reference.
    private func origin(of string: GroovyString, value: String) -> ValueOrigin {
        string.interpolates ? EnvValueSyntax.origin(of: value) : .literal
    }

    /// The script of the `sh` step at token `k`: `sh 'text'`, `sh("text")`, `sh(script: 'text',
    /// returnStdout: true)`, `sh label: 'x', script: 'text'`; nil when it is not a literal.
    private func stepScript(at k: Int) -> GroovyString? {
        guard var j = next(k) else { return nil }
        let parenthesized = tokens[j].kind == .punctuation(0x28)
        if parenthesized { j += 1 }
        if j < tokens.count, tokens[j].kind == .string, !isPunctuation(next(j), 0x3A) { return tokens[j].text }
        // Named arguments, to the end of the call or the line.
        var depth = 0
        while j < tokens.count {
            switch tokens[j].kind {
            case .newline where !parenthesized: return nil
            case .punctuation(0x28), .punctuation(0x5B): depth += 1
            case .punctuation(0x29), .punctuation(0x5D):
                depth -= 1
                if depth < 0 { return nil }
            case .name where depth == 0 && text(tokens[j]) == "script":
                if let colon = next(j), tokens[colon].kind == .punctuation(0x3A), let value = next(colon), tokens[value].kind == .string {
                    return tokens[value].text
                }
            default: break
            }
            j += 1
        }
        return nil
    }

    /// The index of the token after `k`, if any.
    private func next(_ k: Int) -> Int? {
        k + 1 < tokens.count ? k + 1 : nil
    }

    private func isPunctuation(_ k: Int?, _ byte: UInt8) -> Bool {
        guard let k, k < tokens.count else { return false }
        return tokens[k].kind == .punctuation(byte)
    }

    /// `x.sh`, `steps.env`: a member, not the step or the global.
    private func isMember(_ k: Int) -> Bool {
        k > 0 && tokens[k - 1].kind == .punctuation(0x2E)
    }

    private func text(_ token: GroovyToken) -> String {
        String(decoding: bytes[token.span.range], as: UTF8.self)
    }
}
