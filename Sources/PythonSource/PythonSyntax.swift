import Spans

/// Where a node sits: which function, class and `with` block enclose it.
///
/// Rules need "module level or inside a function body" (code at module level runs when a flow
/// is registered, code in a function runs when it is called) and "inside `with Flow(...)`".
public struct PythonContext: Sendable, Hashable {
    /// Index into ``PythonModule/functions`` of the innermost enclosing `def`.
    public var function: Int?
    /// Index into ``PythonModule/classes`` of the innermost enclosing `class`.
    public var classIndex: Int?
    /// Index into ``PythonModule/withBlocks`` of the innermost enclosing `with` body.
    public var withBlock: Int?

    public init(function: Int? = nil, classIndex: Int? = nil, withBlock: Int? = nil) {
        self.function = function
        self.classIndex = classIndex
        self.withBlock = withBlock
    }

    /// True outside every function body (class bodies run at import time, so they count as module level).
    public var isModuleLevel: Bool { function == nil }
}

/// A string literal expression: one token or adjacent ones (`"a" f"{b}"`).
public struct PythonStringLiteral: Sendable, Hashable {
    public var span: ByteSpan
    /// Spans of each adjacent literal (a whole f-string counts as one).
    public var parts: [ByteSpan]
    /// The decoded value when every part is a plain (non-f) literal of the same kind.
    public var value: PythonStringValue?
    /// True when any part is an f-string.
    public var isFString: Bool
    public var isBytes: Bool
}

/// A name or dotted name as written (`prefect.client.Secret`), with what it denotes through the imports.
public struct PythonName: Sendable, Hashable {
    public var text: String
    public var span: ByteSpan
    /// The fully qualified name through the imports seen before it (`PS` → `prefect.tasks.secrets.PrefectSecret`);
    /// nil when the first component was not imported (a builtin or a local name).
    public var resolved: String?

    /// The part after the last dot (`get` of `s.get`); the whole text when there is none.
    public var lastComponent: String { Self.lastComponent(of: text) }

    /// The part of a dotted name after its last dot, read on UTF-8 (`Secret` of `prefect.client.Secret`).
    public static func lastComponent(of dotted: String) -> String {
        ASCIIBytes.suffix(afterLast: 0x2E, in: dotted) ?? dotted
    }

    /// Whether the name is dotted (`os.environ`).
    public var isDotted: Bool { text.utf8.contains(0x2E) }
}

/// A shallow expression: enough for rules to read literals, names and calls; the rest keeps only its span.
public indirect enum PythonExpression: Sendable, Hashable {
    case string(PythonStringLiteral)
    case number(ByteSpan)
    case name(PythonName)
    case call(PythonCall)
    /// `base.name` where `base` is not a plain dotted name (`Secret("X").get`).
    case attribute(base: PythonExpression, name: String, span: ByteSpan)
    case `subscript`(base: PythonExpression, span: ByteSpan)
    case dict(PythonDict)
    case sequence(PythonSequence)
    /// `a + b + …` with no other operator: strings, lists and tuples concatenate, numbers add.
    case sum(operands: [PythonExpression], span: ByteSpan)
    /// Anything else (other operators, lambdas, comprehensions, `None`): only its span.
    case other(ByteSpan)

    public var span: ByteSpan {
        switch self {
        case .string(let s): s.span
        case .number(let span): span
        case .name(let n): n.span
        case .call(let c): c.span
        case .attribute(_, _, let span): span
        case .subscript(_, let span): span
        case .dict(let d): d.span
        case .sequence(let s): s.span
        case .sum(_, let span): span
        case .other(let span): span
        }
    }

    /// The string literal, when this is one.
    public var stringLiteral: PythonStringLiteral? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The dotted name, when this is one.
    public var dottedName: PythonName? {
        if case .name(let n) = self { return n }
        return nil
    }
}

/// One argument of a call or class header.
public struct PythonArgument: Sendable, Hashable {
    /// How the argument is passed.
    public enum Kind: Sendable, Hashable { case positional, keyword, star, doubleStar }
    public var kind: Kind
    /// The keyword of a keyword argument.
    public var keyword: String?
    public var keywordSpan: ByteSpan?
    public var value: PythonExpression
    /// From the keyword (or `*`) to the end of the value.
    public var span: ByteSpan
}

/// A call `callee(arguments)`.
public struct PythonCall: Sendable, Hashable {
    public var callee: PythonExpression
    /// The callee as written when it is a dotted name.
    public var calleeName: String?
    /// The callee resolved through the imports (see ``PythonName/resolved``).
    public var resolvedName: String?
    public var arguments: [PythonArgument]
    /// From the callee to the closing parenthesis.
    public var span: ByteSpan
    /// From `(` to `)` inclusive.
    public var argumentsSpan: ByteSpan
    public var context: PythonContext

    /// For a method called on a call's result (`Secret("X").get()`), the inner call.
    public var receiverCall: PythonCall? {
        if case .attribute(.call(let inner), _, _) = callee { return inner }
        return nil
    }

