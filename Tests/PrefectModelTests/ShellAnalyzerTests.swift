import PrefectModel
import Spans
import Testing

/// The shell-family analyzer: which assignments become env facts, which agent they reach.
@Suite struct ShellAnalyzerTests {
    static func analyze(_ path: String, _ text: String) -> (SourceFile, FileAnalysis) {
        let file = SourceFile(path: path, text: text)
        let kind = FileKind.classify(path: path, prefix: file.bytes.prefix(512))
        return (file, FileAnalyzers.analyze(file, kind: kind))
    }

    /// An API URL with credentials in it keeps only the host: inventory prints it.
    @Test func apiURLDropsUserInfo() {
        let (_, analysis) = Self.analyze(
            "start.sh", "prefect agent local start --api https://svc:fake-pass-123@prefect.example.com:4200/graphql\n")
        #expect(analysis.facts.agents.first?.apiURL == "https://prefect.example.com:4200/graphql")
        var agent = Agent(type: .local, span: ByteSpan(0, 1))
        agent.apiURL = "http://apollo:4200"
        #expect(agent.apiURL == "http://apollo:4200")
        // No part of a password with `/`, `@` or `#` in it is left, with or without a scheme.
        agent.apiURL = "https://u:p@ss/w#d@prefect.example.com/graphql"
        #expect(agent.apiURL == "https://prefect.example.com/graphql")
        agent.apiURL = "u:fake-pass@apollo:4200"
        #expect(agent.apiURL == "apollo:4200")
    }

    /// `prefect register --label "$ENVIRONMENT"` takes the label the script or the CI job set
    /// before (quoted, a value with a blank is one label); in a CI job only a plain literal
    /// counts, and nowhere a variable named for a secret; an unset one and a single-quoted
    /// `'$X'` stay unknown.
    @Test func registrationLabelsFromTheEnvInEffect() {
        let script = """
            export ENVIRONMENT=prod
            TEAM="a b"
            prefect register --project etl -p flows/ --label "$ENVIRONMENT" --label ${ENVIRONMENT} --label "$TEAM" --label "$UNSET" --label '$X'

            """
        let (_, analysis) = Self.analyze("register.sh", script)
        #expect(analysis.facts.registrations.first?.labels.known == ["prod", "prod", "a b"])
        #expect(analysis.facts.registrations.first?.labels.unknown == ["$UNSET", "$X"])
        let workflow = """
            env:
              ENVIRONMENT: staging
              DEPLOY_TOKEN: abc
              FROM_SECRET: ${{ secrets.LABEL }}
            jobs:
              register:
                runs-on: ubuntu-latest
                steps:
                  - run: prefect register -p flows/ --label "$ENVIRONMENT" --label "$DEPLOY_TOKEN" --label "$FROM_SECRET"

            """
        let (_, ci) = Self.analyze(".github/workflows/register.yml", workflow)
        #expect(ci.facts.registrations.first?.labels.known == ["staging"])
        #expect(ci.facts.registrations.first?.labels.unknown == ["$DEPLOY_TOKEN", "$FROM_SECRET"])
    }

    /// A unit's `EnvironmentFile=` goes to the agent it starts; a `docker run --env-file`
    /// only to the agent inside that container, not to others of the same script.
    @Test func envFilesGoToTheAgentsThatReadThem() {
        let (_, unit) = Self.analyze(
            "deploy/agent.service",
            """
            [Service]
            EnvironmentFile=/etc/prefect/agent.env
            EnvironmentFile=-/etc/prefect/extra.env
            ExecStart=/usr/bin/prefect agent local start --label etl
            """)
        #expect(unit.facts.agents.map(\.envFiles) == [["/etc/prefect/agent.env", "/etc/prefect/extra.env"]])
        let (_, script) = Self.analyze(
            "start.sh",
            """
            #!/bin/sh
            docker run -d --env-file agent.env prefecthq/prefect:1.4.1 prefect agent local start --label in-container
            prefect agent local start --label on-host
            """)
        #expect(script.facts.agents.map(\.labels) == [["in-container"], ["on-host"]])
        #expect(script.facts.agents.map(\.envFiles) == [["agent.env"], []])
    }

    /// `. FILE`/`source FILE` before an agent command in its shell: the agent reads the file,
    /// all of it under `set -a`, else only what the file exports. `set -a` also exports the
    /// script's own plain assignments; `set +a` ends it, and a `sh -c` script starts without it.
    @Test func sourcedFilesAndAllExport() {
        let (_, script) = Self.analyze(
            "deploy/start.sh",
            """
            #!/bin/bash
            set -euo pipefail
            source venv/bin/activate
            set -a
            . ./agent.env
            PLAIN_EXPORTED=1
            set +a
            source "deploy/extra.env"
            NOT_EXPORTED=1
            set -o allexport
            . $HOME/agent.env
            set +o allexport
            sh -c 'INNER=1; prefect agent local start --label inner'
            prefect agent local start --label etl
            docker run --rm prefecthq/prefect:1.4.1 prefect agent local start --label container
            """)
        let agents = script.facts.agents
        #expect(agents.map(\.labels) == [["inner"], ["etl"], ["container"]])
        let sourced = [("venv/bin/activate", false), ("./agent.env", true), ("deploy/extra.env", false), ("~/agent.env", true)]
        #expect(agents.map { $0.sourcedFiles.map(\.name) } == [sourced.map(\.0), sourced.map(\.0), []], "a name in the home folder is one outside the project; a container gets none")
        #expect(agents.map { $0.sourcedFiles.map(\.allExport) } == [sourced.map(\.1), sourced.map(\.1), []])
        let exported = script.facts.envAssignments.filter { $0.whenSourced == .exported }.map(\.name)
        #expect(exported == ["PLAIN_EXPORTED"], "INNER is a plain variable of the `sh -c` shell")
        #expect(agents[1].processEnv.map(\.name) == ["PLAIN_EXPORTED"])

        // Only a word that is a substitution alone loads a file; `grep` without `-v` loads part of it.
        let (_, partial) = Self.analyze(
            "start.sh",
            """
            export OTHER=$(grep OTHER .env | cut -d= -f2)
            eval "X=$(cat .env)"
            export $(grep ^PREFECT .env | xargs)
            export "$(cat .env)"
            export $(grep -vE '^#' whole.env | xargs)
            prefect agent local start
            """)
        #expect(partial.facts.agents.map { $0.sourcedFiles.map(\.name) } == [["whole.env"]])

        // What a `sh -c` shell sources dies with it; an agent inside that shell gets it.
        let (_, child) = Self.analyze(
            "start.sh",
            """
            bash -c 'set -a; . ./agent.env; prefect agent local start --label inner'
            prefect agent local start --label outer
            """)
        #expect(child.facts.agents.map { $0.sourcedFiles.map(\.name) } == [["./agent.env"], []])

        // A Makefile recipe line is a shell of its own, unless `.ONESHELL:` makes the recipe one.
        for oneShell in [false, true] {
            let (_, make) = Self.analyze(
                "Makefile", (oneShell ? ".ONESHELL:\n" : "") + "agent:\n\tset -a\n\t. ./agent.env\n\tprefect agent local start\nother:\n\t. ./other.env\n")
            #expect(make.facts.agents.map { $0.sourcedFiles.map { "\($0.name) \($0.allExport)" } } == [oneShell ? ["./agent.env true"] : []], "\(oneShell)")
        }

        let (_, dotenv) = Self.analyze(
            "agent.env",
            """
            export PREFECT__CONTEXT__SECRETS__A=1
              export   B=2
            C=3
            exported_D=4
            E=5
            export E
            export F
            F=6
            PREFECT__CLOUD__AGENT__ENV_VARS='{"G": "7"}'
            """)
        let env = dotenv.facts.envAssignments
        #expect(env.map(\.name) == ["PREFECT__CONTEXT__SECRETS__A", "B", "C", "exported_D", "E", "E", "F", "F", "PREFECT__CLOUD__AGENT__ENV_VARS", "G"])
        #expect(env.map(\.whenSourced) == [.exported, .exported, .variable, .variable, .exported, .exported, .exported, .exported, .variable, .variable],
                "`export K` exports K's assignments before and after it; a JSON entry goes with its line")

