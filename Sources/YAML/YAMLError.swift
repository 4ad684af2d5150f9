import Spans

/// A YAML file that cannot be read: libyaml's reader, scanner or parser rejected it, or an alias
/// is undefined, recursive or expands past the limit. Always positioned; never carries input text.
public struct YAMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Which stage found the problem.
    public enum Kind: Sendable, Hashable {
        /// Bytes that are not valid UTF-8 or contain characters YAML forbids.
        case reader
        /// libyaml's scanner (tokens: keys, indentation, quotes).
        case scanner
        /// libyaml's parser (structure: block mappings, flow collections, documents).
        case parser
        /// `*name` with no `&name` before it in the same document.
        case undefinedAlias
        /// `*name` inside the node `&name` is defined on.
        case recursiveAlias
        /// Aliases expand to more nodes than the limit (a "billion laughs" alias bomb).
        case aliasLimit
        /// Collections nested deeper than the depth limit.
        case depthLimit
        /// libyaml could not allocate memory or start.
        case resource
    }

    /// Which stage found the problem.
    public var kind: Kind
    /// Where the problem was found (libyaml's problem mark, converted to bytes; usually empty).
    public var span: ByteSpan
    /// What is wrong, in libyaml's words (e.g. "could not find expected ':'").
    public var problem: String
    /// What was being read, in libyaml's words (e.g. "while scanning a simple key"), if known.
    public var context: String?
    /// Where that context started (e.g. the simple key), if known.
    public var contextSpan: ByteSpan?

    /// An error of `kind` at `span`; `context` and `contextSpan` as libyaml reports them.
    public init(kind: Kind, span: ByteSpan, problem: String, context: String? = nil, contextSpan: ByteSpan? = nil) {
        self.kind = kind
        self.span = span
        self.problem = problem
        self.context = context
        self.contextSpan = contextSpan
    }

    /// "problem context", e.g. "could not find expected ':' while scanning a simple key".
    public var message: String {
        guard let context, !context.isEmpty else { return problem }
        return "\(problem) \(context)"
    }

    /// `offset: message`, for logs and test output.
    public var description: String { "\(span.start): \(message)" }

    /// The error as a shared diagnostic, for PS900 findings and `path:line:col: message` output.
    public var diagnostic: SourceDiagnostic { SourceDiagnostic(span: span, message: message) }
}
