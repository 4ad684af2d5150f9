import Foundation
import Spans
import Testing
import YAML

@testable import PrefectModel
import TestSupport

/// The YAML analyzer: facts of each fixture in testdata/yamlfacts/ pinned by a golden
/// `<name>.facts` file (values never printed: only their positions, lengths and whether the
/// span's text is exactly the value), plus unit tests for the scalar offset map and the
/// env-value syntaxes.
@Suite struct YAMLAnalyzerTests {
    static let folder = TestPaths.testdata.appendingPathComponent("yamlfacts")
    static let fixtures: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()

    static func analyze(_ text: String, path: String = "x.yaml") -> (SourceFile, FileAnalysis) {
        let file = SourceFile(path: path, text: text)
        return (file, YAMLAnalyzer().analyze(file, kind: .yaml))
    }

    @Test(arguments: fixtures)
    func factsGolden(_ name: String) throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
        // The fixture's own comment can name the path it stands for (`# path: .github/workflows/x.yml`).
        let text = String(decoding: data, as: UTF8.self)
        let path = text.split(separator: "\n").first { $0.hasPrefix("# path: ") }.map { String($0.dropFirst(8)) } ?? name
        let file = SourceFile(path: path, bytes: Array(data))
        let analysis = YAMLAnalyzer().analyze(file, kind: .yaml)
        let dump = FactsDump.render(analysis, in: file)
        if let mismatch = snapshotMismatch(dump, path: "testdata/yamlfacts/\(name).facts") {
            Issue.record(Comment(rawValue: mismatch))
        }
    }

    /// Helm values whose `agent:` section is Prefect's (PrefectHQ/server's `prefectLabels`, a
    /// Prefect image, a Prefect setting in its env) give a Kubernetes agent; another chart's
    /// `agent:` (Datadog's node agent) gives none, whatever the file is called.
    @Test(arguments: [
        ("agent:\n  enabled: true\n  prefectLabels: [etl]\n", true),
        ("agent:\n  image:\n    repository: prefecthq/prefect\n    tag: 1.4.1\n", true),
        ("agent:\n  image: prefecthq/prefect:1.4.1\n", true),
        ("agent:\n  env:\n    - name: PREFECT__CLOUD__AGENT__LABELS\n      value: '[\"etl\"]'\n", true),
        ("hasura:\n  enabled: true\nagent:\n  enabled: true\n", true),
        ("datadog:\n  site: datadoghq.com\nagent:\n  enabled: true\n  image:\n    repository: gcr.io/datadoghq/agent\n", false),
        ("agent:\n  enabled: true\n  env:\n    - name: DD_API_KEY\n      value: x\n", false),
    ])
    func helmValuesAgentIsPrefectsOnly(_ text: String, _ isAgent: Bool) {
        let (_, analysis) = Self.analyze(text, path: "charts/app/values.yaml")
        #expect(analysis.facts.agents.count == (isAgent ? 1 : 0), "\(text)")
        // PrefectHQ/server's chart sets PREFECT__BACKEND=server on its agent.
        if text.contains("prefectLabels") || text.contains("hasura") { #expect(analysis.facts.agents.first?.backend == "server", "\(text)") }
    }

    /// The chart gives its agent PREFECT__CLOUD__AGENT__LABELS as `prefectLabels | toJson |
    /// quote`, which Prefect evaluates twice (checked with Prefect 1.4.1): a list is its labels,
    /// a string one label per character, a string holding a list literal that list; the
    /// values' own `agent.env` comes after it and wins.
    @Test(arguments: [
        ("prefectLabels: [etl, gpu]", ["etl", "gpu"]),
        ("prefectLabels: []", []),
        ("prefectLabels: k8s", ["k", "8", "s"]),
        ("prefectLabels: \"['k8s']\"", ["k8s"]),
        ("prefectLabels: [eu, \"no\"]", ["eu", "no"]),
        ("prefectLabels: [eu, no]", Array("[\"eu\",false]").map(String.init)),
        ("prefectLabels:", ["n", "u", "l", "l"]),
        ("prefectLabels: 3.10", []),
        ("prefectLabels: [etl]\n  env:\n    - name: PREFECT__CLOUD__AGENT__LABELS\n      value: '[\"own\"]'", ["own"]),
    ])
    func helmValuesLabelsAsTheChartRendersThem(_ line: String, _ labels: [String]) {
        let (_, analysis) = Self.analyze("agent:\n  enabled: true\n  \(line)\n", path: "values.yaml")
        #expect(analysis.facts.agents.first?.labels == labels, "\(line)")
    }

    // MARK: Scalar offset maps

    /// Each style's decoded bytes map back onto the source bytes they came from.
    @Test(arguments: [
        ("k: plain value\n", "plain value"),
        ("k: 'it''s'\n", "it''s"),
        ("k: \"a\\\"b\"\n", "a\\\"b"),
        ("k: &anchor !!str tagged\n", "tagged"),
        ("k: |\n  line one\n  line two\n", "line one\n  line two\n"),
        ("k: \"é日本🎉x\"\n", "é日本🎉x"),
    ])
    func scalarContentSpan(_ source: String, _ content: String) throws {
        let file = SourceFile(path: "x.yaml", text: source)
        let stream = try YAMLStream.parse(file)
        let node = try #require(stream.documents.first?.root["k"])
        let text = YAMLScalarText(node: node, in: file.bytes)
        #expect(text.isExact)
        #expect(file.text(text.contentSpan) == content)
    }

    /// A `.json` file is read only when it holds an ECS task definition, and a JSON file
    /// the YAML reader refuses is no parse error.
    @Test func jsonTaskDefinitions() {
        func analyze(_ text: String) -> FileAnalysis {
            FileAnalyzers.analyze(SourceFile(path: "deploy/td.json", text: text), kind: .json)
        }
        let definition = analyze(#"{"containerDefinitions": [{"name": "flow", "secrets": [{"name": "PREFECT__CONTEXT__SECRETS__DB", "valueFrom": "arn:aws:ssm:p"}]}]}"#)
        #expect(definition.facts.runTemplate?.env.map(\.name) == ["PREFECT__CONTEXT__SECRETS__DB"])
        #expect(definition.facts.provisions.map(\.name) == ["DB"])
        let noFlowContainer = analyze(#"{"containerDefinitions": [{"name": "app", "environment": [{"name": "X", "value": "1"}]}]}"#)
        #expect(noFlowContainer.facts.runTemplate?.env.isEmpty == true, "the agent adds an empty flow container")
        #expect(analyze(#"{"name": "pkg", "dependencies": {"a": "1"}}"#).facts.isEmpty)
        #expect(definition.facts.runTemplate?.agentType == .ecs)
        let twoDocuments = YAMLAnalyzer().analyze(
            SourceFile(path: "job.yaml", text: "apiVersion: batch/v1\nkind: Job\nspec: {template: {spec: {containers: [{name: flow}]}}}\n---\n"), kind: .yaml)
        #expect(twoDocuments.facts.runTemplate == nil, "yaml.safe_load refuses a second document, even an empty one")
        let noContainers = YAMLAnalyzer().analyze(SourceFile(path: "job.yaml", text: "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\n"), kind: .yaml)
        #expect(noContainers.facts.runTemplate?.agentType == .kubernetes, "Prefect adds the flow container")
        let inList = YAMLAnalyzer().analyze(
            SourceFile(path: "job.yaml", text: "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: batch/v1, kind: Job}\n"), kind: .yaml)
        #expect(inList.facts.runTemplate == nil)
        let withBOM = analyze("\u{FEFF}" + #"{"containerDefinitions": [{"name": "flow"}]}"#)
        #expect(withBOM.facts.runTemplate?.agentType == .ecs)
        let tabs = analyze("{\n\t\"containerDefinitions\": [\n\t\t{\"name\": \"flow\"}\n\t]\n}\n")
        #expect(tabs.diagnostics.isEmpty)
        // A container that starts an agent is that agent, with the container's env.
        let agent = analyze(
            #"{"containerDefinitions": [{"name": "agent", "entryPoint": ["prefect"], "command": ["agent", "ecs", "start", "--label", "ecs"], "environment": [{"name": "PREFECT__BACKEND", "value": "server"}]}]}"#)
        #expect(agent.facts.agents.map(\.type) == [.ecs])
        #expect(agent.facts.agents.first?.labels == ["ecs"])
        #expect(agent.facts.agents.first?.backend == "server")
    }

    @Test func escapesMapToTheirSourceBytes() throws {
        let source = #"k: "{\"A\": \"x\u00e9y\"}""# + "\n"
        let file = SourceFile(path: "x.yaml", text: source)
        let node = try #require(try YAMLStream.parse(file).documents.first?.root["k"])
        let text = YAMLScalarText(node: node, in: file.bytes)
        #expect(text.isExact)
        #expect(text.string == #"{"A": "xéy"}"#)
        // The decoded `é` (2 bytes) maps to the 6-byte escape `\u00e9`.
        let e = try #require(text.bytes.firstIndex(of: 0xC3))
        #expect(file.text(text.span(e..<(e + 2))) == #"\u00e9"#)
        // The decoded `"` before A maps to `\"`.
        #expect(file.text(text.span(1..<2)) == #"\""#)
    }

    @Test func foldedAndMultiLineScalarsKeepExactBytes() throws {
        let source = "k: >\n  prefect agent local start\n  --label a\n\n  --env X=1\nm: plain\n  continued\n"
        let file = SourceFile(path: "x.yaml", text: source)
        let root = try #require(try YAMLStream.parse(file).documents.first?.root)
        for key in ["k", "m"] {
            let text = YAMLScalarText(node: try #require(root[key]), in: file.bytes)
            #expect(text.isExact, "\(key)")
            for (k, byte) in text.bytes.enumerated() where byte != 0x20 && byte != 0x0A {
                #expect(file.bytes[text.starts[k]] == byte)
            }
        }
    }

    /// A scalar written as its value is mapped without decoding it again, to the offsets
    /// decoding it again finds: random plain, single- and double-quoted scalars, as values,
    /// keys and flow items, with blanks, quotes, escapes, anchors and tags among them.
    @Test func verbatimScalarsMapAsDecodingAgainDoes() throws {
        var generator = SplitMix(seed: 11)
        let pieces = ["a", "Z9", " ", "  ", "\t", "-", ":", "#", "'", "''", "\"", "\\", "\\n", "é", "!", "&", "$X", "{", "}", "[", ","]
        var checked = 0
        for _ in 0..<1_500 {
            let body = (0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let written = [body, "'\(body)'", "\"\(body)\"", "&a \(body)", "!!str \(body)"].randomElement(using: &generator)!
            let source = ["k: \(written)\n", "[\(written), x]\n", "{\(written): v}\n"].randomElement(using: &generator)!
            let file = SourceFile(path: "x.yaml", text: source)
            // Many of these are no YAML at all, or not a scalar where looked for: skipped.
            guard let root = try? YAMLStream.parse(file).documents.first?.root else { continue }
            let nodes = (root.sequence ?? []) + (root.pairs ?? []).flatMap { [$0.key, $0.value] }
            for node in nodes where node.resolved.kind == .scalar {
                let fast = YAMLScalarText(node: node, in: file.bytes)
                let decoded = YAMLScalarText(node: node, in: file.bytes, decodingAgain: true)
                #expect(fast.bytes == decoded.bytes && fast.starts == decoded.starts && fast.ends == decoded.ends, "\(source)")
                #expect(fast.contentSpan == decoded.contentSpan && fast.isExact == decoded.isExact, "\(source)")
                checked += 1
            }
        }
        #expect(checked > 1_000)
    }

    // MARK: Value syntaxes

    @Test func origins() {
        #expect(EnvValueSyntax.origin(of: "plain") == .literal)
        #expect(EnvValueSyntax.origin(of: "${{ secrets.X }}") == .reference)
        #expect(EnvValueSyntax.origin(of: "$(DB_PASSWORD)") == .reference)
        #expect(EnvValueSyntax.origin(of: "{{ .Values.token }}") == .reference)
        #expect(EnvValueSyntax.origin(of: "${A}${B}") == .reference)
        #expect(EnvValueSyntax.origin(of: "pre-$VAR") == .mixed)
        #expect(EnvValueSyntax.origin(of: "cost$$5") == .literal)
        #expect(EnvValueSyntax.origin(of: "100$") == .literal)
    }

    /// Labels the tool cannot read are named by their variable, never by other text.
    @Test func unknownLabelNames() {
        #expect(EnvValueSyntax.unknownLabel("{{ agent_label }}") == "{{ agent_label }}")
        #expect(EnvValueSyntax.unknownLabel("{{.Values.agent.label}}-x") == "{{ .Values.agent.label }}…")
        #expect(EnvValueSyntax.unknownLabel("pre-{{ env | default('Hq8ZmT2v') }}") == "…{{ env … }}")
        #expect(EnvValueSyntax.unknownLabel("{{ 'Hq8ZmT2v' }}") == "…")
        #expect(EnvValueSyntax.unknownLabel("{{_agent_label_}}") == "{{ agent_label }}", "blanks joined by TemplateTags")
        #expect(EnvValueSyntax.unknownLabel("{{- env -}}") == "{{ env }}")
        #expect(EnvValueSyntax.unknownLabel("${ENV:-Hq8ZmT2v}") == "${ENV…}")
    }

    @Test func agentEnvVarsJSON() throws {
        let members = try #require(EnvValueSyntax.jsonObjectMembers(Array(#"{"A": "1", "B": {"x": 2}, "C\"": "q\"q"}"#.utf8)))
        #expect(members.map(\.key) == ["A", "B", "C\""])
        #expect(members.map(\.value) == ["1", nil, "q\"q"])
        #expect(EnvValueSyntax.jsonObjectMembers(Array("[1]".utf8)) == nil)
        #expect(EnvValueSyntax.jsonObjectMembers(Array(#"{"A": "1""#.utf8)) == nil)
        #expect(EnvValueSyntax.jsonObjectMembers(Array("{}".utf8))?.isEmpty == true)
    }

    @Test func agentLabels() {
        #expect(EnvValueSyntax.agentLabels("['k8s', \"prod\"]") == ["k8s", "prod"])
        #expect(EnvValueSyntax.agentLabels("[]") == [])
        #expect(EnvValueSyntax.agentLabels("dev") == ["d", "e", "v"], "Prefect calls list() on a plain string")
        // Checked with Prefect 1.4.1: `Agent().labels` under PREFECT__CLOUD__AGENT__LABELS.
        #expect(EnvValueSyntax.agentLabels("{}") == [], "an empty dict: no labels")
        #expect(EnvValueSyntax.agentLabels("{'gpu'}") == ["gpu"])
        #expect(EnvValueSyntax.agentLabels(" ('a', 'b')") == ["a", "b"])
        #expect(EnvValueSyntax.agentLabels("42") == nil, "list(42) raises: the agent does not start")
    }

    // MARK: End to end on small documents

    @Test func parseErrorIsPositioned() {
        let (file, analysis) = Self.analyze("a: é日本\nb: [1, 2\nc: 3\n")
        let diagnostic = analysis.diagnostics.first
        #expect(analysis.diagnostics.count == 1)
        #expect(diagnostic.map { file.location(of: $0.span.start).line } == 3)
        // A Helm template is YAML only once rendered; a workflow's `${{ … }}` is evaluated
        // after the file is read as YAML, so it must parse as written.
        let broken = "steps:\n  - run: |\n      echo ${{ github.sha }}\n    # note\n      echo 2\n"
        #expect(Self.analyze(broken, path: ".github/workflows/ci.yml").1.diagnostics.count == 1)
        #expect(Self.analyze("env:\n  A: {{ .Values.a }}\n  b: [\n", path: "chart/templates/agent.yaml").1.diagnostics.isEmpty)
    }

    /// A key written twice is a parse error at the later key (the first only, without the
    /// key's text), and the facts are what PyYAML reads: the last value.
    @Test func duplicateKeyIsAParseErrorAndTheLastValueWins() {
        let (file, analysis) = Self.analyze(
            """
            services:
              agent:
                command: prefect agent docker start
                environment:
                  PREFECT__BACKEND: server
                environment:
                  PREFECT__BACKEND: cloud
                command: prefect agent docker start --label etl
            """,
            path: "docker-compose.yml")
        #expect(analysis.diagnostics.map { file.location(of: $0.span.start) } == [SourceLocation(line: 6, column: 5)])
        #expect(analysis.diagnostics.first?.message.hasPrefix("duplicate key: the mapping has it already at line 4;") == true)
        #expect(analysis.facts.agents.map(\.labels) == [["etl"]])
        #expect(analysis.facts.agents.first?.backend == "cloud")
        // A Helm template's branches: only the rendered file counts.
        let (_, template) = Self.analyze("env:\n  # {{ if .Values.prod }}\n  LEVEL: prod\n  # {{ else }}\n  LEVEL: dev\n  # {{ end }}\n")
        #expect(template.diagnostics.isEmpty)
    }

    /// Kubernetes expands `$(NAME)` in a container's command and args from the container's
    /// env; a `sh -c` script's `$NAME` reads that env. Labels read through them are known
    /// when the env gives a plain literal; otherwise they stay unknown.
    @Test func kubernetesAgentLabelsThroughContainerEnv() {
        func labels(_ container: String) -> [String] {
            let manifest = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n" + container
            let agent = Self.analyze(manifest).1.facts.agents.first
            return (agent?.labels ?? []) + (agent?.unknownLabels ?? []).map { "?" + $0 }
        }
        let env = """
                      env:
                        - name: POOL
                          value: prod
                        - name: REGION
                          value: "eu west"
                        - name: ZONE
                          valueFrom: {configMapKeyRef: {name: zones, key: zone}}

            """
        #expect(labels(#"          args: ["prefect", "agent", "kubernetes", "start", "-l", "$(POOL)", "-l", "k8s-$(POOL)", "-l", "$$(POOL)"]"# + "\n" + env)
            == ["k8s-prod", "prod", "?$…"])
        #expect(labels(#"          command: ["/bin/sh", "-c", "prefect agent kubernetes start -l $(POOL) -l \"$POOL\" -l $(ZONE) -l \"$REGION\""]"# + "\n" + env)
            == ["prod", "?$(ZONE)", "?$REGION"])
        #expect(labels(#"          command: ["/bin/sh", "-c", "POOL=dev; prefect agent kubernetes start -l $POOL -l $(POOL)"]"# + "\n" + env)
            == ["prod", "?$POOL"], "the script's own variable")
        #expect(labels(#"          command: ["/bin/sh", "-c", "prefect agent kubernetes start -l $(POOL)"]"# + "\n") == ["?$(POOL)"], "no env")
        #expect(
            labels(#"          args: ["prefect", "agent", "kubernetes", "start", "-l", "$(DB_PASSWORD)"]"# + "\n          env: [{name: DB_PASSWORD, value: hunter2-short}]\n")
                == ["?$(DB_PASSWORD)"], "a secret's value is never printed as a label")
        // No shell reads an exec-form argument, nor a single-quoted word: the label is `$POOL`.
        #expect(labels(#"          args: ["prefect", "agent", "kubernetes", "start", "-l", "$POOL", "-l", "${REGION}"]"# + "\n" + env) == ["$POOL", "${REGION}"])
        #expect(labels(#"          command: ["/bin/sh", "-c", "prefect agent kubernetes start -l '$POOL'"]"# + "\n" + env) == ["$POOL"])
    }

    /// A `$` in a label that no shell expands stays as written, except where the file's own
    /// tool fills it in first: Compose interpolates `$POOL`, a CI expression `${{ … }}` is
    /// replaced before the shell runs, and an ECS task definition's `${POOL}` may be a
    /// CloudFormation or Terraform template's.
    @Test func labelsWrittenWithADollarWhereNoShellExpandsThem() {
        func labels(_ path: String, _ text: String) -> [String] {
            let agent = Self.analyze(text, path: path).1.facts.agents.first
            return (agent?.labels ?? []) + (agent?.unknownLabels ?? []).map { "?" + $0 }
        }
        #expect(labels("docker-compose.yml", "services:\n  agent:\n    command: [prefect, agent, docker, start, -l, $POOL]\n") == ["?$POOL"])
        #expect(
            labels("ecs/task.json", #"{"containerDefinitions": [{"name": "agent", "command": ["prefect", "agent", "ecs", "start", "-l", "$POOL", "-l", "${ZONE}"]}]}"#)
                == ["$POOL", "?${ZONE}"])
        let workflow = "on: push\njobs:\n  agent:\n    runs-on: ubuntu-latest\n    steps:\n      - run: prefect agent docker start -l '$POOL' -l '${{ env.ZONE }}' -l \"$SITE\"\n"
        #expect(labels(".github/workflows/agent.yml", workflow) == ["$POOL", "?${…}", "?$SITE"])
    }

    @Test func containerEnvOfAKubernetesAgentIsProcessEnvOnly() throws {
        let (_, analysis) = Self.analyze(
            """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      command: ["prefect", "agent", "kubernetes", "start", "--label", "k8s", "-e", "PREFECT__CONTEXT__SECRETS__A=$(A)"]
                      env:
                        - name: PREFECT__CONTEXT__SECRETS__B
                          valueFrom:
                            secretKeyRef: {name: s, key: b}
                        - name: PREFECT__CLOUD__AGENT__ENV_VARS
                          value: '{"PREFECT__CONTEXT__SECRETS__C": "c-value"}'
            """)
        let agent = try #require(analysis.facts.agents.first)
        #expect(agent.type == .kubernetes)
        #expect(agent.labels == ["k8s"])
        #expect(agent.startRefusal == nil)
        // `--env` replaces PREFECT__CLOUD__AGENT__ENV_VARS entirely (facts §4.2).
        #expect(agent.flowRunEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__A"])
        #expect(agent.processEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__B", "PREFECT__CLOUD__AGENT__ENV_VARS"])
        let names = analysis.facts.envAssignments.map(\.name)
        #expect(Set(names).count == names.count, "each assignment once")
        #expect(analysis.facts.provisions.map(\.name).sorted() == ["A", "B", "C"])
        let b = try #require(analysis.facts.provisions.first { $0.name == "B" })
        #expect(b.origin == .kubernetesSecret(name: "s", key: "b"))
        #expect(b.envContext == .containerEnv)
    }

    /// Every prefix of every YAML fixture (cut every 11 bytes, so also inside multi-byte
    /// characters and escapes) is analyzed without trapping, and every span stays in the file.
    @Test func truncatedFixturesNeverTrap() throws {
        var paths: [URL] = []
        for folder in ["yaml", "yamlfacts", "rules", "projects"] {
            let root = TestPaths.testdata.appendingPathComponent(folder)
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                if url.pathExtension == "yaml" || url.pathExtension == "yml" { paths.append(url) }
            }
        }
        #expect(paths.count > 20)
        for url in paths {
            let bytes = Array(try Data(contentsOf: url))
            for cut in stride(from: 0, through: bytes.count, by: 11) {
                let file = SourceFile(path: url.lastPathComponent, bytes: Array(bytes[..<cut]))
                let facts = YAMLAnalyzer().analyze(file, kind: .yaml).facts
                let spans = facts.envAssignments.flatMap { [$0.nameSpan] + ($0.valueSpan.map { [$0] } ?? []) }
                    + facts.agents.map(\.span) + facts.credentialFlags.map(\.valueSpan)
                #expect(spans.allSatisfy { $0.start >= 0 && $0.start <= $0.end && $0.end <= cut }, "\(url.lastPathComponent) cut at \(cut)")
            }
        }
    }

    @Test func composeMergeKeysListEachAssignmentOnce() {
        let (_, analysis) = Self.analyze(
            """
            x-env: &env
              PREFECT__CONTEXT__SECRETS__X: value-one
            services:
              a: {image: a, environment: {<<: *env}}
              b: {image: b, environment: {<<: *env}}
            """)
        #expect(analysis.facts.envAssignments.count == 1)
        #expect(analysis.facts.provisions.count == 1)
    }

    /// Compose passes `$$` on as `$`: `bash -c "… $$(uuid) …"` runs a command substitution,
    /// and the words after it are read (a `$$` left as bash's PID broke the script there).
    @Test func composeDollarDollarIsOneDollar() {
        let (_, analysis) = Self.analyze(
            """
            services:
              agent:
                image: prefecthq/prefect:1.4.1
                command: bash -c "prefect agent local start --name $$(uuid) --no-hostname-label --label development"
              exec:
                image: prefecthq/prefect:1.4.1
                command: ["prefect", "agent", "docker", "start", "--label", "a$$b"]
            """, path: "docker-compose.yml")
        let agents = analysis.facts.agents
        #expect(agents.map(\.labels) == [["development"], []])
        #expect(agents.map(\.addsHostnameLabel) == [false, true])
        #expect(agents.map(\.unknownLabels) == [[], ["…$b"]], "a `$` in an exec-form word is not read")
    }

    /// Compose fills a plain `$V` in a command from the host's env and `.env` when it reads the
    /// file: the service's `environment:` literal never reaches the agent's `--env` that way,
    /// only through `$$V`, which the container's shell expands (a helper's reading of
    /// slaclab/lume-services).
    @Test func composeCommandVariablesAreTheHostsUnlessEscaped() {
        let compose = """
            services:
              agent:
                image: prefecthq/prefect:1.4.1
                environment:
                  DB_PASSWORD_FROM_VAULT: Zq8vLm2pX9wR4tYk
                command: >
                  bash -c "prefect agent docker start --label prod
                  --env PREFECT__CONTEXT__SECRETS__DB_PASSWORD=$DB_PASSWORD_FROM_VAULT"
            """
        let (_, plain) = Self.analyze(compose, path: "docker-compose.yml")
        #expect(plain.facts.secretLiteralsThroughVariables.isEmpty)
        let (_, escaped) = Self.analyze(compose.replacingOccurrences(of: "=$DB", with: "=$$DB"), path: "docker-compose.yml")
        #expect(escaped.facts.secretLiteralsThroughVariables.map(\.variable) == ["DB_PASSWORD_FROM_VAULT"])
    }

    /// Compose splits a string `command:` into words, so after an entrypoint ending in a
    /// shell's `-c` the shell runs the first word alone: the agent the command means never
    /// starts. One list item, or a string that stays one word, starts it.
    @Test func composeShellEntrypointWithASplitStringCommandStartsNoAgent() {
        func refusals(_ entrypoint: String, _ command: String) -> [Bool] {
            let compose = "services:\n  agent:\n    image: prefecthq/prefect:1.4.1\n    entrypoint: \(entrypoint)\n    command: \(command)\n"
            return Self.analyze(compose, path: "docker-compose.yml").1.facts.agents.map { $0.startRefusal?.hasPrefix("Compose splits a string command into words") == true }
        }
        let split = true
        #expect(refusals(#"["/bin/sh", "-c"]"#, "prefect agent docker start --label etl") == [split])
        #expect(refusals(#"["/bin/sh", "-c"]"#, #""prefect backend server && prefect agent docker start""#) == [split])
        #expect(refusals("/bin/bash -lc", "prefect agent local start") == [split])
        #expect(refusals(#"["env", "bash", "-c"]"#, "prefect agent local start") == [split])
        #expect(refusals(#"["/bin/sh", "-c"]"#, #"["prefect agent docker start --label etl"]"#) == [false])
        #expect(refusals("/bin/sh -c", #"'"prefect agent docker start --label etl"'"#) == [false])
        #expect(refusals(#"["prefect"]"#, "agent docker start --label etl") == [false])
        #expect(refusals(#"["python", "-c"]"#, "prefect agent docker start").isEmpty)
    }

    /// Kubernetes expands `$(X)` and Compose `${X}` inside a word: such an argument may be an
    /// option (`--no-hostname-label`), so it refuses nothing; a literal extra word before it
    /// still does.
    @Test func expandedArgumentsRefuseNothing() throws {
        let (_, kubernetes) = Self.analyze("""
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: agent
                      args: ["prefect", "agent", "local", "start", "--label", "k8s", "$(HOSTNAME_FLAG)"]
                    - name: stray
                      args: ["prefect", "agent", "local", "start", "stray", "$(HOSTNAME_FLAG)"]
            """)
        #expect(kubernetes.facts.agents.map(\.startRefusal) == [nil, "Prefect 1.4.1 exits with \"Error: Got unexpected extra argument.\""])
        let (_, compose) = Self.analyze("""
            services:
              agent:
                image: prefecthq/prefect:1.4.1
                command: ["prefect", "agent", "local", "start", "--label", "compose", "${HOSTNAME_FLAG:---no-hostname-label}"]
            """, path: "docker-compose.yml")
        #expect(compose.facts.agents.count == 1)
        #expect(compose.facts.agents.first?.startRefusal == nil)
        #expect(compose.facts.agents.first.map { !$0.unknownLabels.isEmpty && $0.unknownLabelsMayBeNone } == true, "the argument may hold labels")
    }
}

/// A value-free rendering of a file's facts, for golden files.
enum FactsDump {
    static func render(_ analysis: FileAnalysis, in file: SourceFile) -> String {
        var out = ""
        func at(_ span: ByteSpan?) -> String {
            guard let span else { return "-" }
            let (s, e) = file.range(of: span)
            return "\(s.line):\(s.column)-\(e.line):\(e.column)"
        }
        func origin(_ o: ValueOrigin) -> String {
            switch o {
            case .kubernetesSecret(let name, let key): return "secretKeyRef(\(name)/\(key))"
            default: return "\(o)"
            }
        }
        func env(_ a: EnvAssignment) -> String {
            var value = "no value"
            if let v = a.value {
                // Whether the span's text is exactly the value tells if the mapping is exact.
                let exact = a.valueSpan.map { file.text($0) == v } ?? false
                value = "value \(v.utf8.count)B @\(at(a.valueSpan))\(exact ? "" : " (span≠value)")"
            }
            let agent = a.agentIndex.map { " agent#\($0)" } ?? ""
            return "\(a.name) @\(at(a.nameSpan)) \(value) \(origin(a.origin)) \(a.context.rawValue)\(agent)"
        }
        for d in analysis.diagnostics { out += "diagnostic @\(at(d.span)): \(d.message)\n" }
        let facts = analysis.facts
        for (i, agent) in facts.agents.enumerated() {
            out += "agent#\(i) \(agent.type.rawValue) @\(at(agent.span))"
            out += " name=\(agent.name ?? "-") labels=\(agent.labels) backend=\(agent.backend ?? "-") api=\(agent.apiURL ?? "-")"
            out += agent.isInstallManifest ? " install-manifest" : ""
            out += agent.addsHostnameLabel ? "" : " no-hostname-label"
            out += agent.templatePath.map { " template=\($0)" } ?? ""
            out += "\n"
            for a in agent.flowRunEnv { out += "  flowRunEnv \(env(a))\n" }
            for a in agent.processEnv { out += "  processEnv \(a.name)\n" }
        }
        for a in facts.envAssignments { out += "env \(env(a))\n" }
        if let template = facts.runTemplate { out += "run-template \(template.agentType.rawValue)\n" }
        for a in facts.runTemplate?.env ?? [] { out += "run-template-env \(a.name) @\(at(a.nameSpan))\n" }
        for p in facts.provisions {
            out += "provision \(p.name) @\(at(p.span)) \(origin(p.origin)) \(p.envContext?.rawValue ?? "-")"
            out += p.agentIndex.map { " agent#\($0)" } ?? ""
            out += p.nestedKeys.isEmpty ? "" : " nested=\(p.nestedKeys.map(\.key))"
            out += "\n"
        }
        for b in facts.backendSettings {
            out += "backend \(b.value) @\(at(b.span)) \(b.kind.rawValue)\(b.agentIndex.map { " agent#\($0)" } ?? "")\n"
        }
        for c in facts.credentialFlags {
            out += "credential \(c.flag) @\(at(c.valueSpan)) \(origin(c.origin))\(c.agentIndex.map { " agent#\($0)" } ?? "")\n"
        }
        for use in facts.cloudAPIUses { out += "cloud-api \(use.operation) @\(at(use.span))\n" }
        for r in facts.registrations {
            out += "register @\(at(r.span)) paths=\(r.paths) modules=\(r.modules) labels=\(r.labels.known)"
            out += r.targetsAreUnknown ? " unknown-targets" : ""
            out += r.workingDirectory.map { " cwd=\($0)" } ?? ""
            out += "\n"
        }
        return out.isEmpty ? "(no facts)\n" : out
    }
}
