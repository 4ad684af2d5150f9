/// What the tokenizer notes on the side while it emits tokens, when asked
/// (``PythonTokenizer/tokenize(_:marking:holding:watchingTarget:)``): a pass that looks at only a few kinds of token
/// reads these lists instead of walking the whole token array again.
public struct PythonTokenMarks: Sendable, Equatable {
    /// Indices of the string literal tokens (``PythonTokenKind/string`` and
    /// ``PythonTokenKind/fstringMiddle``) that may hold one of the marked words (every one
    /// longer than ``wordTestLimit`` bytes), ascending.
    public var strings: [Int] = []
    /// Indices of the names that stand where a target or key stands and may hold one of the
    /// marked words: followed, past comments, line breaks inside brackets, error tokens and
    /// closing `)` or `]`, by `=`, `:`, `:=` or an augmented assignment (`x = …`, `f(x=…)`,
    /// `x: T`, `{x: …}`, `(x) += …`), ascending.
    public var targets: [Int] = []
    /// Texts up to this many bytes are listed only when they may hold a marked word
    /// (``KeywordSet/mayOccur(in:)``); longer ones always are.
    public static let wordTestLimit = 64
    /// Whether a name spelled exactly as the watched name occurs.
    public var sawWatchedName = false
    /// Whether a name spelled exactly as the watched target stands as a target (`Flow = …`).
    public var sawWatchedTarget = false
    /// The index of the first ``PythonTokenKind/error`` token.
    public var firstError: Int?

    public init(strings: [Int] = [], targets: [Int] = [], sawWatchedName: Bool = false, firstError: Int? = nil) {
        self.strings = strings
        self.targets = targets
        self.sawWatchedName = sawWatchedName
        self.firstError = firstError
    }
}