    /// The attribute name of a method call (`get` in `Secret("X").get()`, `Secret` in `client.Secret(...)`).
    public var methodName: String? {
        switch callee {
        case .attribute(_, let name, _): return name
        case .name(let n): return n.lastComponent
        default: return nil
        }
    }

    /// The positional argument at `index`.
    public func positional(_ index: Int) -> PythonArgument? {
        var seen = 0
        for argument in arguments where argument.kind == .positional {
            if seen == index { return argument }
            seen += 1
        }
        return nil
    }

    /// The keyword argument named `keyword`.
    public func keyword(_ keyword: String) -> PythonArgument? {
        arguments.first { $0.kind == .keyword && $0.keyword == keyword }
    }
}

/// One `key: value` (or `**spread`, with no key) of a dict literal.
public struct PythonDictEntry: Sendable, Hashable {
    public var key: PythonExpression?
    public var value: PythonExpression
    public var span: ByteSpan
}

/// A dict literal `{k: v, ...}` (a dict comprehension is ``PythonExpression/other(_:)``).
public struct PythonDict: Sendable, Hashable {
    public var entries: [PythonDictEntry]
    public var span: ByteSpan
    public var context: PythonContext
}

/// A list, tuple or set display (a bare tuple `a, b` included).
public struct PythonSequence: Sendable, Hashable {
    /// Which bracket made it.
    public enum Kind: Sendable, Hashable { case list, tuple, set }
    public var kind: Kind
    public var elements: [PythonExpression]
    public var span: ByteSpan
}

/// One name bound by an import statement.
public struct PythonImport: Sendable, Hashable {
    /// The module as written, without leading dots (`prefect.tasks.secrets`; empty for `from . import x`).
    public var module: String
    /// Leading dots of a relative import.
    public var level: Int
    /// The imported name of a `from` import (`PrefectSecret`, or `*`); nil for `import a.b`.
    public var name: String?
    public var alias: String?
    /// The name the statement binds (`PS`, `prefect`, `pc`); empty for `*`.
    public var boundName: String
    /// What the bound name denotes (`prefect.tasks.secrets.PrefectSecret`; relative: `..mod.x`).
    public var target: String
    /// The span of this name with its alias (`PrefectSecret as PS`).
    public var span: ByteSpan
    public var statementSpan: ByteSpan
    public var context: PythonContext
}

/// An assignment: `a = b = v`, `x: T = v`, `a, b = v`, `n += 1`.
public struct PythonAssignment: Sendable, Hashable {
    /// The targets, left to right (a tuple target is one ``PythonExpression/sequence(_:)``).
    public var targets: [PythonExpression]
    /// `=`, an augmented operator (`+=`), or `:` for an annotated assignment.
    public var op: String
    public var annotation: PythonExpression?
    /// Nil for an annotation without value (`x: int`).
    public var value: PythonExpression?
    public var span: ByteSpan
    public var context: PythonContext

    /// Dotted names among the targets, tuple targets flattened (`a, self.b = …` → `a`, `self.b`).
    public var targetNames: [PythonName] {
        var names: [PythonName] = []
        func walk(_ e: PythonExpression) {
            switch e {
            case .name(let n): names.append(n)
            case .sequence(let s): s.elements.forEach(walk)
            default: break
            }
        }
        targets.forEach(walk)
        return names
    }
}

/// One item of a `with` statement: `context [as target]`.
public struct PythonWithItem: Sendable, Hashable {
    public var context: PythonExpression
    public var target: PythonExpression?
}

/// A `with` (or `async with`) statement and the extent of its body.
public struct PythonWith: Sendable, Hashable {
    public var items: [PythonWithItem]
    public var isAsync: Bool
    /// From `with` (or `async`) to the end of the body.
    public var span: ByteSpan
    public var bodySpan: ByteSpan
    public var context: PythonContext
}

/// A parameter of a function definition.
public struct PythonParameter: Sendable, Hashable {
    /// How the parameter is declared.
    public enum Kind: Sendable, Hashable { case normal, varArgs, keywordArgs }
    public var name: String
    public var kind: Kind
    public var span: ByteSpan
    public var annotation: PythonExpression?
    public var defaultValue: PythonExpression?
}

/// A `def` (or `async def`) with its decorators and body extent.
public struct PythonFunction: Sendable, Hashable {
    public var name: String
    public var nameSpan: ByteSpan
    public var decorators: [PythonExpression]
    public var parameters: [PythonParameter]
    public var isAsync: Bool
    /// From the first decorator (or `def`) to the end of the body.
    public var span: ByteSpan
    public var bodySpan: ByteSpan
    /// Where the definition itself sits.
    public var context: PythonContext
}

/// A `class` with its decorators, bases and body extent.
public struct PythonClass: Sendable, Hashable {
    public var name: String
    public var nameSpan: ByteSpan
    public var decorators: [PythonExpression]
    public var bases: [PythonArgument]
    public var span: ByteSpan
    public var bodySpan: ByteSpan
    public var context: PythonContext
}
