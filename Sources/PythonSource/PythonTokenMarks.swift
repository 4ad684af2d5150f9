/// What the tokenizer notes on the side while it emits tokens, when asked
/// (``PythonTokenizer/tokenize(_:marking:)``): a pass that looks at only a few kinds of token
/// reads these lists instead of walking the whole token array again.
public struct PythonTokenMarks: Sendable, Equatable {
    /// Indices of the string literal tokens (``PythonTokenKind/string`` and
    /// ``PythonTokenKind/fstringMiddle``), ascending.
    public var strings: [Int] = []
    /// Indices of the names that stand where a target or key stands: followed, past comments,
    /// line breaks inside brackets, error tokens and closing `)` or `]`, by `=`, `:`, `:=` or an
    /// augmented assignment (`x = …`, `f(x=…)`, `x: T`, `{x: …}`, `(x) += …`), ascending.
    public var targets: [Int] = []
    /// Whether a name spelled exactly as the watched name occurs.
    public var sawWatchedName = false

    public init(strings: [Int] = [], targets: [Int] = [], sawWatchedName: Bool = false) {
        self.strings = strings
        self.targets = targets
        self.sawWatchedName = sawWatchedName
    }
}
