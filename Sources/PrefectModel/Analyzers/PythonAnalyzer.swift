import PythonSource
import Spans

/// Reads Python files: PS900 for files CPython's tokenizer would refuse, the pattern scope
/// (string literals, and comments for token formats only), and the flow facts: secret
/// references, flows with their run configs and storage, Cloud secret API use and provisions
/// (facts §1, §6, §7, §8.1).
public struct PythonAnalyzer: FileAnalyzer {
    public init() {}

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        analyze(file, kind: kind, alwaysParse: false, statementFilterMinimumBytes: Self.statementFilterMinimumBytes)
    }

    /// The size from which the statement prefilter pays: below it, finding the statements a
    /// fact can start from costs more than the shallow parse of the others it saves.
    static let statementFilterMinimumBytes = 4096

    /// `alwaysParse` skips the prefilters (of whole files and of statements in them), for the
    /// tests that hold the two paths equal; `statementFilterMinimumBytes` is the size from which
    /// a file's statements are prefiltered (0 in those tests, so every fixture exercises it).
    func analyze(_ file: SourceFile, kind: FileKind, alwaysParse: Bool, statementFilterMinimumBytes: Int) -> FileAnalysis {
        let utf8 = UTF8Validation.check(file.bytes)
        // A file that declares a legacy encoding (PEP 263) is not UTF-8, and need not be.
        if case .invalid(let bad) = utf8, !(PythonSourceEncoding.declared(in: file.bytes).map(PythonSourceEncoding.allowsNonUTF8Bytes) ?? false) {
            let diagnostic = SourceDiagnostic(
                span: ByteSpan(bad, min(bad + 1, file.bytes.count)), message: "invalid UTF-8 byte in Python source")
            return FileAnalysis(kind: kind, diagnostics: [diagnostic])
        }
        let (tokens, marks) = PythonTokenizer.tokenize(file.bytes, marking: PythonFactsPrefilter.watchedName, holding: PythonFactsPrefilter.words, watchingTarget: PythonFactsPrefilter.watchedTarget)
        let scope = Self.scope(of: tokens)
        // One error is enough: after it the tokens of a broken file mean little.
        let diagnostics = PythonModule.firstTokenError(tokens, marks: marks, in: file.bytes).map { [$0] } ?? []
        // The shallow parse costs about ten times the token pass: only files where it can
        // find something get it.
        var need = alwaysParse ? .parse : PythonFactsPrefilter.need(file.bytes, tokens: tokens, marks: marks)
        // In files large enough for it to pay, statements, headers and bodies without a token a
        // fact can start from are stepped over; with no such token outside imports, the whole
        // parse is.
        let filtersStatements = need == .parse && !alwaysParse && file.bytes.count >= statementFilterMinimumBytes
        let offsets = filtersStatements ? PythonFactsPrefilter.factOffsets(file.bytes, tokens: tokens, isASCII: utf8 == .ascii) : nil
        if let offsets, !offsets.outsideImports { need = .tokens }
        switch need {
        case .nothing:
            return FileAnalysis(kind: kind, diagnostics: diagnostics, patternScope: scope)
        case .tokens:
            var facts = FileFacts()
            facts.cloudAPIUses = PythonFlowFactsBuilder.graphQLOperations(in: tokens, strings: marks.strings, of: file.bytes)
            facts.unnamedValueSpans = PythonFlowFactsBuilder.graphQLSecretValues(in: tokens, strings: marks.strings, of: file.bytes)
            return FileAnalysis(kind: kind, facts: facts, diagnostics: diagnostics, patternScope: scope)
        case .parse:
            let module = PythonModule.parse(tokens: tokens, of: file.bytes, needed: offsets.map { offsets in { offsets.intersects($0) } })
            var builder = PythonFlowFactsBuilder(module: module, bytes: file.bytes, strings: marks.strings)
            builder.build()
            builder.facts.unnamedValueSpans += PythonFlowFactsBuilder.graphQLSecretValues(in: tokens, strings: marks.strings, of: file.bytes)
            return FileAnalysis(kind: kind, facts: builder.facts, diagnostics: diagnostics, patternScope: scope)
        }
    }

    /// What a module says of the names other modules import from it (``ImportedSecretNames``):
    /// its module-level string constants (`DB_SECRET = "SNOWFLAKE_PASSWORD"`, `f"{STAGE}_TOKEN"`
    /// and `+` of such) assigned unconditionally, and the names it imports at module level.
    public static func moduleConstants(of file: SourceFile) -> ImportedSecretNames.ModuleConstants {
        var builder = PythonFlowFactsBuilder(module: PythonModule.parse(file.bytes), bytes: file.bytes, strings: [])
        builder.collectModuleValues()
        var constants = ImportedSecretNames.ModuleConstants(strings: builder.settledConstants, stringLists: builder.settledStringLists)
        for imported in builder.module.imports where imported.context == PythonContext() {
            guard let name = imported.name else { continue }
            let binding = ImportedName(module: imported.module, level: imported.level, name: name, span: imported.span)
            if name == "*" { constants.starImports.append(binding) } else { constants.imports[imported.boundName] = binding }
        }
        return constants
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
}
