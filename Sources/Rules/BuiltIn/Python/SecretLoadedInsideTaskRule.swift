import PrefectModel

/// PS402 secret-loaded-inside-task: a `@task` function or a `Task.run` method loads a secret
/// itself (`Secret(...).get()`, `PrefectSecret(...).run()`, `EnvVarSecret(...).run()`) instead
/// of receiving it as an argument. `run` methods of secret tasks are exempt.
public struct SecretLoadedInsideTaskRule: FileRule {
    public init() {}
    public var codes: [String] { ["PS402"] }

    static let loadingAPIs: Set<String> = ["Secret.get", "PrefectSecret.run", "EnvVarSecret.run", "VaultSecret.run"]

    public func check(_ context: FileContext, into sink: inout FindingSink) {
        guard let python = context.analysis.facts.python else { return }
        for read in python.secretReads where Self.loadingAPIs.contains(read.api) {
            guard read.place == .taskFunction || read.place == .taskRunMethod else { continue }
            // A name the call does not spell (a loop variable over literals) is the references' there.
            var names = read.name.map { [$0] } ?? []
            if names.isEmpty {
                for reference in context.analysis.facts.secretReferences where read.span.contains(reference.span) {
                    if let name = reference.name, !names.contains(name) { names.append(name) }
                }
            }
            let subject = names.isEmpty ? "a secret" : names.count == 1 ? "secret \(names[0])" : "secrets \(names.joined(separator: ", ")) (one a pass)"
            let owner = read.functionName.map { read.place == .taskFunction ? "task \($0)" : $0 } ?? "a task"
            sink.report(
                "PS402", path: context.file.path, span: read.span,
                message: "\(owner) loads \(subject) itself with \(read.api)(); take \(names.count > 1 ? "them as parameters" : "it as a parameter") and pass \(read.api == "EnvVarSecret.run" ? "EnvVarSecret" : "PrefectSecret")(...) in the flow",
                secretName: read.name)
        }
    }
}
