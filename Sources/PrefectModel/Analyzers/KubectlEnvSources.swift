import ShellWords
import Spans

extension KubernetesEnvSource {
    /// The Secret or ConfigMap `kubectl create secret generic|configmap` makes; nil when its
    /// name is not literal. Its literals' values are what the shell passes kubectl.
    init?(_ create: KubectlCreateCommand) {
        guard let name = create.name.literalValue else { return nil }
        var env = create.literals.filter { $0.nameIsLiteral && !$0.name.isEmpty }.map { literal in
            var assignment = ShellFactsBuilder.assignment(literal, context: .containerEnv, agentIndex: nil)
            // `"$API_TOKEN"`: the shell fills it in; the Secret holds a value the tool cannot read.
            if assignment.origin != .literal {
                (assignment.value, assignment.origin, assignment.reachesPrefectAsWritten) = ("", .indirect, false)
            }
            return assignment
        }
        // `--from-file [KEY=]PATH`: the key is known, the value (the file's content) is not read.
        for file in create.files {
            guard let written = file.literalValue else { continue }
            let key = written.contains("=") ? String(written.prefix { $0 != "=" }) : String(written.split(separator: "/").last ?? "")
            env.append(EnvAssignment(name: key, nameSpan: file.contentSpan, value: "", valueSpan: nil, origin: .indirect, context: .containerEnv))
        }
        self.init(kind: create.kind, name: name, env: env)
        envFiles = create.envFiles.compactMap(\.literalValue)
        nameHasHashSuffix = create.appendsHash
        // `--from-file=conf/` takes every file of a folder, each a key: only `KEY=PATH` names one.
        hasUnknownKeys = env.count < create.literals.count + create.files.count || envFiles.count < create.envFiles.count
            || create.files.contains { $0.literalValue?.contains("=") != true }
    }
}
