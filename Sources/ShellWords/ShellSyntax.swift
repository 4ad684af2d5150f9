import Spans

/// Maps byte offsets of the parsed input to offsets in the file the input came from.
///
/// A script read straight from a file uses `.base(0)`; a sub-range of a file uses its start as
/// base; a string decoded from YAML or JSON (where escapes change lengths) passes a table
/// with one outer offset per input byte plus one for the end.
public struct ShellOffsetMap: Sendable, Hashable {
    /// Added to every local offset when `table` is nil.
    public let base: Int
    /// Outer offset of each local byte, plus one entry for the end of input.
    public let table: [Int]?
    /// Outer end offset of each local byte, when a byte stands for more than one outer byte
    /// (a decoded escape such as `\"` or `\u0041`); nil means "start plus one".
    public let endTable: [Int]?

    /// Offsets shifted by a constant.
    public static func base(_ base: Int) -> ShellOffsetMap { ShellOffsetMap(base: base, table: nil, endTable: nil) }

    /// Offsets looked up in `table` (`table.count` should be the input length plus one).
    /// `ends`, if given, holds the outer end of each local byte.
    public static func table(_ table: [Int], ends: [Int]? = nil) -> ShellOffsetMap {
        ShellOffsetMap(base: 0, table: table, endTable: ends)
    }

    /// The outer offset of local offset `local` (clamped, never traps).
    public func outer(_ local: Int) -> Int {
        guard let table else { return base + local }
        if table.isEmpty { return base }
        if local < 0 { return table[0] }
        if local >= table.count { return (table.last ?? 0) + (local - table.count + 1) }
        return table[local]
    }

    /// The outer end of the local byte at `local`.
    public func outerEnd(_ local: Int) -> Int {
        if let endTable, local >= 0, local < endTable.count { return endTable[local] }
        return outer(local) + 1
    }

    /// The outer span of local span `start..<end`.
    public func span(_ start: Int, _ end: Int) -> ByteSpan {
        let s = outer(start)
        guard end > start else { return ByteSpan(s, s) }
        // The end is the end of the last byte, so spans stay tight where the table has gaps
        // (removed line continuations, indentation).
        let e = outerEnd(end - 1)
        return ByteSpan(s, max(s, e))
    }
}

/// One piece of a shell word: literal text or a reference that the shell would expand.
public struct ShellWordPart: Hashable, Sendable {
    /// What the piece is.
    public enum Kind: Hashable, Sendable {
        /// Text taken as written; `span.length` equals the UTF-8 length of `text`.
        case literal
        /// An escape sequence (`\x`, `\"` in double quotes, `\n` in `$'…'`, JSON escapes);
        /// `text` is what it stands for, `span` covers the sequence.
        case escaped
        /// `$NAME`, `${NAME}`, `${NAME:-default}`, `$1`, `$@`…; the payload is the name.
        case variable(String)
        /// `$(…)` or a backtick command substitution; for a make `NAME != command`, the
        /// command's text alone.
        case commandSubstitution
        /// `$((…))`.
        case arithmetic
        /// `~` or `~user` at the start of a word.
        case tilde
        /// A make reference in a recipe or make assignment: `$(NAME)`, `${NAME}`, `$@`.
        case makeVariable(String)
    }

    /// How the piece was quoted in the source.
    public enum Quoting: String, Hashable, Sendable {
        case none, single, double, ansiC, json, make
    }

    /// Literal text or which kind of reference.
    public var kind: Kind
    /// The quotes the piece was written in.
    public var quoting: Quoting
    /// Where the piece is, in outer-file coordinates.
    public var span: ByteSpan
    /// Literal value for `.literal`/`.escaped`; the source text for references.
    public var text: String

    public init(kind: Kind, quoting: Quoting, span: ByteSpan, text: String) {
        self.kind = kind
        self.quoting = quoting
        self.span = span
        self.text = text
    }

    /// True for text the shell passes through unchanged (no expansion).
    public var isLiteral: Bool {
        switch kind {
        case .literal, .escaped: return true
        default: return false
        }
    }
}

/// One shell word with its source span, its unquoted value and its parts.
public struct ShellWord: Hashable, Sendable {
    /// The full word as written (quotes included), in outer coordinates.
    public var span: ByteSpan
    /// The pieces in order.
    public var parts: [ShellWordPart]
    /// True when an unquoted `*`, `?`, `[` or a `{…,…}` could make the shell expand the word.
    public var hasUnquotedPattern: Bool

    public init(span: ByteSpan, parts: [ShellWordPart], hasUnquotedPattern: Bool = false) {
        self.span = span
        self.parts = parts
        self.hasUnquotedPattern = hasUnquotedPattern
    }

    /// Quotes and escapes removed; references appear as their source text.
    public var value: String {
        // Read for every word, again and again while commands are recognized: most words
        // are one part, whose text is the value without building a new string.
        if parts.count == 1 { return parts[0].text }
        var value = ""
        for part in parts { value += part.text }
        return value
    }

    /// Whether the program may receive other text than the word's value: it holds a
    /// reference, or (taken literally) a `$`, which Compose and Kubernetes expand in the
    /// words they pass (`${X}`, `$(X)`).
    public var textMayChange: Bool {
        parts.contains { !$0.isLiteral || $0.text.utf8.contains(0x24) }
    }

    /// Whether the shell may make no word or several of it: an unquoted reference, or
    /// `"$@"` (`"${@}"`, `"${list[@]}"`) quoted or not.
    public var wordCountMayChange: Bool {
        parts.contains { part in
            switch part.kind {
            case .variable(let name): return part.quoting == .none || name == "@" || name.hasSuffix("[@]")
            case .commandSubstitution, .arithmetic, .makeVariable: return part.quoting == .none
            default: return false
            }
        }
    }

