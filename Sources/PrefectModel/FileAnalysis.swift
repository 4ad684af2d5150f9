import Spans

/// Where pattern rules (PS101) may report inside a file.
public enum PatternScope: Sendable {
    /// Anywhere in the file.
    case everywhere
    /// Only inside these literal spans (e.g. Python string tokens); inside `comments` only
    /// for distinctive token formats.
    case regions(literals: [ByteSpan], comments: [ByteSpan])
}

/// The result of reading one file: its kind, facts, parse problems and pattern scope.
public struct FileAnalysis: Sendable {
    public var kind: FileKind
    public var facts: FileFacts
    /// Parse errors (become PS900 findings).
    public var diagnostics: [SourceDiagnostic]
    public var patternScope: PatternScope
    /// True when the file is only documentation (README code fences): findings drop to info
    /// unless they are real credentials.
    public var isDocumentation: Bool

    public init(
        kind: FileKind, facts: FileFacts = FileFacts(), diagnostics: [SourceDiagnostic] = [],
        patternScope: PatternScope = .everywhere, isDocumentation: Bool = false
    ) {
        self.kind = kind
        self.facts = facts
        self.diagnostics = diagnostics
        self.patternScope = patternScope
        self.isDocumentation = isDocumentation
    }
}

/// Turns one file's bytes into a ``FileAnalysis``. One analyzer per file kind; the registry
/// in ``FileAnalyzers`` picks it.
public protocol FileAnalyzer: Sendable {
    func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis
    /// Only where pattern rules may report, for scans that run pattern rules alone
    /// (`--select PS101`): no facts, no diagnostics, as little work as possible.
    func patternScope(_ file: SourceFile, kind: FileKind) -> PatternScope
}

extension FileAnalyzer {
    public func patternScope(_ file: SourceFile, kind: FileKind) -> PatternScope { .everywhere }
}

/// The analyzer for each file kind. Adding a file kind is one line here plus its analyzer file.
public enum FileAnalyzers {
    public static func analyzer(for kind: FileKind) -> (any FileAnalyzer)? {
        switch kind {
        case .toml: return TOMLAnalyzer()
        case .python: return PythonAnalyzer()
        case .yaml: return YAMLAnalyzer()
        case .json: return ECSTaskDefinitionJSONAnalyzer()
        case .jenkinsfile: return JenkinsfileAnalyzer()
        case .shell, .makefile, .dockerfile, .systemd, .procfile, .crontab, .dotenv, .supervisord, .markdown: return ShellAnalyzer()
        default: return nil
        }
    }

    /// Analyzes `file`; kinds without an analyzer get an empty analysis. With `patternsOnly`
    /// only the pattern scope is computed.
    public static func analyze(_ file: SourceFile, kind: FileKind, patternsOnly: Bool = false) -> FileAnalysis {
        guard let analyzer = analyzer(for: kind) else { return FileAnalysis(kind: kind) }
        if patternsOnly { return FileAnalysis(kind: kind, patternScope: analyzer.patternScope(file, kind: kind)) }
        return analyzer.analyze(file, kind: kind)
    }
}
