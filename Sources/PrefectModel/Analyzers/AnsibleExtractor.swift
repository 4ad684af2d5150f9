import ShellWords
import Spans
import YAML

/// Ansible playbooks and task lists: a `shell`/`command` task runs its command on the managed
/// host with the `environment` of its play, its blocks and itself (later ones winning), which
/// Ansible renders (`{{ vault_db_password }}` is a reference); so do the project scripts the
/// command runs.
extension YAMLExtractor {
    /// The modules that run a command line.
    static let ansibleCommandModules: Set<String> = [
        "shell", "command", "raw", "ansible.builtin.shell", "ansible.builtin.command", "ansible.builtin.raw", "ansible.legacy.shell",
        "ansible.legacy.command",
    ]
    /// The modules that run a container: its `command` starts there with the container's `env`.
    static let ansibleContainerModules: Set<String> = [
        "docker_container", "community.docker.docker_container", "community.general.docker_container",
    ]
    /// The keys of a play that hold task lists.
    static let ansibleTaskListKeys = ["pre_tasks", "tasks", "post_tasks", "handlers"]

    /// A list of plays (`hosts:`, `import_playbook:`), or of tasks in a role's `tasks/` or
    /// `handlers/` folder or holding a command module.
    static func isAnsible(_ root: YAMLNode, path: String) -> Bool {
        let items = (root.sequence ?? []).filter { $0.resolved.kind == .mapping }
        guard !items.isEmpty else { return false }
        if items.contains(where: { $0["hosts"] != nil || $0["import_playbook"] != nil || $0["ansible.builtin.import_playbook"] != nil }) { return true }
        let folders = path.lowercased().split(separator: "/").dropLast()
        if folders.last == "tasks" || folders.last == "handlers" { return true }
        return items.contains { item in (item.mergedPairs ?? []).contains { $0.key.scalar.map(ansibleCommandModules.contains) ?? false } }
    }

    mutating func addAnsible(_ root: YAMLNode) {
        for item in root.sequence ?? [] where item.resolved.kind == .mapping {
            let node = item.resolved
            guard node["hosts"] != nil || Self.ansibleTaskListKeys.contains(where: { node[$0] != nil }) else {
                addAnsibleTasks([node], env: [], depth: 0)
                continue
            }
            let playEnv = envMapping(node["environment"], context: .ansibleEnv)
            for key in Self.ansibleTaskListKeys {
                addAnsibleTasks(node[key]?.sequence ?? [], env: playEnv, depth: 0)
            }
        }
    }

    /// Tasks, and the tasks of their `block`, `rescue` and `always` lists, with `env` from
    /// what encloses them.
    private mutating func addAnsibleTasks(_ tasks: [YAMLNode], env: [EnvAssignment], depth: Int) {
        guard depth < 8 else { return }
        for item in tasks where item.resolved.kind == .mapping {
            let task = item.resolved
            let taskEnv = env + envMapping(task["environment"], context: .ansibleEnv)
            for key in ["block", "rescue", "always"] {
                if let list = task[key]?.sequence { addAnsibleTasks(list, env: taskEnv, depth: depth + 1) }
            }
            if let container = (task.mergedPairs ?? []).first(where: { $0.key.scalar.map(Self.ansibleContainerModules.contains) ?? false })?.value,
                container.resolved.kind == .mapping
            {
                addAnsibleContainer(container.resolved)
                continue
            }
            guard let module = (task.mergedPairs ?? []).first(where: { $0.key.scalar.map(Self.ansibleCommandModules.contains) ?? false })?.value
            else { continue }
            // `shell: cmd`, or `shell: {cmd: …}` / `cmd:` under `args`.
            guard let line = module.resolved.kind == .scalar ? module : module["cmd"] ?? task["args"]?["cmd"], line.resolved.kind == .scalar else { continue }
            let (shell, span) = renderedCommand(line)
            var scope = ShellScope(env: taskEnv)
            builder.addShellFacts(shell, scope: &scope)
            // A project script the task runs (`shell: /opt/etl/deploy/start-agent.sh`) starts its
            // agents on the managed host with the task's environment, as a unit's would.
            let launcher = Launcher(kind: .ansibleTask, name: task["name"]?.scalar ?? "task", env: taskEnv, envFiles: [], span: span)
            addLaunchedScripts(of: shell, by: launcher)
        }
    }

    /// A `docker_container` task: its `entrypoint` and `command` run in the container with its
    /// `env` (and `env_file`, a path on the managed host), as a compose service's do. Ansible
    /// renders `{{ … }}` first; the module splits a string command as `shlex` does, with no
    /// shell, so `$NAME` stays as written.
    private mutating func addAnsibleContainer(_ container: YAMLNode) {
        let command = execWords(container["entrypoint"], templateTags: true) + execWords(container["command"], templateTags: true)
        guard !command.isEmpty else { return }
        let envFiles = container["env_file"]?.scalar.map { [$0] } ?? []
        addComposeCommand(
            command, env: envMapping(container["env"], context: .containerEnv), envFiles: envFiles,
            userConfig: Self.userConfigMount(container["volumes"]), backendConfig: Self.mountedPrefectFile("backend.toml", container["volumes"]),
            options: ShellAgentOptions(installIsAgent: false))
    }
}
