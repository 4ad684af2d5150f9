import ShellWords
import Spans
import YAML

/// CI workflows: GitHub Actions (`env:` at workflow, job and step level; `run:` scripts),
/// GitLab CI (`variables:` at top and job level; `before_script:`/`script:`), Bitbucket
/// Pipelines (steps' `script:`), CircleCI (`environment:` of jobs, their images and `run:`
/// steps) and Azure Pipelines (`variables:` of the pipeline, stages and jobs; `script:`/`bash:`
/// steps with `env:`). The scripts are read like shell scripts; an agent started in a job
/// inherits the job's env as its process env.
extension YAMLExtractor {
    // MARK: GitHub Actions

    mutating func addGitHubWorkflow(_ root: YAMLNode) {
        ciEnvIsVerbatim = true
        let workflowEnv = envMapping(root["env"], context: .ciEnv)
        for job in root["jobs"]?.mergedPairs ?? [] where job.value.resolved.kind == .mapping {
            let jobNode = job.value.resolved
            let jobEnv = envMapping(jobNode["env"], context: .ciEnv)
            if let container = jobNode["container"], container.resolved.kind == .mapping {
                _ = envMapping(container["env"], context: .containerEnv)
            }
            for service in jobNode["services"]?.mergedPairs ?? [] {
                _ = envMapping(service.value["env"], context: .containerEnv)
            }
            // `prefect backend` writes ~/.prefect/backend.toml, which later steps of the job see;
            // `echo "X=…" >> $GITHUB_ENV` sets X for them.
            var backend: String? = nil
            var written: [EnvAssignment] = []
            for step in jobNode["steps"]?.sequence ?? [] where step.resolved.kind == .mapping {
                let stepEnv = envMapping(step["env"], context: .ciEnv)
                addImageBuild(ofBuildPushStep: step)
                guard let run = step["run"], run.resolved.kind == .scalar, Self.runsInShell(step["shell"] ?? jobNode["defaults"]?["run"]?["shell"])
                else { continue }
                let t = text(run)
                let shell = ShellFileReader.readEmbeddedScript(t.bytes, map: t.map)
                var scope = ShellScope(env: workflowEnv + jobEnv + written + stepEnv, backend: backend)
                scope.workingDirectory = (step["working-directory"] ?? jobNode["defaults"]?["run"]?["working-directory"] ?? root["defaults"]?["run"]?["working-directory"])?.scalar
                builder.addShellFacts(shell, scope: &scope)
                backend = scope.backend
                for syntax in shell.assignments where syntax.context == .githubEnvFile && !syntax.inDocumentation {
                    guard let value = syntax.value else { continue }
                    let assignment = YAMLFactsBuilder.assignment(syntax, value: value, context: .ciEnv)
                    builder.addEnv(assignment)
                    written.removeAll { $0.name == assignment.name }
                    written.append(assignment)
                }
            }
        }
    }

    /// `uses: docker/build-push-action@…` builds `with: file` (default `Dockerfile` in the
    /// `context`, default the repository) under each of its `tags` (a list, or one a line or
    /// comma-separated), as `docker build -t` does.
    mutating func addImageBuild(ofBuildPushStep step: YAMLNode) {
        guard let usesNode = step["uses"], let uses = usesNode.scalar, uses.hasPrefix("docker/build-push-action@"), let with = step["with"],
            let tags = with["tags"]?.scalar
        else { return }
        let context = with["context"]?.scalar ?? "."
        guard !context.contains(":"), !context.contains("${{") else { return }
        let dockerfile = with["file"]?.scalar ?? (context == "." ? "Dockerfile" : context + "/Dockerfile")
        guard !dockerfile.contains("${{") else { return }
        let target = with["target"]?.scalar?.lowercased()
        for tag in tags.split(whereSeparator: { $0 == "\n" || $0 == "," }).map({ $0.trimmingCharacters(in: .whitespaces) }) where !tag.isEmpty {
            // `${{ env.IMAGE }}:${{ github.sha }}`: only a tag left to run time keeps the name.
            let name = tag.contains("${{") ? ImageBuild.repository(before: String(tag[..<(tag.range(of: "${{")?.lowerBound ?? tag.endIndex)])) : tag
            guard let name else { continue }
            builder.addImageBuild(ImageBuild(service: nil, context: context, dockerfile: dockerfile, target: target, runsImageCommand: false, imageName: name, span: usesNode.span))
        }
    }

    /// False when `shell:` is Python: its `run:` text is not commands (bash, sh, pwsh and cmd all
    /// run `prefect …` lines as commands).
    static func runsInShell(_ shell: YAMLNode?) -> Bool {
        guard let program = shell?.scalar?.split(separator: " ").first.map(String.init) else { return true }
        let name = program.split(separator: "/").last.map(String.init) ?? program
        return !name.hasPrefix("python")
    }

