import PythonSource
import Spans

/// Reads Python files: PS900 for files CPython's tokenizer would refuse, the pattern scope
/// (string literals, and comments for token formats only), and the flow facts: secret
/// references, flows with their run configs and storage, Cloud secret API use and provisions
/// (facts §1, §6, §7, §8.1).
public struct PythonAnalyzer: FileAnalyzer {
    public init() {}

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        if let bad = Self.firstInvalidUTF8(file.bytes) {
            let diagnostic = SourceDiagnostic(
                span: ByteSpan(bad, min(bad + 1, file.bytes.count)), message: "invalid UTF-8 byte in Python source")
            return FileAnalysis(kind: kind, diagnostics: [diagnostic])
        }
        // A file that names neither Prefect nor any secret word has no facts and nothing the
        // Python rules could report: the token pass (pattern scope, PS900) is all it needs.
        guard Self.mayHaveFacts(file.bytes) else {
            let tokens = PythonTokenizer.tokenize(file.bytes)
            let diagnostics = PythonModule.tokenErrors(tokens).first.map { [$0] } ?? []
            return FileAnalysis(kind: kind, diagnostics: diagnostics, patternScope: Self.scope(of: tokens))
        }
        let module = PythonModule.parse(file.bytes)
        let scope = Self.scope(of: module.tokens)
        // One error is enough: after it the tokens of a broken file mean little.
        let diagnostics = module.errors.first.map { [$0] } ?? []
        var builder = PythonFlowFactsBuilder(module: module, bytes: file.bytes)
        builder.build()
        return FileAnalysis(kind: kind, facts: builder.facts, diagnostics: diagnostics, patternScope: scope)
    }

    /// Words one of which every fact source and Python rule needs in the file: `prefect` for
    /// flows, imports and `PREFECT__` env; the secret words of ``PrefectComponents`` for
    /// secret-named arguments, keys and parameters, `Secret`/`set_secret` and the rest.
    static let relevantWords: [[UInt8]] = [Array("prefect".utf8)] + PrefectComponents.secretWords

    /// Whether the file (ASCII case folded) contains any of ``relevantWords``.
    static func mayHaveFacts(_ bytes: [UInt8]) -> Bool {
        var folded = bytes
        folded.withUnsafeMutableBufferPointer { buffer in
            for i in buffer.indices where buffer[i] >= 0x41 && buffer[i] <= 0x5A { buffer[i] |= 0x20 }
        }
        return relevantWords.contains { ByteSearch.contains($0, in: folded) }
    }

    /// A token pass only: string literals, and comments for token formats.
    public func patternScope(_ file: SourceFile, kind: FileKind) -> PatternScope {
        Self.scope(of: PythonTokenizer.tokenize(file.bytes))
    }

    static func scope(of tokens: [PythonToken]) -> PatternScope {
        var literals: [ByteSpan] = []
        var comments: [ByteSpan] = []
        for token in tokens {
            switch token.kind {
            case .string, .fstringMiddle: literals.append(token.span)
            case .comment: comments.append(token.span)
            default: break
            }
        }
        literals.sort { $0.start < $1.start }
        return PatternScope.regions(literals: literals, comments: comments)
    }

    /// The offset of the first byte that is not part of a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i
            }
            guard i + length <= n else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}