        // A sourcing shell keeps no command prefix, `--env` or `-e` of the file it sources.
        let (_, common) = Self.analyze(
            "common.sh", "X=1 python seed.py\ndocker run -e Y=2 img\nprefect agent docker start --env Z=3 &\nexport W=4\n")
        #expect(common.facts.envAssignments.filter { $0.whenSourced != .none }.map(\.name) == ["W"])
    }

    @Test func scriptExportsPrefixesAndAgent() {
        let (file, analysis) = Self.analyze(
            "start.sh",
            """
            #!/bin/sh
            PLAIN=1
            LATER=fake-later
            export LATER
            export PREFECT__BACKEND=server
            prefect backend cloud
            PREFECT__CLOUD__API=http://apollo:4200 prefect agent docker start --name dock \\
              -l b --label a -e "PREFECT__CONTEXT__SECRETS__X=a b" \\
              --env PREFECT__CONTEXT__SECRETS__REF=$TOKEN --key "$KEY"
            """)
        let facts = analysis.facts
        #expect(!facts.envAssignments.contains { $0.name == "PLAIN" })
        let later = facts.envAssignments.first { $0.name == "LATER" }
        #expect(later?.context == .shellExport && later?.value == "fake-later")
        #expect(facts.envAssignments.filter { $0.name == "LATER" }.count == 1)
        #expect(facts.agents.count == 1)
        let agent = facts.agents[0]
        #expect(agent.type == .docker && agent.name == "dock" && agent.labels == ["a", "b"])
        #expect(agent.backend == "server", "PREFECT__BACKEND beats the backend.toml that `prefect backend` wrote")
        #expect(agent.apiURL == "http://apollo:4200")
        #expect(agent.flowRunEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__X", "PREFECT__CONTEXT__SECRETS__REF"])
        #expect(agent.flowRunEnv.map(\.origin) == [.literal, .reference])
        #expect(agent.flowRunEnv.first.flatMap { $0.valueSpan.map(file.text) } == "a b")
        #expect(Set(agent.processEnv.map(\.name)) == ["LATER", "PREFECT__BACKEND", "PREFECT__CLOUD__API"])
        #expect(facts.credentialFlags.map(\.origin) == [.reference])
        #expect(facts.backendSettings.map(\.value) == ["cloud"])
        #expect(facts.provisions.map(\.name) == ["X", "REF"])
        #expect(facts.provisions.allSatisfy { $0.agentIndex == 0 && $0.envContext == .agentEnvFlag })
        #expect(facts.envAssignments.filter { $0.context == .agentEnvFlag }.allSatisfy { $0.agentIndex == 0 })
        #expect(analysis.diagnostics.isEmpty)
    }

    @Test func labelsFromConfigOnlyWithoutFlags() {
        let (_, analysis) = Self.analyze(
            "run.sh",
            """
            export PREFECT__CLOUD__AGENT__LABELS="['etl', 'gpu']"
            prefect agent local start --no-hostname-label
            PREFECT__CLOUD__AGENT__LABELS=dev prefect agent local start
            prefect agent local start -l x
            """)
        let agents = analysis.facts.agents
        #expect(agents.map(\.labels) == [["etl", "gpu"], ["d", "e", "v"], ["x"]])
        #expect(agents.map(\.addsHostnameLabel) == [false, true, true])
    }

    @Test func agentRunTemplatesLastWins() {
        let (_, analysis) = Self.analyze(
            "run.sh",
            """
            prefect agent kubernetes start --job-template a.yaml --job-template deploy/job.yaml
            prefect agent kubernetes start
            prefect agent ecs start --task-definition deploy/td.yaml
            prefect agent docker start --job-template x.yaml
            """)
        #expect(analysis.facts.agents.map(\.templatePath) == ["deploy/job.yaml", nil, "deploy/td.yaml", nil])
    }

    @Test func makefileRecipeLinesAreSeparateShells() {
        let (_, analysis) = Self.analyze(
            "Makefile",
            "export PREFECT__BACKEND := server\nKEY ?= fake-key\n\nagent:\n\texport A=1; \\\n\tprefect agent local start -k $(KEY) -e PREFECT__CONTEXT__SECRETS__M=$(M)\n\texport B=2\n\tprefect agent local start\n")
        let agents = analysis.facts.agents
        #expect(agents.count == 2)
        #expect(agents[0].processEnv.map(\.name) == ["PREFECT__BACKEND", "A"])
        #expect(agents[1].processEnv.map(\.name) == ["PREFECT__BACKEND"])
        #expect(agents.allSatisfy { $0.backend == "server" })
        #expect(agents[0].flowRunEnv.first?.origin == .reference)
        #expect(analysis.facts.credentialFlags.first?.origin == .reference)
        #expect(analysis.facts.envAssignments.first { $0.name == "KEY" }?.context == .makefile)
    }

    /// A recipe line that is one variable runs the command the variable holds (as make pastes
    /// it in), also through another such variable and with `+=`; the agent is where the
    /// command is written. A variable with more words after it stays a word of the recipe.
    @Test func makefileRecipeThatIsOneVariable() {
        let makefile = """
            ENV = .venv
            START_AGENT = $(ENV)/bin/prefect agent local start --label one >> logs/agent.log 2>&1 &
            AGENT = $(START_AGENT)
            DOCKER_AGENT := prefect agent docker start --label two
            DOCKER_AGENT += --label extra
            PREFECT = poetry run prefect
            agent:
            \t@$(AGENT)
            docker-agent:
            \t$(DOCKER_AGENT) | tee agent.log
            third:
            \t$(PREFECT) agent local start --label three
            not-a-command:
            \t$(shell echo prefect agent local start)
            \t$(UNDEFINED)

            """
        let (file, analysis) = Self.analyze("Makefile", makefile)
        let agents = analysis.facts.agents
        #expect(agents.map(\.labels) == [["one"], ["extra", "two"], ["three"]])
        #expect(agents.map(\.type) == [.local, .docker, .local])
        #expect(agents.map { file.lines.lineNumber(at: $0.span.start) + 1 } == [2, 4, 12])
    }

    /// A systemd unit rendered by Ansible (`prefect-agent.service.j2`): its `{{ … }}` tags
    /// are one word each, whatever blanks they hold, and references; `{% … %}` lines are none
    /// of the unit's.
    @Test func unitTemplateTagsAreWords() {
        let unit = """
            [Service]
            {% if agent_env is defined %}
            Environment=PREFECT__CONTEXT__SECRETS__DB_PASSWORD={{ vault_db_password }}
            {% endif %}
            ExecStart={{ venv_path }}/bin/prefect agent local start --label {{ agent_label | default('prod') }} --label etl
            """
        let (file, analysis) = Self.analyze("roles/agent/templates/prefect-agent.service.j2", unit)
        let agent = analysis.facts.agents.first
        #expect(analysis.kind == .systemd && analysis.facts.agents.count == 1)
        #expect(agent?.labels == ["etl"] && agent?.unknownLabels.count == 1)
        #expect(agent?.processEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__DB_PASSWORD"] && agent?.processEnv.first?.origin == .reference)
        #expect(file.lines.lineNumber(at: agent?.span.start ?? 0) + 1 == 5)
    }

    @Test func oneShellMakesARecipeOneShell() {
        let (_, analysis) = Self.analyze(
            "Makefile", ".ONESHELL:\nagent:\n\texport PREFECT__BACKEND=server\n\tprefect agent local start\n")
        #expect(analysis.facts.agents.first?.backend == "server")
    }

    @Test func dockerfileStagesArgAndExecForm() {
        let (_, analysis) = Self.analyze(
            "Dockerfile",
            """
            FROM python:3.9 AS build
            ENV OLD_STAGE=1
            FROM prefecthq/prefect:1.4.1
            ARG BUILD_ONLY=1
            ENV PREFECT__CONTEXT__SECRETS__D=fake-d PREFECT__BACKEND=server
            CMD ["prefect", "agent", "docker", "start", "--label", "img", "--env", "PREFECT__CONTEXT__SECRETS__E=fake-e"]
            """)
        let agent = analysis.facts.agents.first
        #expect(agent?.processEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__D", "PREFECT__BACKEND"])
        #expect(agent?.labels == ["img"] && agent?.backend == "server")
        #expect(agent?.flowRunEnv.map(\.value) == ["fake-e"])
        #expect(analysis.facts.envAssignments.count == 5)
    }

    @Test func systemdAndSupervisord() {
        let (_, unit) = Self.analyze(
            "agent.service",
            "[Service]\nExecStart=/usr/bin/prefect agent local start -l a\nEnvironment=PREFECT__CONTEXT__SECRETS__S=fake-s\n")
        #expect(unit.facts.agents.first?.processEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__S"])
        #expect(unit.facts.provisions.first?.envContext == .systemd && unit.facts.provisions.first?.agentIndex == 0)

        let (file, conf) = Self.analyze(
            "supervisord.conf",
            "[supervisord]\nenvironment=GLOBAL=1\n[program:other]\nenvironment=OTHER=1\n[program:prefect-agent]\ncommand=prefect agent local start -p /flows-k fake-install-key-1234\nenvironment=MINE=\"x\"\n")
        #expect(conf.facts.agents.first?.processEnv.map(\.name) == ["GLOBAL", "MINE"])
        #expect(conf.facts.credentialFlags.map { file.text($0.valueSpan) } == ["fake-install-key-1234"])
        #expect(conf.facts.credentialFlags.first?.origin == .literal)
    }

    /// `env -i` and `sudo` without `-E` start the agent with an empty environment: the
    /// script's exports, its sourced files, the unit's `Environment=` and `EnvironmentFile=`
    /// do not reach it; what is written after the wrapper does, and what `sudo
    /// --preserve-env=LIST` names. Options read as getopt does (`-C/opt/pipelines` holds no `-i`).
    @Test func environmentResets() {
        let (_, script) = Self.analyze(
            "start.sh",
            """
            set -a; . ./agent.env; set +a
            export PREFECT__CONTEXT__SECRETS__A=fake-a
            X=1 env -i PREFECT__CONTEXT__SECRETS__B=fake-b prefect agent local start --label cleared
            env -u HOME -iv PREFECT__CONTEXT__SECRETS__C=fake-c prefect agent local start --label cluster
            sudo -u prefect prefect agent local start --label sudo
            sudo -E prefect agent local start --label kept
            sudo --preserve-env=PREFECT__CONTEXT__SECRETS__A prefect agent local start --label listed
            sudo --preserve-env=PATH prefect agent local start --label path
            env -i sh -c '. ./inner.env; export PREFECT__CONTEXT__SECRETS__D=fake-d; prefect agent local start --label inner'
            nohup prefect agent local start --label plain
            env -C/opt/pipelines prefect agent local start --label chdir
            sudo -uEVE prefect agent local start --label user
            exec -c prefect agent local start --label exec
            """)
        let agents = script.facts.agents
        #expect(agents.map(\.labels) == [["cleared"], ["cluster"], ["sudo"], ["kept"], ["listed"], ["path"], ["inner"], ["plain"], ["chdir"], ["user"], ["exec"]])
        #expect(agents.map(\.environmentClearedBy) == ["env -i", "env -i", "sudo", nil, "sudo", "sudo", "env -i", nil, nil, "sudo", "exec -c"])
        let a = ["PREFECT__CONTEXT__SECRETS__A"]
        #expect(agents.map { $0.processEnv.map(\.name) } == [
            ["PREFECT__CONTEXT__SECRETS__B"], ["PREFECT__CONTEXT__SECRETS__C"], [], a, a, [], ["PREFECT__CONTEXT__SECRETS__D"], a, a, [], [],
        ], "D stays in the `sh -c` shell")
        #expect(agents.map { $0.sourcedFiles.map(\.name) } == [[], [], [], ["./agent.env"], [], [], ["./inner.env"], ["./agent.env"], ["./agent.env"], [], []])

        // A reset in front of `docker` empties what `-e NAME` copies; `env -i` before `sudo`
        // leaves `--preserve-env` nothing to keep.
        let (_, client) = Self.analyze(
            "client.sh",
            """
            export PREFECT__CONTEXT__SECRETS__A=fake-a
            sudo docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start --label sudo
            sudo --preserve-env=PREFECT__CONTEXT__SECRETS__A docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start --label kept
            env -i PATH=/usr/bin sudo --preserve-env=PREFECT__CONTEXT__SECRETS__A prefect agent local start --label env
            """)
        #expect(client.facts.agents.map { $0.processEnv.map(\.name) } == [[], a, []])

        // Set after the reset, and exported or given to docker's command, the client has it to copy.
        let (_, after) = Self.analyze(
            "after.sh",
            """
            env -i PREFECT__CONTEXT__SECRETS__A=fake-a docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start
            sudo sh -c 'export PREFECT__CONTEXT__SECRETS__A=fake-a; docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start'
            sudo sh -c 'PREFECT__CONTEXT__SECRETS__A=fake-a; docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start'
            sudo sh -c 'PREFECT__CONTEXT__SECRETS__A=fake-a true; docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start'
            env -i PATH=/usr/bin sudo PREFECT__CONTEXT__SECRETS__S=fake-s prefect agent local start
            sudo PREFECT__CONTEXT__SECRETS__A=fake-a docker run -e PREFECT__CONTEXT__SECRETS__A prefecthq/prefect:1.4.1 prefect agent local start
            """)
        #expect(after.facts.agents.map { $0.processEnv.map(\.name) } == [a, a, [], [], ["PREFECT__CONTEXT__SECRETS__S"], a],
                "an unexported variable or another command's prefix is not the client's; sudo drops PATH, keeps its own assignment")

        let (_, unit) = Self.analyze(
            "agent.service",
            "[Service]\nEnvironmentFile=/etc/prefect/agent.env\nEnvironment=PREFECT__CONTEXT__SECRETS__S=fake-s\nExecStart=/usr/bin/env -i /usr/bin/prefect agent local start -l a\n")
        #expect(unit.facts.agents.first?.processEnv.isEmpty == true)
        #expect(unit.facts.agents.first?.envFiles == [])
        #expect(unit.facts.provisions.first?.agentIndex == nil)

        let (_, docker) = Self.analyze(
            "run.sh",
            """
            env -i docker run --env-file outer.env -e PREFECT__CONTEXT__SECRETS__F=fake-f prefecthq/prefect:1.4.1 prefect agent local start
            docker run --env-file inner.env -e PREFECT__CONTEXT__SECRETS__E=fake-e prefecthq/prefect:1.4.1 env -i prefect agent local start
            docker run -e PREFECT__CONTEXT__SECRETS__G prefecthq/prefect:1.4.1 sh -c 'export PREFECT__CONTEXT__SECRETS__H=fake-h; prefect agent local start'
            """)
        #expect(docker.facts.agents.map(\.envFiles) == [["outer.env"], [], []])
        #expect(docker.facts.agents.map(\.environmentClearedBy) == [nil, "env -i", nil], "a container's env is its own")
        #expect(docker.facts.agents.map { $0.processEnv.map(\.name) } == [
            ["PREFECT__CONTEXT__SECRETS__F"], [], ["PREFECT__CONTEXT__SECRETS__G", "PREFECT__CONTEXT__SECRETS__H"],
        ])
        #expect(docker.facts.agents.last?.processEnv.first.map { $0.origin == .reference && $0.value != nil } == true, "`-e NAME` passes the caller's value")
    }

    /// Commands that run the rest of their words as a command: the agent behind them is
    /// recognized, their own options and arguments (`nice -n 10`, `timeout 1h`, `gosu USER`,
    /// `sudo -Eu USER`, `runuser -u USER --`, `setpriv --reuid=N`) are not taken for it.
    /// `su`/`runuser` with `-c` run a script in the user's shell; a login shell (`-`, `-l`)
    /// starts from an empty environment.
    @Test func switchUserScripts() {
        let (_, script) = Self.analyze(
            "start.sh",
            """
            export PREFECT__CONTEXT__SECRETS__A=fake-a
            su - prefect -c 'prefect agent local start --label login'
            su prefect -c "prefect agent local start --label plain"
            runuser -l prefect -c 'export PREFECT__CONTEXT__SECRETS__B=fake-b; prefect agent local start --label runuser'
            su -s /bin/bash -c "prefect agent local start --label shell" prefect
            su - prefect --command='prefect agent local start --label long'
            su - prefect -c'prefect agent local start --label glued'
            su -w PREFECT__CONTEXT__SECRETS__A - prefect -c 'prefect agent local start --label kept'
            sudo -u prefect PREFECT__CONTEXT__SECRETS__S=fake-s prefect agent local start --label sudo
            su - prefect -c"prefect agent local start --label reference --name $NAME"
            """)
        let agents = script.facts.agents
        #expect(agents.map(\.labels) == [["login"], ["plain"], ["runuser"], ["shell"], ["long"], ["glued"], ["kept"], ["sudo"], ["reference"]])
        #expect(agents.map(\.environmentClearedBy) == ["su -", nil, "runuser -", nil, "su -", "su -", "su -", "sudo", "su -"])
        let a = ["PREFECT__CONTEXT__SECRETS__A"]
        #expect(agents.map { $0.processEnv.map(\.name) } == [[], a, ["PREFECT__CONTEXT__SECRETS__B"], a, [], [], a, ["PREFECT__CONTEXT__SECRETS__S"], []])
    }

    @Test func unknownAgentLabels() {
        let (_, script) = Self.analyze(
            "start.sh",
            """
            prefect agent docker start --label "$ENVIRONMENT" --label etl
            export PREFECT__CLOUD__AGENT__LABELS="['etl']"
            prefect agent docker start
            export PREFECT__CLOUD__AGENT__LABELS=$LABELS
            prefect agent docker start
            """)
        #expect(script.facts.agents.map(\.labels) == [["etl"], ["etl"], []])
        #expect(script.facts.agents.map(\.unknownLabels) == [["$ENVIRONMENT"], [], ["$LABELS"]], "the last assignment counts")
        #expect(script.facts.agents.map(\.unknownLabelsMayBeNone) == [false, false, true])
        // Options whose values are references, glued or after `=`; names never show text.
        let (_, glued) = Self.analyze(
            "glued.sh", "prefect agent docker start --label=\"$A\" -l\"$B\" --label \"${C:-fake-default}\" --label \"$(vault read x)\" --label \"x-$D\"\n")
        #expect(glued.facts.agents.first?.unknownLabels == ["$A", "$B", "${C…}", "$(…)", "…$D"])
        // Two different words are two labels, though their names are the same.
        let (_, site) = Self.analyze("site.sh", "prefect agent local start --label \"${SITE}-etl\" --label \"${SITE}-gpu\" --label \"${SITE}-etl\"\n")
        #expect(site.facts.agents.first?.unknownLabels == ["${SITE}…", "${SITE}…"])
        // Arguments from a variable may hold any `--label`s, or none.
        let (_, args) = Self.analyze("args.sh", "prefect agent local start --label etl $AGENT_ARGS \"$@\"\n")
        #expect(args.facts.agents.first.map { ($0.labels, $0.unknownLabels, $0.unknownLabelsMayBeNone) } ?? ([], [], false) == (["etl"], ["$AGENT_ARGS", "$@"], true))
        let (_, quoted) = Self.analyze("quoted.sh", "prefect agent local start -\"l\"$ENV -p\"$path\" --label etl\n")
        #expect(quoted.facts.agents.first.map { ($0.labels, $0.unknownLabels) } ?? ([], []) == (["etl"], ["$ENV"]))
    }

    /// `LABEL=prod` … `--label "$LABEL"`: the label is known when the assignment runs on
    /// every path, holds the only value the script gives the name, and reaches the agent's
    /// shell; otherwise it stays unknown.
    @Test func labelsFromScriptVariables() {
        func labels(_ script: String) -> [String] {
            let agent = Self.analyze("start.sh", script).1.facts.agents.first
            return (agent?.labels ?? []) + (agent?.unknownLabels ?? []).map { "?" + $0 }
        }
        let agent = "prefect agent docker start"
        #expect(labels("LABEL=prod\n\(agent) --label \"$LABEL\" -l \"${LABEL}-eu\" -l x\n") == ["prod", "prod-eu", "x"])
        #expect(labels("export LABEL=prod\nREGION='eu west'\n\(agent) --label $LABEL --label \"$REGION\"\n") == ["eu west", "prod"])
        #expect(labels("LABEL=prod\nexport LABEL\n\(agent) --label \"$LABEL\"\n") == ["prod"])
        #expect(labels("LABEL=prod && cd /srv\nf() { \(agent) --label \"$LABEL\"; }\nf\n") == ["prod"])
        #expect(labels("LABEL=prod\nLABEL=prod\n\(agent) --label \"$LABEL\"\n") == ["prod"])
        #expect(labels("LABEL=prod\ndocker run img \(agent) --label \"$LABEL\"\n") == ["prod"])
        #expect(labels("export LABEL=prod\nsh -c '\(agent) --label \"$LABEL\"'\n") == ["prod"])
        #expect(labels("API_TOKEN=hunter2-short\n\(agent) --label \"$API_TOKEN\"\n") == ["?$API_TOKEN"], "a secret's value is never printed as a label")
        let unknown = [
            "\(agent) --label \"$LABEL\"\n",  // from outside the script
            "LABEL='eu west'\n\(agent) --label $LABEL\n",  // split in two words
            "LABEL=\n\(agent) --label $LABEL\n",  // no word at all
            "LABEL=$(hostname)\n\(agent) --label \"$LABEL\"\n",
            "LABEL=prod\n\(agent) --label \"${LABEL:-dev}\"\n",
            "if [ -n \"$X\" ]; then\n  LABEL=prod\nfi\n\(agent) --label \"$LABEL\"\n",
            "[ -n \"$X\" ] && LABEL=prod\n\(agent) --label \"$LABEL\"\n",
            "case $X in\n  p) LABEL=prod ;;\nesac\n\(agent) --label \"$LABEL\"\n",
            "(LABEL=prod)\n\(agent) --label \"$LABEL\"\n",
            "LABEL=prod\n\(agent) --label \"$LABEL\"\nLABEL=dev\n",  // another value: paths decide
            "LABEL=prod\n. ./agent.env\n\(agent) --label \"$LABEL\"\n",
            "LABEL=prod\nread -r LABEL\n\(agent) --label \"$LABEL\"\n",
            "LABEL=prod\nfor LABEL in a b; do :; done\n\(agent) --label \"$LABEL\"\n",
            "LABEL=prod\nsh -c '\(agent) --label \"$LABEL\"'\n",  // not exported to the child shell
            "export LABEL=prod\nsudo sh -c '\(agent) --label \"$LABEL\"'\n",  // sudo drops it
        ]
        for script in unknown {
            #expect(labels(script) == ["?$LABEL"] || labels(script) == ["?${LABEL…}"], "\(script)")
        }
        // A systemd unit's Exec lines see its Environment= values (the last wins); `${NAME}`
        // is one argument, `$NAME` is split at whitespace.
        func unitLabels(_ service: String) -> [String] {
            let agent = Self.analyze("agent.service", "[Service]\n" + service).1.facts.agents.first
            return (agent?.labels ?? []) + (agent?.unknownLabels ?? []).map { "?" + $0 }
        }
        let exec = "ExecStart=/usr/bin/prefect agent local start --label ${LABEL} -l $REGION\n"
        #expect(unitLabels("Environment=LABEL=dev\nEnvironment=\"LABEL=prod etl\" REGION=eu\n" + exec) == ["eu", "prod etl"])
        #expect(unitLabels("Environment=\"REGION=eu west\"\nEnvironment=LABEL=prod\n" + exec) == ["prod", "?$REGION"])
        #expect(unitLabels("Environment=LABEL=%H REGION=eu\n" + exec) == ["eu", "?${LABEL}"], "a specifier")
        #expect(unitLabels("Environment=LABEL=prod REGION=eu\nEnvironmentFile=/etc/agent.env\n" + exec) == ["?${LABEL}", "?$REGION"])
        // A Makefile's recipes see its variables, pasted in before the shell reads the line.
        func makeLabels(_ makefile: String) -> [String] {
            let agent = Self.analyze("Makefile", makefile + "\nagent:\n\tprefect agent local start --label $(LABEL) -l ${REGION}\n").1.facts.agents.first
            return (agent?.labels ?? []) + (agent?.unknownLabels ?? []).map { "?" + $0 }
        }
        #expect(makeLabels("LABEL = prod\nexport REGION := eu # the region\nLABEL = prod\n") == ["eu", "prod"])
        #expect(makeLabels("LABEL ?= prod\nREGION = eu west\n") == ["?$(LABEL)", "?${REGION}"])
        #expect(makeLabels("LABEL = prod\nLABEL += gpu\nREGION = $(ZONE)\n") == ["?$(LABEL)", "?${REGION}"])
        #expect(makeLabels("LABEL = prod\nREGION = eu\nagent: LABEL = dev\n") == ["eu", "?$(LABEL)"], "a target's own value")
        #expect(makeLabels("LABEL = prod\nREGION = eu\nifdef CI\nREGION = us\nendif\n") == ["?$(LABEL)", "?${REGION}"])
    }

    @Test func wrappersBeforeTheAgent() {
        let (_, script) = Self.analyze(
            "start.sh",
            """
            export PREFECT__CONTEXT__SECRETS__A=fake-a
            nice -n 10 prefect agent local start --label nice
            timeout -s KILL 1h prefect agent local start --label timeout
            gosu prefect prefect agent local start --label gosu
            tini -s -- dumb-init --single-child setsid -f prefect agent local start --label init
            sudo -Eu prefect prefect agent local start --label sudo-e
            exec -a agent -c prefect agent local start --label exec
            nohup stdbuf -oL prefect agent local start --label nohup
            poetry run prefect agent local start --label poetry
            conda run -n flows prefect agent local start --label conda
            uv run --with prefect==1.4.1 prefect agent local start --label uv
            pdm run -p /opt/etl prefect agent local start --label pdm
            rye run prefect agent local start --label rye
            hatch run prod:prefect agent local start --label hatch
            pixi run -e prod prefect agent local start --label pixi
            micromamba run -n flows prefect agent local start --label micromamba
            runuser -u prefect -- prefect agent local start --label runuser
            runuser --user=prefect -g prefect -- prefect agent local start --label runuser-group
            runuser -u prefect prefect agent local start
            setpriv --reuid=1000 --regid 1000 --init-groups prefect agent local start --label setpriv
            runuser -u prefect -- env -i prefect agent local start --label runuser-reset
            setpriv --reset-env --reuid=1000 prefect agent local start --label setpriv-reset
            envconsul -prefix etl/agent -secret=secret/etl -upcase -once prefect agent local start --label envconsul
            envconsul -pristine -prefix etl prefect agent local start --label envconsul-pristine
            envconsul --pristine=false -prefix etl prefect agent local start --label envconsul-not-pristine
            summon -p summon-aws -f deploy/secrets.yml -D ENV=prod prefect agent local start --label summon
            dotenvx run -f deploy/agent.env -- prefect agent local start --label dotenvx
            ssh -p 2222 deploy@etl-host -o BatchMode=yes prefect agent local start --label ssh
            timeout 60 ssh etl-host "export PREFECT__CONTEXT__SECRETS__B=\\$(cat /etc/etl/b); prefect agent local start --label ssh-script"
            poetry install
            envconsul -version
            ssh -N -L 4200:localhost:4200 etl-host
            ssh etl-host
            runuser -l prefect
            runuser -u prefect prefect agent local start --label refused-options-without-dashes
            runuser -u prefect -l -- prefect agent local start --label refused-login
            runuser -u prefect -s /bin/sh -- prefect agent local start --label refused-shell
            setpriv -d prefect agent local start --label refused-dump
            """)
        let agents = script.facts.agents
        #expect(agents.map(\.labels) == [
            ["nice"], ["timeout"], ["gosu"], ["init"], ["sudo-e"], ["exec"], ["nohup"], ["poetry"], ["conda"], ["uv"], ["pdm"], ["rye"],
            ["hatch"], ["pixi"], ["micromamba"], ["runuser"], ["runuser-group"], [], ["setpriv"], ["runuser-reset"], ["setpriv-reset"],
            ["envconsul"], ["envconsul-pristine"], ["envconsul-not-pristine"], ["summon"], ["dotenvx"], ["ssh"], ["ssh-script"],
        ], "runuser reads the options of a command after it without `--` as its own, and refuses them")
        #expect(agents.map(\.environmentClearedBy) == [
            nil, nil, nil, nil, nil, "exec -c", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "env -i", "setpriv --reset-env",
            nil, "envconsul -pristine", nil, nil, nil, "ssh", "ssh",
        ])
        // Over ssh only what the remote script sets reaches the agent.
        #expect(agents.map(\.processEnv.count) == [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1])
        #expect(agents.last?.processEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__B"])
        let injected: [[String]] = Array(repeating: [], count: 21) + [["envconsul"], ["envconsul"], ["envconsul"], ["summon"], [], ["ssh"], ["ssh"]]
        #expect(agents.map(\.environmentInjectedBy) == injected)
        #expect(agents[25].envFiles == ["deploy/agent.env"], "dotenvx")

        // The same word twice (a YAML alias) is still two words.
        let (_, compose) = Self.analyze(
            "docker-compose.yml",
            "x-user: &user prefect\nservices:\n  agent:\n    command: [\"runuser\", \"-u\", *user, \"--\", *user, \"agent\", \"local\", \"start\", \"--label\", \"etl\"]\n")
        #expect(compose.facts.agents.map(\.labels) == [["etl"]])

        let (_, dockerfile) = Self.analyze(
            "Dockerfile", "FROM prefecthq/prefect:1.4.1\nENTRYPOINT [\"tini\", \"--\"]\nCMD [\"tini\", \"--\", \"prefect\", \"agent\", \"docker\", \"start\", \"--label\", \"img\"]\n")
        #expect(dockerfile.facts.agents.map(\.labels) == [["img"]])
    }

    @Test func documentationGivesEnvButNoAgents() {
        let text = "# Setup\n\n```bash\nprefect backend server\nprefect agent local start --key fake-doc-key -e PREFECT__CONTEXT__SECRETS__DOC=fake-doc\n```\n"
        let (_, readme) = Self.analyze("README.md", text)
        #expect(readme.isDocumentation)
        #expect(readme.facts.agents.isEmpty && readme.facts.backendSettings.isEmpty && readme.facts.provisions.isEmpty)
        #expect(readme.facts.envAssignments.map(\.context) == [.documentation])
        #expect(readme.facts.credentialFlags.count == 1)
        let (_, notes) = Self.analyze("NOTES.md", text)
        #expect(notes.isDocumentation && notes.facts.isEmpty)
        let (_, docs) = Self.analyze("docs/agents.md", text)
        #expect(docs.facts.envAssignments.count == 1)
    }

    /// Docs write `<your api key>` where a shell would read two redirections and take the next
    /// word as the flag's value; in a script the same line is still shell.
    @Test func documentationPlaceholdersAreOneWord() {
        let line = "prefect agent local start -k <your api key> --label prod 'it''s' \"<q>\"\n"
        let (readmeFile, readme) = Self.analyze("README.md", "```sh\n# <not a placeholder\n" + line + "```\n")
        #expect(readme.facts.credentialFlags.map { readmeFile.text($0.valueSpan) } == ["<your api key>"])
        let (scriptFile, script) = Self.analyze("start.sh", line)
        #expect(script.facts.credentialFlags.map { scriptFile.text($0.valueSpan) } == ["api"])
    }

    @Test func pythonSnippetCloudAPI() {
        let (file, analysis) = Self.analyze(
            "seed.sh", #"python -c "from prefect import Client; Client().set_secret(name='A', value=\"$A\")""# + "\n")
        #expect(analysis.facts.cloudAPIUses.map(\.operation) == ["set_secret"])
        #expect(analysis.facts.cloudAPIUses.map { file.text($0.span) } == ["set_secret"])
    }

    @Test func agentEnvVarsJSONReachesFlowRunsWithoutEnvFlags() {
        let (file, analysis) = Self.analyze(
            "k8s-agent.sh",
            """
            export PREFECT__CLOUD__AGENT__ENV_VARS='{"PREFECT__CONTEXT__SECRETS__A": "lit-a", "B": "$B_VALUE"}'
            prefect agent kubernetes start
            prefect agent kubernetes start -e C=1
            """)
        let agents = analysis.facts.agents
        #expect(agents.map { $0.flowRunEnv.map(\.name) } == [["PREFECT__CONTEXT__SECRETS__A", "B"], ["C"]])
        let nested = analysis.facts.envAssignments.filter { $0.context == .agentEnvVarsJSON }
        #expect(nested.map { file.text($0.nameSpan) } == ["PREFECT__CONTEXT__SECRETS__A", "B"])
        #expect(nested.map { $0.valueSpan.map(file.text) } == ["lit-a", "$B_VALUE"])
        #expect(nested.allSatisfy { $0.agentIndex == 0 })
        #expect(analysis.facts.provisions.map(\.envContext) == [.agentEnvVarsJSON])
    }

    @Test func containerAndShDashCEnvironments() {
        let (_, script) = Self.analyze(
            "run-in-docker.sh",
            """
            export HOST_ONLY=1
            prefect backend cloud
            HOST_PREFIX=1 docker run --rm -e PREFECT__CONTEXT__SECRETS__C=$C -e PREFECT__BACKEND=server prefecthq/prefect:1.4.1 prefect agent local start
            docker run --rm prefecthq/prefect:1.4.1 prefect agent local start
            """)
        let agent = script.facts.agents.first
        #expect(agent?.processEnv.map(\.context) == [.containerEnv, .containerEnv])
        #expect(script.facts.agents.last?.backend == nil, "the container does not see the host's backend.toml")
        #expect(script.facts.agents.last?.processEnv.isEmpty == true)
        #expect(agent?.backend == "server")
        #expect(script.facts.provisions.first?.envContext == .containerEnv)

        let (_, dockerfile) = Self.analyze(
            "Dockerfile.agent",
            #"CMD ["sh", "-c", "export PREFECT__CONTEXT__SECRETS__S=$S && prefect agent docker start -l d"]"# + "\n")
        #expect(dockerfile.facts.agents.first?.processEnv.map(\.name) == ["PREFECT__CONTEXT__SECRETS__S"])
        #expect(dockerfile.facts.agents.first?.labels == ["d"])
    }

    @Test func procfileLinesAreSeparateShells() {
        let (_, procfile) = Self.analyze(
            "Procfile",
            "setup: export PREFECT__BACKEND=server\nagent: prefect agent local start\n")
        #expect(procfile.facts.agents.first?.processEnv.isEmpty == true, "each Procfile line is its own shell")
        #expect(procfile.facts.agents.first?.backend == nil)
    }

    @Test func installCommandsDescribeTheAgentTheyWrite() {
        let (_, analysis) = Self.analyze(
            "install.sh",
            """
            export PREFECT__BACKEND=cloud PREFECT__CLOUD__AGENT__LABELS="['x']"
            prefect agent kubernetes install -b server -l k8s | kubectl apply -f -
            prefect agent local install -p /flows > supervisord.conf
            prefect agent docker install -k fake-docker-install-key
            """)
        let agents = analysis.facts.agents
        #expect(agents.map(\.type) == [.kubernetes, .local], "docker install does not exist in 1.4.1")
        #expect(agents.map(\.backend) == ["server", "cloud"])
        #expect(agents.map(\.apiURL) == ["https://api.prefect.io", nil])
        #expect(agents.map(\.labels) == [["k8s"], []])
        #expect(agents.allSatisfy { $0.processEnv.isEmpty })
        #expect(analysis.facts.backendSettings.map(\.kind) == [.installFlag])
        #expect(analysis.facts.credentialFlags.map(\.agentIndex) == [nil])
    }

    /// Docker runs an exec-form entrypoint with the command's words as its arguments: an
    /// entrypoint that runs `prefect` takes the stage's last exec-form `CMD`; an entrypoint
    /// script leaves the command to be read alone; a `FROM` starts a new stage.
    @Test func dockerfileEntrypointTakesCommand() {
        let (_, joined) = Self.analyze("Dockerfile", """
            FROM prefecthq/prefect:1.4.1
            ENTRYPOINT ["prefect", "agent", "local", "start"]
            CMD ["--label", "a"]
            CMD ["--label", "b", "--no-hostname-label"]

            """)
        #expect(joined.facts.agents.map(\.labels) == [["b"]])
        let (_, script) = Self.analyze("Dockerfile", """
            FROM prefecthq/prefect:1.4.1
            ENTRYPOINT ["/entrypoint.sh"]
            CMD ["prefect", "agent", "docker", "start", "-l", "x"]

            """)
        #expect(script.facts.agents.map(\.type) == [.docker])
        #expect(script.facts.agents.map(\.labels) == [["x"]])
        let (_, stages) = Self.analyze("Dockerfile", """
            FROM prefecthq/prefect:1.4.1 AS agent
            ENTRYPOINT ["prefect", "agent", "local", "start", "-l", "first"]
            FROM python:3.9-slim
            CMD ["--label", "second"]

            """)
        #expect(stages.facts.agents.map(\.labels) == [["first"]], "another image's stage does not give the entrypoint its command")

        let entrypoint = "FROM prefecthq/prefect:1.4.1\nENTRYPOINT [\"prefect\", \"agent\", \"local\", \"start\"]\nCMD [\"--label\", \"a\"]\n"
        let (_, emptied) = Self.analyze("Dockerfile", entrypoint + "CMD []\n")
        #expect(emptied.facts.agents.map(\.labels) == [[]], "CMD [] leaves the entrypoint without arguments")
        let (_, cleared) = Self.analyze("Dockerfile", entrypoint + "ENTRYPOINT []\n")
        #expect(cleared.facts.agents.isEmpty, "ENTRYPOINT [] clears it; `--label a` alone runs nothing")
        let (_, shellForm) = Self.analyze("Dockerfile", entrypoint + "CMD prefect agent local start -l b\n")
        #expect(shellForm.facts.agents.map(\.startRefusal) == ["Prefect 1.4.1 exits with \"Error: No such option '-c'.\""],
                "Docker appends /bin/sh -c TEXT to the entrypoint; the command alone does not run")
        let (_, replaced) = Self.analyze(
            "Dockerfile", "FROM x\nENTRYPOINT [\"prefect\", \"agent\", \"local\", \"start\", \"--key\", \"fake-replaced-key\"]\nENTRYPOINT []\n")
        #expect(replaced.facts.agents.isEmpty)
        #expect(replaced.facts.credentialFlags.map(\.flag) == ["--key"], "a replaced entrypoint's key is still written in the file")
    }

    /// A stage built `FROM` an earlier one inherits its entrypoint, command and `ENV`: its own
    /// `CMD` gives the inherited entrypoint new arguments; its own `ENTRYPOINT` resets the
    /// inherited `CMD`; with only `ENV` of its own it runs its base's command with that env.
    /// `ENV` anywhere in a stage is in its image; a stage built from another image gets none.
    @Test func dockerfileStagesInheritEntrypointCommandAndEnv() {
        let (file, analysis) = Self.analyze("Dockerfile", """
            FROM python:3.9 AS base
            ENTRYPOINT ["prefect", "agent", "local", "start"]
            RUN PREFECT__CONTEXT__SECRETS__BUILD=fake-build-only pip install prefect
            CMD ["--label", "base"]
            ENV PREFECT__CONTEXT__SECRETS__BASE=fake-base-value

            FROM Base AS agent
            CMD ["--label", "etl"]
            FROM agent
            ENV PREFECT__BACKEND=server
            FROM agent AS reset
            ENTRYPOINT ["prefect", "agent", "docker", "start"]
            FROM python:3.9
            ENV PREFECT__CONTEXT__SECRETS__OTHER=fake-other-value
            CMD ["prefect", "agent", "local", "start", "-l", "other"]

            """)
        let agents = analysis.facts.agents
        #expect(agents.map(\.type) == [.local, .local, .local, .docker, .local])
        #expect(agents.map(\.labels) == [["base"], ["etl"], ["etl"], [], ["other"]])
        #expect(agents.map { file.location(of: $0.span.start).line } == [2, 8, 9, 12, 15], "each stage's own instruction")
        #expect(agents.map(\.backend) == [nil, nil, "server", nil, nil])
        let names = agents.map { Set($0.processEnv.map(\.name)) }
        #expect(names[0] == ["PREFECT__CONTEXT__SECRETS__BASE"], "ENV after the command is in the image; a RUN prefix is not")
        #expect(names[1] == ["PREFECT__CONTEXT__SECRETS__BASE"])
        #expect(names[2] == ["PREFECT__CONTEXT__SECRETS__BASE", "PREFECT__BACKEND"])
        #expect(names[4] == ["PREFECT__CONTEXT__SECRETS__OTHER"])
    }

    /// What a stage runs is read in that stage's env, also when its words are written in the
    /// base stage (behind `sh -c` or `env`); a shell-form entrypoint ignores the command; a
    /// replaced one does not run; an inherited credential flag counts once.
    @Test func dockerfileStageCommandsRunInTheirStage() {
        func agents(_ text: String) -> [String] {
            Self.analyze("Dockerfile", text).1.facts.agents.map { agent in
                "\(agent.type.rawValue) \(agent.labels.joined(separator: ",")) \(agent.processEnv.map(\.name).joined(separator: ","))"
            }
        }
        #expect(agents("""
            FROM python:3.9 AS base
            CMD ["sh", "-c", "prefect agent local start"]
            FROM base AS etl
            ENV PREFECT__CLOUD__AGENT__LABELS='["etl"]'
            """) == ["local  ", "local etl PREFECT__CLOUD__AGENT__LABELS"])
        #expect(agents("""
            FROM python:3.9 AS base
            ENTRYPOINT ["env", "A=1", "prefect", "agent", "local", "start"]
            FROM base AS etl
            CMD ["--label", "etl"]
            ENV PREFECT__CONTEXT__SECRETS__S=fake-value-1
            """) == ["local  A", "local etl A,PREFECT__CONTEXT__SECRETS__S"])
        #expect(agents("""
            FROM python:3.9 AS base
            CMD prefect agent local start
            FROM base AS etl
            ENV X=1
            """) == ["local  ", "local  X"], "an inherited shell-form command runs again with the stage's env")
        #expect(agents("""
            FROM python:3.9
            ENTRYPOINT prefect agent local start --label a
            CMD ["prefect", "agent", "docker", "start", "--label", "etl"]
            """) == ["local a "], "a shell-form entrypoint ignores the command")
        #expect(agents("""
            FROM python:3.9
            ENTRYPOINT prefect agent local start --label a
            ENTRYPOINT ["/entrypoint.sh"]
            CMD ["prefect", "agent", "docker", "start", "--label", "etl"]
            """) == ["docker etl "], "a replaced entrypoint does not run; /entrypoint.sh runs the command")
        #expect(agents("""
            ARG BASE=base
            FROM python:3.9 AS base
            ENTRYPOINT ["prefect", "agent", "local", "start"]
            FROM ${BASE} AS d
            CMD ["--label", "etl"]
            """) == ["local  ", "local etl "], "FROM uses a global ARG's default")
        let (_, inherited) = Self.analyze("Dockerfile", """
            FROM python:3.9 AS base
            ENTRYPOINT ["prefect", "agent", "local", "start", "--key", "fake-value-1"]
            CMD ["--label", "a"]
            FROM base AS d
            CMD ["--label", "b"]
            FROM d AS e
            ENV X=1
            """)
        #expect(inherited.facts.agents.map(\.labels) == [["a"], ["b"], ["b"]])
        #expect(inherited.facts.credentialFlags.count == 1)
    }

    /// Prefect 1.4.1's click refuses these commands (checked against `prefect agent … start`):
    /// the agents never start. Arguments that are not literal may be options or nothing.
    @Test func commandsPrefectRefusesNeverStart() {
        let script = """
            prefect agent start -t fake-token-value
            prefect agent nomad start
            prefect agent docker start --token fake-token-value --label
            prefect agent docker start --label prod --env
            prefect agent local start -p /flows-k fake-install-key
            prefect agent local start $AGENT_ARGS
            prefect agent docker start -l prod -e A=1
            prefect agent docker start -l prod --help extra
            prefect agent docker start --no-pull=1
            prefect agent docker start --max-polls x --log-level info
            prefect agent ecs start --launch-type EXTERNAL
            prefect agent local start -e NOEQ
            prefect agent local start $FLAG sh
            prefect agent local start ${IMPORT:+-p} /opt/flows
            prefect agent local start -l sh --keyfake_glued_value
            prefect agent local install -p /flows -k "$KEY"
            prefect agent local install -p /flows -l a
            prefect agent docker start --max-polls 1_0 --log-level Info --docker-client-timeout " 60 "
            prefect agent local start -f=1
            prefect agent Fake_Type9 start
            prefect agent local install -p /flows -k "" --tenant-id t1
            prefect agent local start -l etl --max-polls x --max-polls 5
            prefect agent local start -l $LABELS extra
            prefect agent local start -f"$X" extra
            prefect agent local start -l "$@" extra
            prefect agent docker start -hz
            prefect agent docker start --log-level trace --max-polls x
            prefect agent docker start --help=1

            """
        let (_, analysis) = Self.analyze("old.sh", script)
        let click = { (error: String) in "Prefect 1.4.1 exits with \"Error: \(error)\"" }
        let refusals: [String?] = [
            click("No such command 'start'."), click("No such command 'nomad'."), click("No such option '--token'."),
            click("Option '--env' requires an argument."), click("Got unexpected extra argument."), nil, nil,
            "--help prints the usage and exits", click("Option '--no-pull' does not take a value."),
            "Prefect 1.4.1 exits: --max-polls takes an integer (the value is not shown)",
            "Prefect 1.4.1 exits: --launch-type takes FARGATE or EC2 (the value is not shown)",
            "Prefect 1.4.1 raises ValueError: an --env value without '='",
            nil, nil,  // `$FLAG` may be `--label`, taking `sh` as its value
            "Prefect 1.4.1 exits: it has no such option (the name is not shown: it may hold a value)",
            nil,  // `$KEY` may be empty: Prefect then writes no `-k`
            nil, nil, click("No such option '-='."), "Prefect 1.4.1 exits: it has no such agent type (the word is not shown: it may be a value)",
            "the supervisord command it writes glues the last import path to --tenant-id (-p PATH--tenant-id …), and Prefect 1.4.1 exits with \"Error: Got unexpected extra argument.\"",
            nil, nil, nil,
            nil,  // "$@" may be no word: `extra` is then the label
            click("No such option '-z'."),
            "Prefect 1.4.1 exits: --log-level takes one of DEBUG, INFO, WARNING, ERROR (the value is not shown)",
            click("Option '--help' does not take a value."),
        ]
        #expect(analysis.facts.agents.map(\.startRefusal) == refusals)
        #expect(!analysis.facts.agents.contains { $0.startRefusal?.contains("fake_glued") == true })
        #expect(analysis.facts.credentialFlags.map(\.flag).prefix(3) == ["-t", "--token", "-k"], "keys stay plaintext credentials (PS105)")
    }

    /// A dotenv line as `docker run --env-file` and as GNU make's `include` read it, where that
    /// differs from python-dotenv's value: Docker keeps the rest of the line, make ends it at
    /// any `#` and keeps quotes and blanks; make's references (`$(H)`, `\#`) are not judged.
    @Test func dotenvLinesAsDockerAndMakeReadThem() {
        let text = "A=\"x#y\"\nB=$$d\nC=$(H)\nD=v\nE=v # note\nF=\\#x\n  G=' q '\r\n"
        let facts = ShellAnalyzer().analyze(SourceFile(path: "agent.env", text: text), kind: .dotenv).facts
        #expect(facts.envAssignments.map(\.name) == ["A", "B", "C", "D", "E", "F", "G"])
        // Nil where the reader agrees with python-dotenv (`$(H)` and `\#x` are text to both).
        #expect(facts.envAssignments.map(\.dockerValue) == ["\"x#y\"", "$$d", nil, nil, "v # note", nil, "' q '"])
        #expect(facts.envAssignments.map(\.makeValue) == ["\"x", "$d", nil, nil, "v ", nil, "' q '"])
    }
}
