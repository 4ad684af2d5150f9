import Spans
import YAML

/// ECS task definitions, YAML or JSON (facts §4.3). An ECS agent runs a flow in the container
/// named `flow` (the first of that name; it adds an empty one when there is none) and keeps
/// that container's `environment` and `secrets` for the names it does not set itself: that env
/// is the file's run template env. Other containers' env never reaches the flow run.
extension YAMLExtractor {
    mutating func addECSTaskDefinition(_ root: YAMLNode) {
        var flowEnv: [EnvAssignment]?
        for container in root["containerDefinitions"]?.sequence ?? [] where container.resolved.kind == .mapping {
            let isFlow = flowEnv == nil && container["name"]?.scalar == "flow"
            let context: EnvContext = isFlow ? .jobTemplateEnv : .containerEnv
            // `secrets` entries (`valueFrom` an SSM parameter or Secrets Manager ARN) are set
            // when the task starts, like `environment` ones.
            let env = kubernetesEnvList(container["environment"], context: context) + kubernetesEnvList(container["secrets"], context: context)
            if isFlow { flowEnv = env }
        }
        builder.setRunTemplate(RunTemplate(agentType: .ecs, env: flowEnv ?? []))
    }
}

/// Reads `.json` files that hold an ECS task definition (`containerDefinitions`) as the YAML
/// they also are, as Prefect's `yaml.safe_load` does; other JSON files have no facts.
public struct ECSTaskDefinitionJSONAnalyzer: FileAnalyzer {
    public init() {}

    static let marker = Array("\"containerDefinitions\"".utf8)

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        guard ByteSearch.contains(Self.marker, in: file.bytes) else { return FileAnalysis(kind: kind) }
        let analysis = YAMLAnalyzer().analyze(file, kind: kind)
        // JSON the YAML reader refuses (tabs before a key, say) is not a parse error of this
        // tool's business: it only looks for task definitions.
        return analysis.diagnostics.isEmpty ? analysis : FileAnalysis(kind: kind)
    }
}
