import ShellWords
import Spans
import YAML

/// Reads YAML files: Kubernetes manifests (agents, Prefect job templates), ECS task
/// definitions, docker-compose files, Helm values of Prefect Server's chart, GitHub Actions
/// workflows and GitLab CI files.
/// Which env reaches flow runs follows facts §4.3-4.5: a Kubernetes agent container's own env
/// is ``Agent/processEnv``; only `--env` flags and PREFECT__CLOUD__AGENT__ENV_VARS are
/// ``Agent/flowRunEnv``.
public struct YAMLAnalyzer: FileAnalyzer {
    public init() {}

    public func analyze(_ file: SourceFile, kind: FileKind) -> FileAnalysis {
        let stream: YAMLStream
        do {
            stream = try YAMLStream.parse(file)
        } catch {
            // A Helm/Go template (`{{- if … }}` lines) is YAML only once rendered; neither
            // Prefect nor Kubernetes reads it as it is, so it is not a parse error.
            if TemplateTags.occur(in: file.bytes) { return FileAnalysis(kind: kind, patternScope: .everywhere) }
            return FileAnalysis(kind: kind, diagnostics: [error.diagnostic], patternScope: .everywhere)
        }
        var extractor = YAMLExtractor(file: file)
        extractor.envSources = YAMLExtractor.envSources(in: stream.documents.map(\.root))
        extractor.addKubernetesEnvSources()
        for document in stream.documents { extractor.addKustomizeGenerators(document.root) }
        for document in stream.documents { extractor.addDocument(document.root) }
        if stream.documents.count > 1 { extractor.builder.dropRunTemplate() }
        // The facts are read as PyYAML reads the file (the last value wins); the key itself is
        // not named, as a key may be a value. A template's branches may each set a key.
        let duplicates = stream.duplicateKeys.isEmpty || TemplateTags.occur(in: file.bytes) ? [] : stream.duplicateKeys
        let diagnostics = duplicates.prefix(1).map { duplicate in
            SourceDiagnostic(
                span: duplicate.span,
                message: "duplicate key: the mapping has it already at line \(file.lines.lineNumber(at: duplicate.first.start) + 1); "
                    + "YAML requires unique keys, so kubectl (strict validation), docker compose and GitHub Actions refuse the file, and readers that accept it keep only the last value")
        }
        return FileAnalysis(kind: kind, facts: extractor.builder.finish(), diagnostics: diagnostics, patternScope: .everywhere)
    }
}

/// What one YAML document is, decided from its keys and the file's path.
enum YAMLDocumentKind: Equatable {
    case kubernetes, ecsTaskDefinition, compose, githubActions, gitlabCI, bitbucketPipelines, circleCI, azurePipelines, helmValues, other
    /// An Ansible playbook or task list.
    case ansible
    /// A go-task Taskfile.
    case taskfile
    /// A CloudFormation template with an `AWS::ECS::TaskDefinition` resource.
    case cloudFormation
    /// A job spec without `apiVersion`/`kind`: Prefect's Kubernetes agent reads a job
    /// template's `spec.template.spec` and does not check its kind.
    case bareJobTemplate

    static func classify(_ root: YAMLNode, path: String) -> YAMLDocumentKind {
        if root.resolved.kind == .sequence { return YAMLExtractor.isAnsible(root, path: path) ? .ansible : .other }
        guard root.resolved.kind == .mapping else { return .other }
        if root["kind"]?.scalar != nil, root["apiVersion"]?.scalar != nil { return .kubernetes }
        if root["containerDefinitions"]?.resolved.kind == .sequence { return .ecsTaskDefinition }
        if !YAMLExtractor.cloudFormationTaskDefinitionProperties(root).isEmpty { return .cloudFormation }
        if root["kind"] == nil, root["spec"]?["template"]?["spec"]?["containers"]?.resolved.kind == .sequence { return .bareJobTemplate }
        let lower = path.lowercased()
        let name = ASCIIBytes.suffix(afterLast: UInt8(ascii: "/"), in: lower) ?? lower
        if lower.contains(".github/workflows/") || (root["jobs"]?.resolved.kind == .mapping && root["on"] != nil) {
            return .githubActions
        }
        if name.hasPrefix(".gitlab-ci") || name.hasSuffix(".gitlab-ci.yml") || name.hasSuffix(".gitlab-ci.yaml") {
            return .gitlabCI
        }
        if name.hasPrefix("bitbucket-pipelines."), root["pipelines"]?.resolved.kind == .mapping { return .bitbucketPipelines }
        if lower.contains(".circleci/"), root["jobs"]?.resolved.kind == .mapping { return .circleCI }
        if name.hasPrefix("azure-pipelines") || name.hasSuffix(".azure-pipelines.yml") || name.hasSuffix(".azure-pipelines.yaml") {
            return .azurePipelines
        }
        if root["services"]?.resolved.kind == .mapping { return .compose }
        if YAMLExtractor.isTaskfile(root, name: name) { return .taskfile }
        if let agent = root["agent"], agent.resolved.kind == .mapping, isPrefectAgentValues(agent, root: root) { return .helmValues }
        if root["stages"] != nil, (root.mergedPairs ?? []).contains(where: { $0.value["script"] != nil }) { return .gitlabCI }
        return .other
    }
}