    // MARK: GitLab CI

    static let gitlabReservedKeys: Set<String> = [
        "stages", "variables", "default", "include", "workflow", "image", "services", "cache", "before_script",
        "after_script", "types", "pages:deploy",
    ]

    mutating func addGitLabCI(_ root: YAMLNode) {
        let globalVariables = envMapping(root["variables"], context: .ciEnv)
        let defaults = root["default"]
        let globalBefore = root["before_script"] ?? defaults?["before_script"]
        for job in root.mergedPairs ?? [] {
            guard let name = job.key.scalar, !Self.gitlabReservedKeys.contains(name), job.value.resolved.kind == .mapping else { continue }
            let jobNode = job.value.resolved
            // Variables of `extends:` parents first, so the job's own override them.
            var variables = globalVariables
            for parent in gitlabParents(of: jobNode, in: root, depth: 0) {
                variables += envMapping(parent["variables"], context: .ciEnv)
            }
            variables += envMapping(jobNode["variables"], context: .ciEnv)
            // Hidden jobs (`.name`) are templates: they run only through `extends`/merge keys.
            guard !name.hasPrefix(".") else { continue }
            guard let script = gitlabValue("script", of: jobNode, in: root) else { continue }
            let before = gitlabValue("before_script", of: jobNode, in: root) ?? globalBefore
            let (bytes, map) = shellText(gitlabLines(before, in: root, depth: 0) + gitlabLines(script, in: root, depth: 0))
            let shell = ShellFileReader.readEmbeddedScript(bytes, map: map)
            var scope = ShellScope(env: variables)
            builder.addShellFacts(shell, scope: &scope)
            if let after = gitlabValue("after_script", of: jobNode, in: root) ?? defaults?["after_script"] ?? root["after_script"] {
                let (bytes, map) = shellText(gitlabLines(after, in: root, depth: 0))
                var afterScope = ShellScope(env: variables)
                builder.addShellFacts(ShellFileReader.readEmbeddedScript(bytes, map: map), scope: &afterScope)
            }
        }
    }

    /// A script's lines: nested lists flattened and `!reference [.job, script]` replaced by
    /// the lines it names, as GitLab does.
    func gitlabLines(_ node: YAMLNode?, in root: YAMLNode, depth: Int) -> [YAMLNode] {
        guard depth < 10 else { return [] }
        return Self.items(node).flatMap { item -> [YAMLNode] in
            guard let list = item.sequence else { return [item] }
            guard item.tag == "!reference" else { return gitlabLines(item, in: root, depth: depth + 1) }
            var target: YAMLNode? = root
            for key in list { target = key.scalar.flatMap { target?[$0] } }
            return gitlabLines(target, in: root, depth: depth + 1)
        }
    }

    /// The jobs named by `extends:` (one name or a list), nearest last, recursively.
    func gitlabParents(of job: YAMLNode, in root: YAMLNode, depth: Int) -> [YAMLNode] {
        guard depth < 8 else { return [] }
        var out: [YAMLNode] = []
        for name in Self.items(job["extends"]).compactMap(\.scalar) {
            guard let parent = root[name], parent.resolved.kind == .mapping else { continue }
            out += gitlabParents(of: parent.resolved, in: root, depth: depth + 1)
            out.append(parent.resolved)
        }
        return out
    }

    /// A job key, else the nearest `extends:` parent's.
    func gitlabValue(_ key: String, of job: YAMLNode, in root: YAMLNode) -> YAMLNode? {
        if let own = job[key] { return own }
        return gitlabParents(of: job, in: root, depth: 0).reversed().lazy.compactMap { $0[key] }.first
    }

    /// One script: its lines run in one shell with `env` (a list of lines or one text).
    mutating func addScript(_ node: YAMLNode?, env: [EnvAssignment]) {
        let lines = Self.items(node)
        guard !lines.isEmpty else { return }
        let (bytes, map) = shellText(lines)
        var scope = ShellScope(env: env)
        builder.addShellFacts(ShellFileReader.readEmbeddedScript(bytes, map: map), scope: &scope)
    }

    // MARK: Bitbucket Pipelines

    /// `pipelines:` sections (`default`, and `branches`/`tags`/`pull-requests`/`custom` by
    /// name), each a list of `- step:` or `- parallel:` items whose `script:` runs in one shell.
    /// Repository variables are set in Bitbucket, not in the file.
    mutating func addBitbucketPipelines(_ root: YAMLNode) {
        guard let pipelines = root["pipelines"] else { return }
        var lists: [YAMLNode] = []
        for section in pipelines.mergedPairs ?? [] {
            if section.value.resolved.kind == .sequence {
                lists.append(section.value)
            } else {
                lists += (section.value.mergedPairs ?? []).map(\.value)
            }
        }
        func addSteps(_ items: [YAMLNode], depth: Int) {
            guard depth < 4 else { return }
            for item in items where item.resolved.kind == .mapping {
                if let step = item["step"] { addScript(step["script"], env: []) }
                if let parallel = item["parallel"] { addSteps(parallel.sequence ?? Self.items(parallel["steps"]), depth: depth + 1) }
            }
        }
        for list in lists { addSteps(list.sequence ?? [], depth: 0) }
    }

