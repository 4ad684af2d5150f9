import ShellWords
import Spans
import YAML

/// ECS task definitions, YAML or JSON (facts §4.3). An ECS agent runs a flow in the container
/// named `flow` (the first of that name; it adds an empty one when there is none) and keeps
/// that container's `environment` and `secrets` for the names it does not set itself: that env
/// is the file's run template env. Other containers' env never reaches the flow run. A
/// container whose `entryPoint` and `command` start an agent is that agent, with its env.
extension YAMLExtractor {
    mutating func addECSTaskDefinition(_ root: YAMLNode) {
        addECSContainers(root["containerDefinitions"]?.sequence ?? [])
    }

    /// The `Properties` of a CloudFormation template's `AWS::ECS::TaskDefinition` resources,
    /// with their keys spelled as in a task definition (`ContainerDefinitions` →
    /// `containerDefinitions`) and intrinsic functions read as the text they stand for: the
    /// template of `!Sub`/`Fn::Sub` (whose `${Name}` read as references), `${Name}` for
    /// `!Ref Name`, a reference for the others. `hidden`: the spans of intrinsic functions
    /// whose pieces (a `!Join` list, the variables of a `!Sub`) may be values no reader sees.
    static func cloudFormationTaskDefinitions(_ root: YAMLNode) -> (properties: [YAMLNode], hidden: [ByteSpan]) {
        var hidden: [ByteSpan] = []
        func intrinsic(_ node: YAMLNode) -> YAMLNode? {
            let function: String
            let argument: YAMLNode
            let isShortForm: Bool
            if let tag = node.tag, tag.hasPrefix("!") {
                (function, argument, isShortForm) = (String(tag.dropFirst()), node, true)
            } else if let pairs = node.pairs, pairs.count == 1, let key = pairs[0].key.scalar, key == "Ref" || key.hasPrefix("Fn::") {
                (function, argument, isShortForm) = (key.hasPrefix("Fn::") ? String(key.dropFirst(4)) : key, pairs[0].value.resolved, false)
            } else {
                return nil
            }
            switch function {
            case "Ref": if let name = argument.scalar { return node.replaced(byScalar: "${\(name)}") }
            case "Sub":
                // The template's own scalar, so that offsets in it stay exact.
                if argument.kind == .scalar { return isShortForm ? node : argument }
                if let template = argument.sequence?.first, template.resolved.kind == .scalar {
                    hidden.append(node.span)
                    return template.resolved
                }
            default: break
            }
            hidden.append(node.span)
            return node.replaced(byScalar: "${\(function)}")
        }
        let properties = cloudFormationTaskDefinitionProperties(root).map { properties in
            properties.rewritten(node: intrinsic) { pair in
                guard let key = pair.key.scalar, let first = key.first, first.isUppercase,
                    let renamed = pair.key.withScalar(first.lowercased() + key.dropFirst())
                else { return pair }
                return YAMLPair(key: renamed, value: pair.value)
            }
        }
        return (properties, hidden)
    }

    /// The `Properties` mappings of a template's `AWS::ECS::TaskDefinition` resources, as written.
    static func cloudFormationTaskDefinitionProperties(_ root: YAMLNode) -> [YAMLNode] {
        (root["Resources"]?.mergedPairs ?? []).compactMap { resource in
            guard resource.value["Type"]?.scalar == "AWS::ECS::TaskDefinition", let properties = resource.value["Properties"],
                properties.resolved.kind == .mapping
            else { return nil }
            return properties
        }
    }

    /// The task definitions of a CloudFormation template.
    mutating func addCloudFormation(_ root: YAMLNode) {
        let (definitions, hidden) = Self.cloudFormationTaskDefinitions(root)
        for span in hidden { builder.hideValue(span) }
        for properties in definitions { addECSTaskDefinition(properties) }
    }

    /// A task definition's containers (`containerDefinitions`, or a file that is the list).
    mutating func addECSContainers(_ containers: [YAMLNode]) {
        var flowEnv: [EnvAssignment]?
        var flowImage: String?
        var unseen: [String] = []
        for container in containers where container.resolved.kind == .mapping {
            let isFlow = flowEnv == nil && container["name"]?.scalar == "flow"
            let context: EnvContext = isFlow ? .jobTemplateEnv : .containerEnv
            // `secrets` entries (`valueFrom` an SSM parameter or Secrets Manager ARN) are set
            // when the task starts, like `environment` ones.
            let env = kubernetesEnvList(container["environment"], context: context) + kubernetesEnvList(container["secrets"], context: context)
            // A container that starts an agent (`"command": ["prefect", "agent", "ecs", "start", …]`).
            let words = execWords(container["entryPoint"]) + execWords(container["command"])
            // The container as the launcher of what it runs, written at `span`; files in S3 the
            // task loads at start set variables the tool cannot list.
            let containerUnseen = (container["environmentFiles"]?.sequence ?? []).isEmpty ? [] : ["the environmentFiles"]
            func launcher(at span: ByteSpan) -> Launcher {
                var launcher = Launcher(kind: .ecsContainer, name: container["name"]?.scalar ?? "container", env: env, envFiles: [], span: span)
                launcher.unseenEnvSources = containerUnseen
                return launcher
            }
            if !words.isEmpty {
                var scope = ShellScope(env: env)
                let options = ShellAgentOptions(installIsAgent: false, bracedReferencesMayBeFilledIn: true)
                let shell = ShellFileReader.readArguments(words)
                builder.addShellFacts(shell, scope: &scope, options: options) { _ in }
                if !isFlow {
                    // A container that runs a project script runs its agents, as a Kubernetes one does.
                    addLaunchedScripts(of: shell, by: launcher(at: words[0].span.union(words[words.count - 1].span)))
                }
            }
            if words.isEmpty, !isFlow, container["entryPoint"] == nil, container["command"] == nil, let image = container["image"], let name = image.scalar {
                // The image's own command: the agent of the Dockerfile the project builds it from.
                builder.addImageRun(ImageRun(image: name, launcher: launcher(at: image.span)))
            }
            if isFlow {
                flowEnv = env
                flowImage = container["image"]?.scalar
                // Files in S3 the task loads at start: variables the tool cannot list.
                if !(container["environmentFiles"]?.sequence ?? []).isEmpty { unseen.append("the environmentFiles of its flow container") }
            }
        }
        builder.setRunTemplate(RunTemplate(agentType: .ecs, env: flowEnv ?? [], unseenSources: unseen, image: flowImage))
    }
}

