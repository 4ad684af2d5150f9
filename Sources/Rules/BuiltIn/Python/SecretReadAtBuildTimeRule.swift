import PrefectModel

/// PS401 secret-read-at-build-time: `Secret(NAME).get()`, `PrefectSecret(...).run()`,
/// `VaultSecret(...).run()` or `EnvVarSecret(...).run()` while the flow is built. Inside
/// `with Flow(...)` Prefect raises (an error), except for `EnvVarSecret`, which reads the
/// registering machine's environment into the flow (a warning); at module level the value is read whenever the module loads, at registration
/// too, and pickle-based storage keeps it in the stored flow (a warning). So does a component
/// whose constructor reads a credential from the environment (`DbtCloudRunJob()`,
/// `AzureResult(…)`), made there. Facts §1.2, §10 items 14-16.
public struct SecretReadAtBuildTimeRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS401"] }

    static let checkedAPIs: Set<String> = ["Secret.get", "PrefectSecret.run", "VaultSecret.run", "EnvVarSecret.run", "PrefectSecret.get", "EnvVarSecret.get"]

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard let python = context.analysis.facts.python else { return }
        let reads = python.secretReads.filter { Self.checkedAPIs.contains($0.api) || PrefectComponents.constructorEnvReads[$0.api] != nil }
        guard !reads.isEmpty else { return }
        let mainBlocks = reads.contains { $0.place == .moduleLevel } ? PythonMainGuard.blocks(in: context.file.bytes) : []
        // Script-based storage loads the module again in each flow run, where a constructor
        // reads the run's own environment; the others keep what registration read.
        let flows = context.analysis.facts.flows
        let onlyScriptStorage = !flows.isEmpty && flows.allSatisfy { $0.storageType.map(PrefectComponents.scriptStorages.contains) ?? false && !$0.storageIsAmbiguous }
        for read in reads {
            if let component = PrefectComponents.constructorEnvReads[read.api] {
                if onlyScriptStorage { continue }
                // `prefect register` loads the file with another `__name__`: the block does not run there.
                if read.place == .moduleLevel, mainBlocks.contains(where: { $0.contains(read.span.start) }) { continue }
                let variable = read.name ?? component.variable
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: "\(read.api)() reads environment variable \(variable) when it is made, \(read.place == .flowBlock ? "inside `with Flow(...)`" : "at module level"): at registration that machine's value (or None) becomes part of the flow, and pickle-based storage keeps it in the stored flow; \(component.advice)",
                    severity: .warning, secretName: variable)
                continue
            }
            let readsEnvironment = read.api == "EnvVarSecret.run"
            let subject = read.name.map { readsEnvironment ? "environment variable \($0)" : "secret \($0)" } ?? "a secret"
            let what = read.functionName.map { "\($0)() calls \(read.api)(), which reads" } ?? "\(read.api)() reads"
            if read.api.hasSuffix("Secret.get"), read.api != "Secret.get" {
                // Wherever it stands, the call fails: the flow file cannot be loaded or the task fails.
                let task = read.api.dropLast(4)
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: "\(task) is a task and has no get(): Prefect raises AttributeError; pass \(task)(...) to the task that needs the value, or call Secret(...).get() inside a task",
                    severity: .error, secretName: read.name)
                continue
            }
            switch read.place {
            case .flowBlock where readsEnvironment:
                // Only the secret tasks that look up Prefect's secrets refuse to run while a flow is built.
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: "\(what) \(subject) inside `with Flow(...)`, while the flow is built: at registration that machine's value (or None) becomes a constant of the flow, and pickle-based storage keeps it in the stored flow; pass EnvVarSecret(...) to the task instead, which reads the variable when the flow runs",
                    severity: .warning, secretName: read.name)
            case .flowBlock:
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: Self.raisesInFlowBlock("\(what) \(subject)"),
                    severity: .error, secretName: read.name)
            case .moduleLevel:
                // `prefect register` loads the file with another `__name__`: the block does not run there.
                if mainBlocks.contains(where: { $0.contains(read.span.start) }) { continue }
                // Nor in a script that builds no flow and drives the API at its top level
                // (creates flow runs, sets Cloud secrets): a person runs it, no flow imports it.
                if !python.buildsFlow, python.callsClientAtModuleLevel { continue }
                let (source, task) = readsEnvironment ? ("environment", "EnvVarSecret") : ("secrets", "PrefectSecret")
                // A module that builds no flow (a helper, or a script run on its own) matters
                // where a flow's module imports it.
                let when = python.buildsFlow ? "it runs whenever the module is loaded" : "in a module that builds no flow, it runs whenever a flow's module imports it"
                sink.report(
                    "PS401", path: context.file.path, span: read.span,
                    message: Self.readsAtModuleLevel("\(what) \(subject)", when: when, source: source, task: task),
                    severity: .warning, secretName: read.name)
            default:
                continue
            }
        }
    }

    /// The message for a read of a secret or variable at module level; `when` says when the
    /// module runs, `source` what is read (`secrets`, `environment`), `task` the task to use.
    static func readsAtModuleLevel(_ read: String, when: String, source: String, task: String) -> String {
        "\(read) at module level: \(when), at registration too, with that machine's \(source), and pickle-based storage keeps the value in the stored flow; pass \(task)(...) to the task instead"
    }

    /// The message for a read of a secret inside `with Flow(...)`, where Prefect raises; `read`
    /// says what reads what (`get_password() calls PrefectSecret.run(), which reads secret DB`).
    static func raisesInFlowBlock(_ read: String) -> String {
        "\(read) inside `with Flow(...)`: Prefect raises \"Secrets should only be retrieved during a Flow run, not while building a Flow.\"; pass PrefectSecret(...) to the task instead"
    }
}
