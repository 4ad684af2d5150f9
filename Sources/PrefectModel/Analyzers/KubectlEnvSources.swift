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
        env += create.files.compactMap { file in file.literalValue.map { Self.fileKey($0, at: file.contentSpan) } }
        self.init(kind: create.kind, name: name, env: env)
        envFiles = create.envFiles.compactMap(\.literalValue)
        nameHasHashSuffix = create.appendsHash
        // `--from-file=conf/` takes every file of a folder, each a key: only `KEY=PATH` names one.
        hasUnknownKeys = env.count < create.literals.count + create.files.count || envFiles.count < create.envFiles.count
            || create.files.contains { $0.literalValue?.contains("=") != true }
    }

    /// A `[KEY=]PATH` file source (kubectl's `--from-file`, a kustomize generator's `files`):
    /// the key is the text before `=`, else the file's name; its value, the file's content,
    /// is not read.
    static func fileKey(_ written: String, at span: ByteSpan) -> EnvAssignment {
        let key = written.contains("=") ? String(written.prefix { $0 != "=" }) : String(written.split(separator: "/").last ?? "")
        return EnvAssignment(name: key, nameSpan: span, value: "", valueSpan: nil, origin: .indirect, context: .containerEnv)
    }
}