    // MARK: CircleCI

    /// `jobs:` with `environment:` (also of their `docker:` images and of the executor they
    /// name), and `steps:` whose `run:` is a command or a mapping with `command:` and
    /// `environment:`; a step naming one of the config's `commands:` runs that command's steps.
    mutating func addCircleCI(_ root: YAMLNode) {
        ciEnvIsVerbatim = true
        let commands = root["commands"]
        for job in root["jobs"]?.mergedPairs ?? [] where job.value.resolved.kind == .mapping {
            let jobNode = job.value.resolved
            var env: [EnvAssignment] = []
            // `executor: name` or `executor: {name: …}`: the executor's env comes first.
            let executorName = jobNode["executor"]?.scalar ?? jobNode["executor"]?["name"]?.scalar
            for node in [executorName.flatMap { root["executors"]?[$0] }, jobNode].compactMap({ $0 }) {
                for image in node["docker"]?.sequence ?? [] { env += envMapping(image["environment"], context: .ciEnv) }
                env += envMapping(node["environment"], context: .ciEnv)
            }
            addCircleCISteps(jobNode["steps"]?.sequence ?? [], env: env, commands: commands, depth: 0)
        }
    }

    mutating func addCircleCISteps(_ steps: [YAMLNode], env: [EnvAssignment], commands: YAMLNode?, depth: Int) {
        guard depth < 4 else { return }
        for step in steps {
            // A reusable command by name: `- start-agent`, or `- start-agent: {param: …}`.
            let name = step.scalar ?? step.mergedPairs.flatMap { $0.count == 1 ? $0[0].key.scalar : nil }
            if let name, name != "run", let command = commands?[name] {
                addCircleCISteps(command["steps"]?.sequence ?? [], env: env, commands: commands, depth: depth + 1)
                continue
            }
            guard let run = step["run"] else { continue }
            if run.resolved.kind == .mapping {
                addScript(run["command"], env: env + envMapping(run["environment"], context: .ciEnv))
            } else {
                addScript(run, env: env)
            }
        }
    }

    // MARK: Azure Pipelines

    /// `variables:` (a mapping, or a list of `name`/`value` items) of the pipeline, its stages
    /// and jobs (deployment jobs too); `steps:` at any of those levels whose `script:` or `bash:` runs with the
    /// step's `env:` (PowerShell steps are not shell commands).
    mutating func addAzurePipelines(_ root: YAMLNode) {
        func addLevel(_ node: YAMLNode, env: [EnvAssignment], depth: Int) {
            guard depth < 4 else { return }
            let env = env + azureVariables(node["variables"])
            for step in node["steps"]?.sequence ?? [] where step.resolved.kind == .mapping {
                let stepEnv = env + envMapping(step["env"], context: .ciEnv)
                for key in ["script", "bash"] where step[key] != nil { addScript(step[key], env: stepEnv) }
            }
            for key in ["stages", "jobs"] {
                for child in node[key]?.sequence ?? [] where child.resolved.kind == .mapping {
                    addLevel(child.resolved, env: env, depth: depth + 1)
                }
            }
            // A deployment job's steps sit in its strategy's hooks: `strategy: runOnce: deploy:
            // steps:` (also `rolling`, `canary`, and `on: success:`/`failure:`).
            for strategy in node["strategy"]?.mergedPairs ?? [] {
                for hook in strategy.value.mergedPairs ?? [] {
                    let hooks = hook.key.scalar == "on" ? (hook.value.mergedPairs ?? []).map(\.value) : [hook.value]
                    for hook in hooks where hook.resolved.kind == .mapping { addLevel(hook.resolved, env: env, depth: depth + 1) }
                }
            }
        }
        addLevel(root, env: [], depth: 0)
    }

    /// Azure `variables:`: a `NAME: value` mapping, or `- name:`/`value:` items (groups and
    /// templates are Azure's).
    mutating func azureVariables(_ node: YAMLNode?) -> [EnvAssignment] {
        guard let node else { return [] }
        guard let items = node.sequence else { return envMapping(node, context: .ciEnv) }
        return items.compactMap { item in
            guard let name = item["name"], let value = item["value"] else { return nil }
            return envFromPair(YAMLPair(key: name, value: value), context: .ciEnv)
        }
    }
}