extension YAMLDocumentKind {
    /// Whether a values file's `agent:` section configures a Prefect agent: the key of
    /// PrefectHQ/server's chart (`prefectLabels`), one of that chart's other sections beside it,
    /// a Prefect image, or a Prefect setting in its env. Many charts have an `agent:` section
    /// of their own (Datadog's, Consul's), which runs no flow.
    static func isPrefectAgentValues(_ agent: YAMLNode, root: YAMLNode) -> Bool {
        if agent["prefectLabels"] != nil || ["apollo", "graphql", "hasura", "towel"].contains(where: { root[$0] != nil }) { return true }
        if let image = agent["image"], (image.scalar ?? image["repository"]?.scalar)?.lowercased().contains("prefect") == true { return true }
        return YAMLExtractor.items(agent["env"]).contains { $0["name"]?.scalar?.hasPrefix("PREFECT__") == true }
    }
}

/// Walks the documents of one file and feeds a ``YAMLFactsBuilder``.
struct YAMLExtractor {
    let file: SourceFile
    var builder = YAMLFactsBuilder()
    /// ConfigMaps and Secrets defined in the file, by `Kind/name` (for `envFrom`).
    var envSources: [String: YAMLNode] = [:]
    /// The CI system passes `env:` values on as written: GitHub Actions expands only `${{ … }}`,
    /// CircleCI nothing, so a `$` in them reaches Prefect, which expands it.
    var ciEnvIsVerbatim = false

    init(file: SourceFile) { self.file = file }

    mutating func addDocument(_ root: YAMLNode) {
        switch YAMLDocumentKind.classify(root, path: file.path) {
        case .kubernetes: addKubernetesObject(root.resolved, depth: 0)
        case .bareJobTemplate: addKubernetesObject(root.resolved, depth: 0, kind: "Job")
        case .ecsTaskDefinition: addECSTaskDefinition(root.resolved)
        case .cloudFormation: addCloudFormation(root.resolved)
        case .compose: addCompose(root.resolved)
        case .githubActions: addGitHubWorkflow(root.resolved)
        case .gitlabCI: addGitLabCI(root.resolved)
        case .bitbucketPipelines: addBitbucketPipelines(root.resolved)
        case .circleCI: addCircleCI(root.resolved)
        case .azurePipelines: addAzurePipelines(root.resolved)
        case .helmValues: addHelmValues(root.resolved)
        case .ansible: addAnsible(root.resolved)
        case .taskfile: addTaskfile(root.resolved)
        case .other: break
        }
    }

    /// A scalar's text with byte offsets.
    func text(_ node: YAMLNode) -> YAMLScalarText { YAMLScalarText(node: node, in: file.bytes) }

    /// A command line written as a scalar that a tool renders before a shell runs it (an
    /// Ansible task's, a Taskfile's): its shell facts, template tags one word each, and
    /// where its text is.
    func renderedCommand(_ line: YAMLNode) -> (shell: ShellFileFacts, span: ByteSpan) {
        let t = text(line)
        return (ShellFileReader.readEmbeddedScript(TemplateTags.joined(t.bytes), map: t.map), t.contentSpan)
    }

    /// The span of a scalar key or value's text (quotes left out).
    func valueSpan(_ node: YAMLNode) -> ByteSpan {
        node.resolved.kind == .scalar && node.kind != .alias ? text(node).valueSpan : node.span
    }

