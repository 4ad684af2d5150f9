import PrefectModel

/// PS405 hardcoded-secret-name: a reusable component — a `@task` function, a `Task` subclass
/// or a helper function in a module that builds no flow — reads a secret under a fixed name
/// (a literal or a module constant). Names that arrive as parameters are not findings.
public struct HardcodedSecretNameRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS405"] }

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard let python = context.analysis.facts.python, !python.buildsFlow else { return }
        for read in python.secretReads {
            guard let name = read.name else { continue }
            switch read.place {
            case .taskFunction, .taskRunMethod, .otherFunction: break
            default: continue
            }
            let owner = read.functionName ?? "this component"
            sink.report(
                "PS405", path: context.file.path, span: read.span,
                message: "\(owner) always reads secret \(name); take the secret name as a parameter (e.g. a *_secret argument with this default) so other flows can pass their own",
                secretName: name)
        }
    }
}
