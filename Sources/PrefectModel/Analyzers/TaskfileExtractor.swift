import ShellWords
import Spans
import YAML

/// go-task's Taskfiles (`Taskfile.yml`): a task's `cmds` run with the Taskfile's and the
/// task's `env` (the task's winning), after the variables of the `dotenv` files of both,
/// which neither overrides; `{{.NAME}}` in them are go-task's variables (references).
extension YAMLExtractor {
    /// `Taskfile.yml`, `taskfile.yaml`, `Taskfile.dist.yml`, … with a `tasks` mapping.
    static func isTaskfile(_ root: YAMLNode, name: String) -> Bool {
        (name.hasPrefix("taskfile.") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))) && root["tasks"]?.resolved.kind == .mapping
    }

    mutating func addTaskfile(_ root: YAMLNode) {
        let globalEnv = envMapping(root["env"], context: .taskfileEnv)
        let globalDotenv = Self.items(root["dotenv"]).compactMap(\.scalar)
        for task in root["tasks"]?.mergedPairs ?? [] where task.value.resolved.kind == .mapping {
            let node = task.value.resolved
            let env = globalEnv + envMapping(node["env"], context: .taskfileEnv)
            let dotenv = Self.items(node["dotenv"]).compactMap(\.scalar) + globalDotenv
            for item in Self.items(node["cmds"]) {
                // `- prefect agent …`, or `- cmd: prefect agent …` (not `- task: other`).
                guard let line = item.resolved.kind == .scalar ? item : item["cmd"], line.resolved.kind == .scalar else { continue }
                let shell = renderedCommand(line).shell
                var scope = ShellScope(env: env)
                builder.addShellFacts(shell, scope: &scope) { agent in
                    agent.envFiles = dotenv + agent.envFiles
                    agent.envFilesAreRelativeToFile = true
                }
            }
        }
    }
}
