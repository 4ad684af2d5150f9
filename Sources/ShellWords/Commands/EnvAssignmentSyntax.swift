import Spans

/// One environment-variable assignment found in a shell-like file, with where it came from.
///
/// Syntax only: nothing is expanded, and `value` tells whether the text is literal.
public struct EnvAssignmentSyntax: Hashable, Sendable {
    /// The construct the assignment was written in.
    public enum Context: String, Hashable, Sendable, CaseIterable {
        /// `export NAME=value` (also `declare -x`).
        case export
        /// `NAME=value cmd`, a prefix that reaches only that command.
        case commandPrefix
        /// `NAME=value` alone: a shell variable, exported only if an `export NAME` follows.
        case shellVariable
        /// `env NAME=value cmd`.
        case envCommand
        /// `prefect agent … --env/-e NAME=value`.
        case agentEnvFlag
        /// `docker run -e/--env NAME=value`.
        case dockerRunEnv
        case dotenv
        case dockerfileEnv
        case dockerfileArg
        case systemdEnvironment
        case supervisordEnvironment
        /// `NAME=value` on a line of its own in a crontab: in the environment of every job.
        case crontabEnvironment
        /// `NAME = value` in a Makefile (a make variable, exported to recipes only with `export`).
        case makeVariable
        /// `export NAME = value` in a Makefile.
        case makeExport
        /// `echo "NAME=value" >> $GITHUB_ENV`: in the environment of a GitHub job's later steps.
        case githubEnvFile
    }

    /// The variable name (may be empty: `--env =V`).
    public var name: String
    /// Where the name is, quotes left out.
    public var nameSpan: ByteSpan
    /// The text after the first `=`; nil when there was none (`export NAME`, `docker run -e NAME`,
    /// a malformed `--env NAME`).
    public var value: ShellWord?
    /// The whole `NAME=value` text as written.
    public var span: ByteSpan
    /// Where the assignment was written.
    public var context: Context
    /// False when the name itself is built from references (`--env "$N=1"`).
    public var nameIsLiteral: Bool
    /// An `--env` argument without `=`: Prefect's agent crashes on it.
    public var isMalformed: Bool
    /// Found in documentation (a Markdown code fence), not in something that runs.
    public var inDocumentation: Bool
    /// A dotenv line written `export KEY=value` (or `export KEY`): what a shell that sources
    /// the file exports without `set -a`.
    public var hasExportKeyword = false

    public init(
        name: String, nameSpan: ByteSpan, value: ShellWord?, span: ByteSpan, context: Context,
        nameIsLiteral: Bool = true, isMalformed: Bool = false, inDocumentation: Bool = false
    ) {
        self.name = name
        self.nameSpan = nameSpan
        self.value = value
        self.span = span
        self.context = context
        self.nameIsLiteral = nameIsLiteral
        self.isMalformed = isMalformed
        self.inDocumentation = inDocumentation
    }

    /// True when the value has no references (or there is no value).
    public var valueIsLiteral: Bool { value?.isLiteral ?? true }

    /// Builds an assignment from one `NAME=value` word (split on the first `=`).
    ///
    /// Without `=`, the result has no value; `malformedWithoutEquals` marks that as an error
    /// (for `--env`), otherwise it is a plain pass-through name (`export NAME`).
    public static func fromWord(
        _ word: ShellWord, context: Context, malformedWithoutEquals: Bool
    ) -> EnvAssignmentSyntax {
        if let (name, value) = word.splitAtFirstEquals() {
            return EnvAssignmentSyntax(
                name: name.value, nameSpan: name.contentSpan, value: value, span: word.span, context: context,
                nameIsLiteral: name.isLiteral)
        }
        let literal = word.isLiteral
        return EnvAssignmentSyntax(
            name: word.value, nameSpan: word.contentSpan, value: nil, span: word.span, context: context,
            nameIsLiteral: literal, isMalformed: malformedWithoutEquals && literal)
    }

    /// From a parsed `NAME=value` shell assignment.
    public static func fromAssignment(_ a: ShellAssignment, context: Context) -> EnvAssignmentSyntax {
        EnvAssignmentSyntax(name: a.name, nameSpan: a.nameSpan, value: a.value, span: a.span, context: context)
    }
}