/// Reads `.json` files that are an ECS task definition (an object with `containerDefinitions`)
/// as the YAML they also are, as Prefect's `yaml.safe_load` does; other JSON files have no
/// facts, and no parse errors: the tool only looks for task definitions in them.
public struct ECSTaskDefinitionJSONAnalyzer: FileAnalyzer {
    public init() {}

    static let marker = Array("\"containerDefinitions\"".utf8)
    static let cloudFormationMarker = Array("AWS::ECS::TaskDefinition".utf8)
    /// A file that is a list of container definitions (Terraform's `container_definitions`).
    static let containerListMarker = Array("\"command\"".utf8)
    /// Task definitions are a few kilobytes; a larger JSON file that names the key is a dump
    /// or a list of them, which no agent reads as one and which is not worth a YAML parse.
    static let sizeLimit = 1 << 20

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        // A byte order mark may come first (`yaml.safe_load` accepts it).
        let body = file.bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? file.bytes.dropFirst(3) : file.bytes[...]
        let first = body.first(where: { !Self.isJSONSpace($0) })
        let isObject = first == 0x7B  // {
            && (ByteSearch.contains(Self.marker, in: file.bytes) || ByteSearch.contains(Self.cloudFormationMarker, in: file.bytes))
        let isList = first == 0x5B && ByteSearch.contains(Self.containerListMarker, in: file.bytes)  // [
        guard file.bytes.count <= Self.sizeLimit, isObject || isList else { return FileAnalysis(kind: kind) }
        let parsed = try? YAMLStream.parse(file)
        let root = parsed?.documents.count == 1 ? parsed?.documents.first?.root.resolved : nil
        if isList {
            // A list of mappings that each have a `name`: container definitions.
            let containers = root?.sequence ?? []
            guard !containers.isEmpty, containers.allSatisfy({ $0.resolved.kind == .mapping && $0["name"]?.scalar != nil }) else {
                return FileAnalysis(kind: kind)
            }
            var extractor = YAMLExtractor(file: file)
            extractor.addECSContainers(containers)
            return FileAnalysis(kind: kind, facts: extractor.builder.finish())
        }
        let documentKind = root.map { YAMLDocumentKind.classify($0, path: file.path) }
        if let root, documentKind == .cloudFormation {
            var extractor = YAMLExtractor(file: file)
            extractor.addCloudFormation(root)
            return FileAnalysis(kind: kind, facts: extractor.builder.finish())
        }
        guard let root, documentKind == .ecsTaskDefinition else {
            // A CloudFormation template that does not parse is not known to be one.
            guard ByteSearch.contains(Self.marker, in: file.bytes) else { return FileAnalysis(kind: kind) }
            // A task definition that does not parse (cut off, a comma missing) tells no env
            // entry from another: every string value is hidden in the frames of other findings.
            var facts = FileFacts()
            facts.unnamedValueSpans = Self.stringValueSpans(file.bytes)
            return FileAnalysis(kind: kind, facts: facts)
        }
        var extractor = YAMLExtractor(file: file)
        extractor.addECSTaskDefinition(root.resolved)
        return FileAnalysis(kind: kind, facts: extractor.builder.finish())
    }

    /// The contents of the JSON strings that follow a `:` (member values), an unterminated
    /// one to the end of the file.
    static func stringValueSpans(_ bytes: [UInt8]) -> [ByteSpan] {
        var spans: [ByteSpan] = []
        var previous: UInt8 = 0
        var k = 0
        while k < bytes.count {
            let c = bytes[k]
            guard c == 0x22 else {
                if !isJSONSpace(c) { previous = c }
                k += 1
                continue
            }
            var end = k + 1
            while end < bytes.count, bytes[end] != 0x22 {
                end += bytes[end] == 0x5C ? 2 : 1  // a backslash escapes the next byte
            }
            end = min(end, bytes.count)
            if previous == 0x3A, end > k + 1 { spans.append(ByteSpan(k + 1, end)) }  // after `:`
            previous = 0x22
            k = end + 1
        }
        return spans
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
}
