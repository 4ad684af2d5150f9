import Spans

/// The kind of a Python token, named after CPython 3.12's `token` module.
public enum PythonTokenKind: UInt8, Sendable, Hashable, CustomStringConvertible {
    case name
    case number
    /// A complete non-f string literal, prefix and quotes included.
    case string
    /// `f"`, `rf'''` … : the prefix and opening quote of an f-string (PEP 701).
    case fstringStart
    /// Literal text of an f-string or of a format spec, raw (`{{` kept doubled).
    case fstringMiddle
    /// The closing quote of an f-string.
    case fstringEnd
    case op
    case comment
    /// The end of a logical line.
    case newline
    /// A line break that does not end a logical line (blank line, comment line, inside brackets).
    case nl
    case indent
    case dedent
    case endMarker
    /// Input the tokenizer could not read; ``PythonToken/error`` says why. Scanning goes on after it.
    case error

    public var description: String {
        switch self {
        case .name: "NAME"
        case .number: "NUMBER"
        case .string: "STRING"
        case .fstringStart: "FSTRING_START"
        case .fstringMiddle: "FSTRING_MIDDLE"
        case .fstringEnd: "FSTRING_END"
        case .op: "OP"
        case .comment: "COMMENT"
        case .newline: "NEWLINE"
        case .nl: "NL"
        case .indent: "INDENT"
        case .dedent: "DEDENT"
        case .endMarker: "ENDMARKER"
        case .error: "ERRORTOKEN"
        }
    }
}

/// Why a token is an ``PythonTokenKind/error`` token.
public enum PythonTokenError: UInt8, Sendable, Hashable, CustomStringConvertible {
    case none
    case unterminatedString
    case unterminatedTripleQuotedString
    case unterminatedFString
    case inconsistentTabs
    case unindentDoesNotMatch
    case strayCharacter
    case strayBackslash
    case invalidNumber
    case singleClosingBraceInFString
    case unmatchedBracket
    case eofInMultiLineStatement

    public var description: String {
        switch self {
        case .none: "no error"
        case .unterminatedString: "unterminated string literal"
        case .unterminatedTripleQuotedString: "unterminated triple-quoted string literal"
        case .unterminatedFString: "unterminated f-string literal"
        case .inconsistentTabs: "inconsistent use of tabs and spaces in indentation"
        case .unindentDoesNotMatch: "unindent does not match any outer indentation level"
        case .strayCharacter: "invalid character"
        case .strayBackslash: "unexpected character after line continuation character"
        case .invalidNumber: "invalid number literal"
        case .singleClosingBraceInFString: "f-string: single '}' is not allowed"
        case .unmatchedBracket: "unmatched closing bracket"
        case .eofInMultiLineStatement: "unexpected end of file in multi-line statement"
        }
    }
}

/// Prefix and quoting of a string token (``PythonTokenKind/string`` and ``PythonTokenKind/fstringStart``).
public struct PythonStringFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let raw = PythonStringFlags(rawValue: 1)
    public static let bytes = PythonStringFlags(rawValue: 2)
    public static let unicode = PythonStringFlags(rawValue: 4)
    public static let format = PythonStringFlags(rawValue: 8)
    public static let triple = PythonStringFlags(rawValue: 16)
    /// The quote character is `"` (otherwise `'`).
    public static let doubleQuote = PythonStringFlags(rawValue: 32)

    /// Number of prefix letters (`rb` → 2).
    public var prefixLength: Int {
        (contains(.raw) ? 1 : 0) + (contains(.bytes) ? 1 : 0) + (contains(.unicode) ? 1 : 0)
            + (contains(.format) ? 1 : 0)
    }

    /// Length of one quote run: 3 for triple-quoted strings, 1 otherwise.
    public var quoteLength: Int { contains(.triple) ? 3 : 1 }
}

/// One token: a kind, its exact byte span, and string or error details.
///
/// Tokens hold no text; read it from the source bytes with ``span`` so that a whole file
/// is tokenized without allocating a `String` per token.
public struct PythonToken: Sendable, Hashable, CustomStringConvertible {
    public var kind: PythonTokenKind
    public var span: ByteSpan
    /// For strings and f-string starts: prefix letters and quotes. Empty otherwise.
    public var stringFlags: PythonStringFlags
    /// For error tokens: the reason. ``PythonTokenError/none`` otherwise.
    public var error: PythonTokenError
    /// For tokens inside f-string replacement fields: how many f-strings enclose the token.
    public var fstringDepth: UInt8

    public init(
        kind: PythonTokenKind, span: ByteSpan, stringFlags: PythonStringFlags = [],
        error: PythonTokenError = .none, fstringDepth: UInt8 = 0
    ) {
        self.kind = kind
        self.span = span
        self.stringFlags = stringFlags
        self.error = error
        self.fstringDepth = fstringDepth
    }

    /// For a ``PythonTokenKind/string`` token: the bytes between the quotes.
    public var stringContentSpan: ByteSpan? {
        guard kind == .string else { return nil }
        let open = span.start + stringFlags.prefixLength + stringFlags.quoteLength
        return ByteSpan(open, span.end - stringFlags.quoteLength)
    }

    public var description: String {
        kind == .error ? "\(kind)(\(error)) \(span)" : "\(kind) \(span)"
    }

    /// Whether the token's bytes in `source` are exactly `text` (no `String` is made).
    /// Inlinable: parsers and prefilters ask it for almost every token.
    @inlinable
    public func hasText(_ text: StaticString, in source: [UInt8]) -> Bool {
        guard span.length == text.utf8CodeUnitCount, span.start >= 0, span.end <= source.count else { return false }
        let p = text.utf8Start
        for k in 0..<span.length where source[span.start + k] != p[k] { return false }
        return true
    }

    /// An augmented assignment operator: `+=`, `//=`, `<<=` and the rest; not `==`, `!=`,
    /// `<=`, `>=` or `:=`.
    @inlinable
    public func isAugmentedAssignment(in source: [UInt8]) -> Bool {
        guard kind == .op, span.length >= 2, span.end <= source.count, source[span.end - 1] == 0x3D else { return false }
        switch source[span.start] {
        case 0x3D, 0x21, 0x3C, 0x3E, 0x3A:  // == != <= >= :=
            return span.length == 3  // <<= >>=
        default:
            return true
        }
    }
}