    /// The value up to its first reference: an option's name when its value is one
    /// (`--label="$ENV"`, `-l"$ENV"`).
    public var literalPrefix: String {
        parts.prefix { $0.kind == .literal }.map(\.text).joined()
    }

    /// True when no part is a reference (the value is exactly what the program receives,
    /// apart from pattern expansion, see `hasUnquotedPattern`).
    public var isLiteral: Bool { parts.allSatisfy(\.isLiteral) }

    /// The value when the word is literal, else nil.
    public var literalValue: String? { isLiteral ? value : nil }

    /// Names of the variables the word refers to (shell and make references).
    public var referencedVariables: [String] {
        parts.compactMap {
            switch $0.kind {
            case .variable(let n), .makeVariable(let n): return n
            default: return nil
            }
        }
    }

    /// True when any part was quoted or escaped (so `''` is a word, and `"x"` is not a keyword).
    public var isQuoted: Bool { parts.contains { $0.quoting != .none || $0.kind == .escaped } }

    /// An empty word at `offset` (for `KEY=` with nothing after the `=`).
    public static func empty(at offset: Int) -> ShellWord { ShellWord(span: .empty(at: offset), parts: []) }
}

/// `NAME=value` written before a command name (or alone on a line).
public struct ShellAssignment: Hashable, Sendable {
    /// The variable name.
    public var name: String
    /// Where the name is.
    public var nameSpan: ByteSpan
    /// The text after `=` (an empty word when nothing follows).
    public var value: ShellWord
    /// From the name to the end of the value.
    public var span: ByteSpan
    /// `NAME+=value`.
    public var isAppend: Bool

    public init(name: String, nameSpan: ByteSpan, value: ShellWord, span: ByteSpan, isAppend: Bool = false) {
        self.name = name
        self.nameSpan = nameSpan
        self.value = value
        self.span = span
        self.isAppend = isAppend
    }
}

/// A redirection (`> file`, `2>&1`, `<<EOF`), recognized so its target is not taken as an argument.
public struct ShellRedirection: Hashable, Sendable {
    /// The operator as written, e.g. `>>`, `2>&`, `<<-`.
    public var op: String
    /// Where it is in the file.
    public var span: ByteSpan
    /// The word after the operator (the file, fd or here-document delimiter).
    public var target: ShellWord?

    public init(op: String, span: ByteSpan, target: ShellWord?) {
        self.op = op
        self.span = span
        self.target = target
    }
}

/// A here-document body that was skipped.
public struct ShellHeredoc: Hashable, Sendable {
    /// The delimiter word, quotes removed.
    public var delimiter: String
    /// The delimiter was quoted, so the body is not expanded by the shell.
    public var isQuoted: Bool
    /// `<<-`: leading tabs are stripped.
    public var stripsTabs: Bool
    /// The body lines, without the closing delimiter line.
    public var bodySpan: ByteSpan

    public init(delimiter: String, isQuoted: Bool, stripsTabs: Bool, bodySpan: ByteSpan) {
        self.delimiter = delimiter
        self.isQuoted = isQuoted
        self.stripsTabs = stripsTabs
        self.bodySpan = bodySpan
    }
}

/// What ended a simple command.
public enum ShellSeparator: String, Hashable, Sendable {
    case newline, semicolon, doubleSemicolon, and, or, pipe, background, openParen, closeParen, end
}

/// A simple command: assignment prefixes, words and redirections.
public struct ShellSimpleCommand: Hashable, Sendable {
    /// `NAME=value` words before the command name.
    public var assignments: [ShellAssignment]
    /// The command name and its arguments.
    public var words: [ShellWord]
    /// Redirections anywhere in the command.
    public var redirections: [ShellRedirection]
    /// Where it is in the file.
    public var span: ByteSpan
    /// What ended the command.
    public var terminator: ShellSeparator
    /// It may not run, or runs in a subshell, every time the script runs: it stands in an
    /// `if`, `case`, loop, `{ … }` (a function body) or `( … )`, after `&&` or `||`, or in a
    /// pipeline or the background. What it assigns is not known to be set after it.
    public var runsConditionally: Bool

    public init(
        assignments: [ShellAssignment], words: [ShellWord], redirections: [ShellRedirection], span: ByteSpan,
        terminator: ShellSeparator, runsConditionally: Bool = false
    ) {
        self.assignments = assignments
        self.words = words
        self.redirections = redirections
        self.span = span
        self.terminator = terminator
        self.runsConditionally = runsConditionally
    }
}

/// The result of splitting a script: its simple commands in source order, plus what was skipped.
public struct ShellScript: Hashable, Sendable {
    /// Simple commands in source order.
    public var commands: [ShellSimpleCommand]
    /// Here-document bodies that were skipped.
    public var heredocs: [ShellHeredoc]
    /// Spans of `#` comments (the `#` to the end of the line).
    public var comments: [ByteSpan]
    /// Unterminated quotes, substitutions and here-documents.
    public var diagnostics: [SourceDiagnostic]

    public init(
        commands: [ShellSimpleCommand] = [], heredocs: [ShellHeredoc] = [], comments: [ByteSpan] = [],
        diagnostics: [SourceDiagnostic] = []
    ) {
        self.commands = commands
        self.heredocs = heredocs
        self.comments = comments
        self.diagnostics = diagnostics
    }
}
