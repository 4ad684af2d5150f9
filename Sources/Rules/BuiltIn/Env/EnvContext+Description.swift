import PrefectModel
import Spans

extension EnvContext {
    /// How messages name the place an env assignment was written.
    var phrase: String {
        switch self {
        case .agentEnvFlag: "an agent --env flag"
        case .agentEnvVarsJSON: "PREFECT__CLOUD__AGENT__ENV_VARS"
        case .shellExport: "a shell export"
        case .commandPrefix: "a command's environment"
        case .dotenv: "a dotenv file"
        case .dockerfile: "a Dockerfile ENV/ARG"
        case .systemd: "a systemd Environment= line"
        case .supervisord: "a supervisord environment= line"
        case .crontab: "a crontab variable"
        case .containerEnv: "a container's env"
        case .ciEnv: "a CI workflow's env"
        case .ansibleEnv: "an Ansible task's environment"
        case .taskfileEnv: "a Taskfile's env"
        case .taskRunnerEnv: "a pyproject task's env"
        case .jobTemplateEnv: "a job template's env"
        case .runConfigEnv: "a run config's env"
        case .pythonEnviron: "os.environ in code"
        case .documentation: "a documentation code block"
        case .makefile: "a Makefile"
        case .justfile: "a justfile"
        }
    }

    /// ``phrase`` for an assignment of a file of `kind` with `facts`, written at `span`: Docker
    /// storage `env_vars` in flow code, not a Dockerfile; an agent's `env_vars` in code, not a
    /// flag (unless in a command line the code runs); an ECS task definition, not a job template.
    func phrase(in facts: FileFacts, kind: FileKind, at span: ByteSpan? = nil) -> String {
        switch self {
        case .dockerfile where kind == .python: "Docker storage env_vars"
        case .agentEnvFlag where kind == .python && !(span.map { facts.python?.isInProgramCommand($0) == true } ?? false):
            "an agent's env_vars"
        case .agentEnvVarsJSON where kind == .toml: "a config file's cloud.agent.env_vars"
        case .jobTemplateEnv where facts.runTemplate?.agentType == .ecs: "a task definition's env"
        // In flow code, a run config's inline template.
        case .jobTemplateEnv where kind == .python:
            facts.flows.contains { $0.inlineTemplate?.agentType == .ecs && $0.inlineTemplate?.env.contains { $0.nameSpan == span } == true }
                ? "a run config's inline task definition" : "a run config's inline job template"
        default: phrase
        }
    }
}
