import ShellWords
import Spans
import YAML

/// CI workflows: GitHub Actions (`env:` at workflow, job and step level; `run:` scripts) and
/// GitLab CI (`variables:` at top and job level; `before_script:`/`script:`). The scripts are
/// read like shell scripts; an agent started in a job inherits the job's env as its process env.
extension YAMLExtractor {
    // MARK: GitHub Actions

    mutating func addGitHubWorkflow(_ root: YAMLNode) {
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
            // `prefect backend` writes ~/.prefect/backend.toml, which later steps of the job see.
            var backend: String? = nil
            for step in jobNode["steps"]?.sequence ?? [] where step.resolved.kind == .mapping {
                let stepEnv = envMapping(step["env"], context: .ciEnv)
                guard let run = step["run"], run.resolved.kind == .scalar, Self.runsInShell(step["shell"] ?? jobNode["defaults"]?["run"]?["shell"])
                else { continue }
                let t = text(run)
                let shell = ShellFileReader.readEmbeddedScript(t.bytes, map: t.map)
                var scope = ShellScope(env: workflowEnv + jobEnv + stepEnv, backend: backend)
                scope.workingDirectory = (step["working-directory"] ?? jobNode["defaults"]?["run"]?["working-directory"] ?? root["defaults"]?["run"]?["working-directory"])?.scalar
                builder.addShellFacts(shell, scope: &scope)
                backend = scope.backend
            }
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
            let (bytes, map) = shellText(Self.items(before) + Self.items(script))
            let shell = ShellFileReader.readEmbeddedScript(bytes, map: map)
            var scope = ShellScope(env: variables)
            builder.addShellFacts(shell, scope: &scope)
            if let after = gitlabValue("after_script", of: jobNode, in: root) ?? defaults?["after_script"] ?? root["after_script"] {
                let (bytes, map) = shellText(Self.items(after))
                var afterScope = ShellScope(env: variables)
                builder.addShellFacts(ShellFileReader.readEmbeddedScript(bytes, map: map), scope: &afterScope)
            }
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
}