    /// One `NAME: value` entry of an env mapping (GitHub `env:`, GitLab `variables:`, compose
    /// `environment:` map form, Helm `agent.env` map form).
    mutating func envFromPair(_ pair: YAMLPair, context: EnvContext) -> EnvAssignment? {
        guard let name = pair.key.scalar else { return nil }
        var valueNode = pair.value
        if valueNode.resolved.kind == .mapping, let inner = valueNode["value"] { valueNode = inner }  // GitLab {value:, description:}
        guard valueNode.resolved.kind == .scalar else { return nil }
        let nameSpan = valueSpan(pair.key)
        if valueNode.isNull, valueNode.resolved.style == .plain {
            // `KEY:` passes the variable through from the caller's env (compose), like `KEY: $KEY`,
            // or sets it empty.
            let assignment = EnvAssignment(
                name: name, nameSpan: nameSpan, value: context == .containerEnv ? "$" + name : "", valueSpan: .empty(at: valueNode.span.start),
                origin: context == .containerEnv ? .reference : .literal, context: context)
            builder.addEnv(assignment)
            return assignment
        }
        let value = text(valueNode)
        var assignment = EnvAssignment(
            name: name, nameSpan: nameSpan, value: value.string, valueSpan: valueNode.kind == .alias ? valueNode.span : value.valueSpan,
            origin: EnvValueSyntax.origin(of: value.string), context: context)
        assignment.reachesPrefectAsWritten = context == .ciEnv && ciEnvIsVerbatim && assignment.origin == .mixed && !value.string.contains("${{")
        addEnvWithJSON(assignment, value)
        return assignment
    }

    /// Adds an assignment; a literal PREFECT__CLOUD__AGENT__ENV_VARS also adds its JSON members.
    mutating func addEnvWithJSON(_ assignment: EnvAssignment, _ value: YAMLScalarText?) {
        builder.addEnv(assignment)
        if assignment.name == "PREFECT__CLOUD__AGENT__ENV_VARS", assignment.origin != .reference, let value {
            builder.addAgentEnvVarsJSON(of: assignment, bytes: value.bytes) { value.span($0) }
        }
    }

    /// The env entries of a mapping (merge keys applied), in order.
    mutating func envMapping(_ node: YAMLNode?, context: EnvContext) -> [EnvAssignment] {
        guard let pairs = node?.mergedPairs else { return [] }
        return pairs.compactMap { envFromPair($0, context: context) }
    }

    /// Scalars (or a scalar) joined into one shell text: GitLab `script:` lists run in one
    /// shell, one line per item. The joining newlines are zero-width in the file.
    func shellText(_ nodes: [YAMLNode]) -> (bytes: [UInt8], map: ShellOffsetMap) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var ends: [Int] = []
        for node in nodes where node.resolved.kind == .scalar {
            let t = text(node)
            if !bytes.isEmpty {
                let at = ends.last ?? t.contentSpan.start
                bytes.append(0x0A)
                starts.append(at)
                ends.append(at)
            }
            bytes += t.bytes
            starts += t.starts
            ends += t.ends
        }
        return (bytes, .table(starts + [ends.last ?? 0], ends: ends))
    }

    /// The items of a sequence, or the node itself when it is a scalar.
    static func items(_ node: YAMLNode?) -> [YAMLNode] {
        guard let node else { return [] }
        if let sequence = node.sequence { return sequence }
        return node.resolved.kind == .scalar && !node.isNull ? [node] : []
    }

    /// Exec-form arguments (a `command:` list) as shell words with exact spans.
    func argumentWords(_ nodes: [YAMLNode], compose: Bool = false) -> [ShellWord] {
        nodes.filter { $0.resolved.kind == .scalar }.map { node in
            let t = commandText(node, compose: compose)
            return ShellWord.argument(t.string, map: t.map)
        }
    }

    /// A `command:`-like field: a list is exec form (one word per item), a string is split
    /// into words (Kubernetes requires a list; compose splits strings with `shlex`).
    func execWords(_ node: YAMLNode?, compose: Bool = false, templateTags: Bool = false) -> [ShellWord] {
        guard let node else { return [] }
        if let items = node.sequence { return argumentWords(items, compose: compose) }
        guard node.resolved.kind == .scalar, !node.isNull else { return [] }
        return splitWords(node, compose: compose, templateTags: templateTags)
    }

    /// A command's text; in a compose file with `$$` as the `$` compose passes on.
    func commandText(_ node: YAMLNode, compose: Bool) -> YAMLScalarText {
        compose ? text(node).undoingComposeEscapes() : text(node)
    }

    /// A compose-style string command, split into words the way `shlex.split` would; with
    /// `templateTags`, a `{{ … }}` tag stays one word, as the rendered text's is.
    func splitWords(_ node: YAMLNode, compose: Bool = false, templateTags: Bool = false) -> [ShellWord] {
        let t = commandText(node, compose: compose)
        let script = ShellParser.parse(templateTags ? TemplateTags.joined(t.bytes) : t.bytes, map: t.map, options: ShellParseOptions(wordsOnly: true))
        return script.commands.flatMap(\.words)
    }
}
