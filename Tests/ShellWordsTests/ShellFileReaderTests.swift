import Foundation
import Spans
import TestSupport
import Testing

@testable import ShellWords

/// Every fixture under testdata/shell/<kind>/ is read as that kind and compared with `<fixture>.golden`.
@Test(arguments: ShellFileKind.allCases)
func goldenFacts(kind: ShellFileKind) throws {
    let dir = TestPaths.testdata.appendingPathComponent("shell").appendingPathComponent(kind.rawValue)
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !$0.hasSuffix(".golden") }.sorted()
    #expect(!names.isEmpty, "no fixtures for \(kind)")
    for name in names {
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        let file = SourceFile(path: name, bytes: Array(data))
        let facts = ShellFileReader.read(file, kind: kind)
        let dump = ShellDump(file: file).facts(facts)
        if let mismatch = snapshotMismatch(dump, path: "testdata/shell/\(kind.rawValue)/\(name).golden") {
            Issue.record(Comment(rawValue: mismatch))
        }
    }
}

@Test func detectsFileKinds() {
    let sh = Array("#!/usr/bin/env bash\necho\n".utf8)
    let none: [UInt8] = Array("print(1)\n".utf8)
    #expect(ShellFileKind.detect(path: "a/b/run-agent", bytes: sh) == .shellScript)
    #expect(ShellFileKind.detect(path: "a/b/run-agent", bytes: none) == nil)
    #expect(ShellFileKind.detect(path: "x.sh", bytes: none) == .shellScript)
    #expect(ShellFileKind.detect(path: "Makefile", bytes: none) == .makefile)
    #expect(ShellFileKind.detect(path: "docker/Dockerfile.prod", bytes: none) == .dockerfile)
    #expect(ShellFileKind.detect(path: "prefect-agent.service", bytes: none) == .systemdUnit)
    #expect(ShellFileKind.detect(path: "Procfile", bytes: none) == .procfile)
    #expect(ShellFileKind.detect(path: "deploy/crontab", bytes: none) == .crontab)
    #expect(ShellFileKind.detect(path: "lab.cron", bytes: none) == .crontab)
    #expect(ShellFileKind.detect(path: "etc/crontab", bytes: none) == .systemCrontab)
    #expect(ShellFileKind.detect(path: "etc/cron.d/prefect-agent", bytes: none) == .systemCrontab)
    #expect(ShellFileKind.detect(path: "cronjob.py", bytes: none) == nil)
    #expect(ShellFileKind.detect(path: ".env", bytes: none) == .dotenv)
    #expect(ShellFileKind.detect(path: ".env.local", bytes: none) == .dotenv)
    #expect(ShellFileKind.detect(path: "prod.env", bytes: none) == .dotenv)
    #expect(ShellFileKind.detect(path: "supervisord.conf", bytes: none) == .supervisord)
    #expect(ShellFileKind.detect(path: "README.md", bytes: none) == .markdown)
    #expect(ShellFileKind.detect(path: "docs/guide.md", bytes: none) == .markdown)
    #expect(ShellFileKind.hasShellShebang(Array("#!/bin/dash -e\n".utf8)))
    #expect(!ShellFileKind.hasShellShebang(Array("#!/usr/bin/python3\n".utf8)))
}

@Test func agentEnvFlagsWithSpans() throws {
    let src = "prefect agent local start \\\n  --env \"PREFECT__CONTEXT__SECRETS__X=a b\" -e K=$V -e NOEQ --key=fake -l a -l b"
    let facts = ShellFileReader.read(SourceFile(path: "x.sh", text: src), kind: .shellScript)
    let agent = try #require(facts.agentCommands.first)
    #expect(agent.agentType == .local && agent.subcommand == .start && !agent.isDeprecatedForm)
    #expect(agent.env.map(\.name) == ["PREFECT__CONTEXT__SECRETS__X", "K", "NOEQ"])
    #expect(agent.env.map { $0.value?.value } == ["a b", "$V", nil])
    #expect(agent.env.map(\.valueIsLiteral) == [true, false, true])
    #expect(agent.env.map(\.isMalformed) == [false, false, true])
    let b = Array(src.utf8)
    let x = agent.env[0]
    #expect(String(decoding: b[x.nameSpan.range], as: UTF8.self) == "PREFECT__CONTEXT__SECRETS__X")
    #expect(String(decoding: b[try #require(x.value).contentSpan.range], as: UTF8.self) == "a b")
    #expect(agent.key?.value?.value == "fake")
    #expect(agent.labels.map(\.value) == ["a", "b"])
}

@Test func kubernetesInstallShortFlagsDifferFromStart() throws {
    let install = ShellScript.recognizedAgent("prefect agent kubernetes install -n ns -b server -i sec")
    #expect(install?.values(of: "--namespace").map(\.value) == ["ns"])
    #expect(install?.backend?.value?.value == "server")
    #expect(install?.name == nil)
    let start = ShellScript.recognizedAgent("prefect agent kubernetes start -n agent-name --namespace ns")
    #expect(start?.name?.value?.value == "agent-name")
    #expect(start?.values(of: "--namespace").map(\.value) == ["ns"])
    let docker = ShellScript.recognizedAgent("prefect agent docker install -k x")
    #expect(docker?.isSupported == false)
    let unknown = ShellScript.recognizedAgent("prefect agent local start --token t")
    #expect(unknown?.unknownOptions.map(\.name) == ["--token"])
}

@Test func envAssignmentsOfAScriptCarryTheirContext() {
    let s = ShellParser.parse("A=1\nexport B=2 C\nD=3 cmd\nenv E=4 prefect agent local start -e F=5\ndocker run -e G=6 img")
    let all = ShellCommands.envAssignments(in: s)
    #expect(all.map(\.name) == ["A", "B", "C", "D", "E", "F", "G"])
    #expect(all.map(\.context) == [.shellVariable, .export, .export, .commandPrefix, .envCommand, .agentEnvFlag, .dockerRunEnv])
}

/// `docker build` (also `image build`, `buildx build`, podman's): its tags, `-f`, `--target`
/// and context, past options with and without values.
@Test(arguments: [
    ("docker build -t etl/agent:1.4 -t etl/agent:latest -f deploy/Dockerfile --build-arg V=1 --no-cache --target prod .",
     #"docker build tags=["etl/agent:1.4", "etl/agent:latest"] file=deploy/Dockerfile target=prod context=."#),
    ("docker buildx build --push --platform=linux/amd64 --tag=etl/agent ctx", #"docker build tags=["etl/agent"] file=none target=none context=ctx"#),
    ("podman image build -q -t etl/agent:$V docker", #"docker build tags=["etl/agent:$V"] file=none target=none context=docker"#),
])
func dockerBuildIsRecognized(_ source: String, _ expected: String) throws {
    let script = ShellParser.parse(source)
    let recognized = try #require(ShellCommands.recognize(script.commands[0]))
    #expect(ShellDump(file: SourceFile(path: "x.sh", bytes: Array(source.utf8))).recognized(recognized) == [expected])
}

/// `kubectl create secret generic NAME` and `create configmap NAME` (also `cm`, `oc`), past
/// global options and flags with attached values; other kubectl commands are none.
@Test(arguments: [
    ("kubectl -n flows create secret generic flow-secrets --from-env-file=k8s/flow.env --from-literal \"PREFECT__CONTEXT__SECRETS__A=$A\" --dry-run=client -o yaml",
     #"kubectl create Secret flow-secrets envFiles=["k8s/flow.env"] literals=["PREFECT__CONTEXT__SECRETS__A=$A"] files=[] hash=false"#),
    ("oc create cm agent-config --from-literal=PREFECT__BACKEND=server --from-file=labels=conf/labels.txt --append-hash",
     #"kubectl create ConfigMap agent-config envFiles=[] literals=["PREFECT__BACKEND=server"] files=["labels=conf/labels.txt"] hash=true"#),
])
func kubectlCreateIsRecognized(_ source: String, _ expected: String) throws {
    let script = ShellParser.parse(source)
    let recognized = try #require(ShellCommands.recognize(script.commands[0]))
    #expect(ShellDump(file: SourceFile(path: "x.sh", bytes: Array(source.utf8))).recognized(recognized) == [expected])
}

@Test(arguments: ["kubectl apply -f k8s/", "kubectl create secret tls web --cert=c.pem --key=k.pem", "kubectl create namespace flows", "kubectl get secret create"])
func otherKubectlCommandsAreNone(_ source: String) {
    #expect(ShellCommands.recognize(ShellParser.parse(source).commands[0]) == nil)
}

@Test func pythonSnippetMapsBackToTheFile() throws {
    let src = #"python -c "import os; print(\"hi\")""#
    let s = ShellParser.parse(src)
    guard case .pythonSnippet(let p) = try #require(ShellCommands.recognize(s.commands[0])) else {
        Issue.record("not a snippet")
        return
    }
    #expect(p.text == #"import os; print("hi")"#)
    // Byte 18 of the snippet (`"` before hi) comes from the escape `\"` in the file.
    let outer = p.offsetMap.outer(17)
    #expect(Array(src.utf8)[outer] == UInt8(ascii: "\\"))
    #expect(p.offsetMap.outer(0) == 11)
}

extension ShellScript {
    static func recognizedAgent(_ src: String) -> AgentCommand? {
        let s = ShellParser.parse(src)
        guard let c = s.commands.first, case .agent(let a)? = ShellCommands.recognize(c) else { return nil }
        return a
    }
}

@Test func embeddedYamlRunBlockMapsToTheFile() throws {
    // A YAML file with a plain `run:` scalar; the caller passes the scalar's bytes and its start.
    let yaml = "steps:\n  - run: prefect agent local start -e PREFECT__CONTEXT__SECRETS__Y=$Y --key fake-yaml\n"
    let offset = yaml.utf8.count - yaml.utf8.drop(while: { $0 != UInt8(ascii: ":") }).dropFirst(1).drop(while: { $0 != UInt8(ascii: ":") }).dropFirst(2).count
    let scalar = Array(yaml.utf8)[offset..<(yaml.utf8.count - 1)]
    let facts = ShellFileReader.readEmbeddedScript(Array(scalar), map: .base(offset))
    let agent = try #require(facts.agentCommands.first)
    let b = Array(yaml.utf8)
    #expect(String(decoding: b[agent.env[0].nameSpan.range], as: UTF8.self) == "PREFECT__CONTEXT__SECRETS__Y")
    #expect(agent.env[0].valueIsLiteral == false)
    #expect(String(decoding: b[try #require(agent.key?.value).span.range], as: UTF8.self) == "fake-yaml")
    #expect(facts.commands.first?.origin == .embedded)
}

@Test func embeddedArgumentListWithDashC() throws {
    // command: ["/bin/sh", "-c", "prefect agent kubernetes start -e \"A=1\""] with exact JSON offsets.
    let src = #"command: ["/bin/sh", "-c", "prefect agent kubernetes start -e \"A=1\""]"#
    let b = Array(src.utf8)
    let words = try #require(JSONStringArray.parse(b, from: 9, map: .base(0)))
    #expect(words.map(\.value) == ["/bin/sh", "-c", #"prefect agent kubernetes start -e "A=1""#])
    let facts = ShellFileReader.readArguments(words)
    let agent = try #require(facts.agentCommands.first)
    #expect(agent.agentType == .kubernetes)
    #expect(agent.env.map(\.name) == ["A"])
    #expect(String(decoding: b[try #require(agent.env[0].value).contentSpan.range], as: UTF8.self) == "1")
    let arg = ShellWord.argument("x y", map: .base(5))
    #expect(arg.span == ByteSpan(5, 8) && arg.isLiteral && arg.value == "x y")
}

@Test func supervisordDetectedByContent() {
    #expect(ShellFileKind.detect(path: "conf.d/agent.conf", bytes: Array("[program:agent]\ncommand=x\n".utf8)) == .supervisord)
    #expect(ShellFileKind.detect(path: "nginx.conf", bytes: Array("server {}\n".utf8)) == nil)
}

@Test func dockerfileInvalidJSONFallsBackToShellForm() {
    // Commands are read when the stage ends; a shell-form entrypoint ignores the command,
    // which is read as text first.
    let src = "CMD [\"prefect\", 'agent']\nENTRYPOINT [\"a\",]\nCMD []\n"
    let facts = ShellFileReader.read(SourceFile(path: "Dockerfile", text: src), kind: .dockerfile)
    #expect(facts.commands.map { $0.command.words.map(\.value) } == [["[prefect,", "agent]"], ["[a,]"]])
}

/// Where an image's file comes from in the build context, by `COPY`/`ADD`.
@Test func dockerCopySources() {
    #expect(DockerCopy(sources: ["start.sh"], destination: "/start.sh").sources(of: "/start.sh") == ["start.sh"])
    #expect(DockerCopy(sources: ["ops/start.sh"], destination: "/opt/").sources(of: "/opt/start.sh") == ["ops/start.sh", "ops/start.sh/start.sh"])
    #expect(DockerCopy(sources: ["scripts/"], destination: "/opt").sources(of: "/opt/start.sh") == ["scripts/start.sh"])
    #expect(DockerCopy(sources: ["."], destination: "/app").sources(of: "/app/bin/start.sh") == ["bin/start.sh"])
    #expect(DockerCopy(sources: ["a.sh"], destination: "/a.sh").sources(of: "/b.sh").isEmpty)
    let facts = ShellFileReader.read(SourceFile(path: "Dockerfile", text: "FROM x\nCOPY --chown=1 a.sh b.sh /opt/\nCOPY --from=build /x /y\nADD [\"c.sh\", \"/c.sh\"]\n"), kind: .dockerfile)
    #expect(facts.dockerStages.first?.copies == [
        DockerCopy(sources: ["a.sh", "b.sh"], destination: "/opt/"), DockerCopy(sources: ["/x"], destination: "/y", fromContext: false),
        DockerCopy(sources: ["c.sh"], destination: "/c.sh"),
    ])
    #expect(DockerCopy(sources: ["https://example.com/a.sh"], destination: "/a.sh", fromContext: false).covers("/a.sh"))
}

/// A program whose directory is a reference is known by the name written after the last `/`
/// (virtualenvs in scripts and Makefiles); a name that is itself a reference is not, unless
/// the variable is named for the program (`$PREFECT`, `"$PREFECT_BIN"`).
@Test func programInAReferencedDirectory() {
    for src in [
        #""$HOME/.local/bin/prefect" agent docker start --label a"#, "$VENV/bin/prefect agent docker start --label a",
        "$PREFECT agent docker start --label a", #""${PREFECT_BIN}" agent docker start --label a"#,
    ] {
        #expect(ShellScript.recognizedAgent(src)?.labels.map(\.value) == ["a"], "\(src)")
    }
    #expect(ShellScript.recognizedAgent("/usr/bin/$TOOL agent docker start --label a") == nil)
    #expect(ShellScript.recognizedAgent("$TOOL agent docker start --label a") == nil)
}

/// What a script's command runs as another script: a program written with a folder or a
/// script's suffix, past wrappers and shells, also after a reference to its folder; or the
/// script's own arguments (`exec "$@"`).
@Test func scriptsAScriptRuns() {
    func program(_ text: String) -> String? { ShellParser.parse(text).commands.first.flatMap { ShellCommands.scriptProgram($0.words) } }
    #expect(program("exec ./deploy/start-agent.sh") == "./deploy/start-agent.sh")
    #expect(program("nohup bash deploy/start.sh --debug") == "deploy/start.sh")
    #expect(program("exec \"$(dirname \"$0\")/start-agent.sh\"") == "start-agent.sh")
    #expect(program("\"$DIR\"/deploy/start.sh") == "deploy/start.sh")
    #expect(program("/opt/$APP/start.sh") == "start.sh")
    #expect(program("python -u agent.py") == "agent.py")
    #expect(program("start.sh") == "start.sh")
    #expect(program("echo hi") == nil)
    #expect(program("exec prefect agent local start") == nil)
    #expect(program("\"$PREFECT_BIN\"/prefect agent local start") == nil)
    #expect(program("docker compose up") == nil)
    #expect(program("exec \"$@\"") == nil)
    func runsArguments(_ text: String) -> Bool { ShellParser.parse(text).commands.first.map { ShellCommands.runsArguments($0.words) } ?? false }
    #expect(runsArguments("exec \"$@\""))
    #expect(runsArguments("exec $*"))
    #expect(!runsArguments("echo \"$@\""))
    #expect(!runsArguments("exec \"$1\""))
}

/// Secrets managers run the command after their own arguments with secrets in its
/// environment: the agent behind them is found, and they are named.
@Test func secretsManagersRunTheAgent() {
    let lines = [
        ("doppler run -p etl -c prd -- prefect agent local start -l a", ["doppler run"]),
        ("op run --env-file=prod.env -- prefect agent local start -l a", ["op run"]),
        ("infisical run --env=prod -- prefect agent local start -l a", ["infisical run"]),
        ("chamber exec etl shared -- prefect agent local start -l a", ["chamber exec"]),
        ("aws-vault exec prod -- prefect agent local start -l a", ["aws-vault exec"]),
        ("aws-vault exec --duration=1h prod prefect agent local start -l a", ["aws-vault exec"]),
        ("exec nohup doppler run -- prefect agent local start -l a", ["doppler run"]),
        ("with-contenv prefect agent local start -l a", []),
    ]
    for (line, injectors) in lines {
        let facts = ShellFileReader.read(SourceFile(path: "start.sh", text: line + "\n"), kind: .shellScript)
        #expect(facts.agentCommands.count == 1, "\(line)")
        let words = facts.commands.first?.command.words ?? []
        #expect(ShellCommands.environmentInjectors(words) == injectors, "\(line)")
    }
    let wrapped = ShellParser.parse("\"$(dirname \"$0\")/with-secrets.sh\" prefect agent local start\n").commands.first?.words ?? []
    #expect(ShellCommands.argumentRunningScripts(wrapped) == ["with-secrets.sh"])
    // Scripts given the command in turn, also through a wrapper; a script given anything else runs no agent.
    for (line, scripts) in [
        ("./with-vault.sh ./with-secrets.sh prefect agent local start", ["./with-vault.sh", "./with-secrets.sh"]),
        ("with-secrets.sh nohup prefect agent local start", ["with-secrets.sh"]), ("run.sh echo prefect agent local start", []),
    ] {
        let words = ShellParser.parse(line + "\n").commands.first?.words ?? []
        #expect(ShellCommands.argumentRunningScripts(words) == scripts, "\(line)")
        #expect(ShellFileReader.read(SourceFile(path: "start.sh", text: line + "\n"), kind: .shellScript).agentCommands.count == (scripts.isEmpty ? 0 : 1), "\(line)")
    }
    // Without `--`, chamber's services run to the end: no command; doppler `--command` runs a string.
    for line in ["chamber exec etl prefect agent local start", "doppler run --command 'prefect agent local start'"] {
        #expect(ShellFileReader.read(SourceFile(path: "start.sh", text: line + "\n"), kind: .shellScript).agentCommands.isEmpty, "\(line)")
    }
}

/// python-dotenv's `dotenv [-f FILE] run [--override] COMMAND…` runs the command with the
/// file's variables (`.env` without `-f`); `dotenv set`/`list` run nothing. So does `uv run
/// --env-file FILE`.
@Test func dotenvRunsTheCommandWithAFile() {
    func read(_ line: String) -> (agents: Int, files: [String]) {
        let facts = ShellFileReader.read(SourceFile(path: "start.sh", text: line + "\n"), kind: .shellScript)
        return (facts.agentCommands.count, ShellCommands.dotenvFiles(facts.commands.first?.command.words ?? []))
    }
    #expect(read("dotenv run prefect agent local start") == (1, [".env"]))
    #expect(read("dotenv -f deploy/agent.env run --no-override prefect agent local start") == (1, ["deploy/agent.env"]))
    #expect(read("dotenv --file=prod.env -q never run prefect agent local start") == (1, ["prod.env"]))
    #expect(read("dotenv -f \"$ENV_FILE\" run prefect agent local start") == (1, []))
    #expect(read("dotenv set KEY value") == (0, []))
    #expect(read("dotenv run") == (0, []))
    // uv reads each `--env-file`.
    #expect(read("uv run --env-file deploy/base.env --env-file=deploy/prod.env prefect agent local start") == (1, ["deploy/base.env", "deploy/prod.env"]))
    #expect(read("uv run --with prefect==1.4.1 prefect agent local start") == (1, []))
    // dotenvx reads each `-f`, `.env` without one.
    #expect(read("dotenvx run -f deploy/base.env --env-file=deploy/prod.env --overload -- prefect agent local start") == (1, ["deploy/base.env", "deploy/prod.env"]))
    #expect(read("dotenvx run -- prefect agent local start") == (1, [".env"]))
}

/// A justfile: `export NAME := value` and every assignment under `set export` are recipe
/// exports (`env_var("X")` a reference, a backtick command's output unknown), other
/// assignments just's variables; each recipe line is a command (`@`, `-` dropped, `\` going
/// on), a `#!` recipe one script; `set dotenv-load` reads `.env` or the file it names.
@Test func justfileRecipesAndExports() throws {
    let source = """
        set dotenv-load
        set dotenv-filename := "deploy/agent.env"
        export PREFECT__BACKEND := "server"
        TOKEN := env_var("TOKEN")
        VERSION := `git describe`

        # the agent
        @agent label="etl": build
            @echo starting
            -prefect agent local start --label {{label}} \
              --no-hostname-label

        script:
            #!/usr/bin/env bash
            export A=1
            prefect agent docker start --label dock
        """
    let facts = ShellFileReader.read(SourceFile(path: "justfile", text: source))
    #expect(facts.kind == .justfile)
    #expect(facts.assignments.map(\.name) == ["PREFECT__BACKEND", "TOKEN", "VERSION", "A"])
    #expect(facts.assignments.map(\.context) == [.makeExport, .makeVariable, .makeVariable, .export])
    #expect(facts.assignments[0].value?.literalValue == "server" && facts.assignments[1].value?.isLiteral == false)
    #expect(facts.agentCommands.map { $0.labels.map(\.value) } == [["{{label}}"], ["dock"]])
    #expect(facts.agentCommands.first?.options.contains { $0.name == "--no-hostname-label" } == true, "a `\\` line goes on")
    #expect(facts.referencedFiles.map(\.path.value) == ["deploy/agent.env"])
    #expect(facts.oneShellSpans.count == 1)
    let exported = ShellFileReader.read(SourceFile(path: "ci.just", text: "set export\nset dotenv-load\nNAME := 'x'\nESCAPED := \"a\\tb\"\n"))
    #expect(exported.assignments.map(\.context) == [.makeExport, .makeExport] && exported.referencedFiles.map(\.path.value) == [".env"])
    // A string's escapes stay as written: its text is a value, reported and hidden where it stands.
    #expect(exported.assignments.last?.value?.literalValue == "a\\tb")
}

/// A Makefile's `include`, `-include` and `sinclude` name the files read as part of it (one
/// word each, `$(…)` ones too); a bare `export` exports every variable; `include = x` and
/// `export NAME` are assignments.
@Test func makefileIncludesAndExportAll() {
    func read(_ text: String) -> (includes: [String], exportsAll: Bool) {
        let facts = ShellFileReader.read(SourceFile(path: "Makefile", text: text), kind: .makefile)
        return (facts.makeIncludes.map(\.path.value), facts.exportsAllMakeVariables)
    }
    #expect(read("include .env\nexport\n") == ([".env"], true))
    #expect(read("-include .env deploy/$(STAGE).env # local\nsinclude x.mk\nexport # all\n") == ([".env", "deploy/$(STAGE).env", "x.mk"], true))
    #expect(read("include = x\nexport A B\nincluded: .env\n") == ([], false))
    #expect(read("agent:\n\tinclude .env\n\texport\n") == ([], false), "recipe lines are shell")
}

/// `docker run --env-file` refuses a file with a name that has a blank (`export NAME=…`,
/// `NAME = v`, `NAME ` alone) or a line with no name: the first such line and why, without
/// its text. Comments, blank lines, a BOM and a CR before the newline are not refused.
@Test func dockerRefusesEnvFileLines() {
    func refusal(_ text: String) -> String? {
        DockerEnvFile.refusal(in: Array(text.utf8)).map { "\($0.line) \($0.reason)" }
    }
    #expect(refusal("\u{FEFF}# agent env\n\nA=1\n  B=\"two words\" # c\nC\r\nD=\n") == nil)
    #expect(refusal("A=1\nexport B=2\nC = 3\n") == "2 `export` before a name, which Docker takes for part of it")
    #expect(refusal("A=1\r\nC = 3\n") == "2 a name with a blank in it")
    #expect(refusal("KEY \n") == "1 a name with a blank in it")
    #expect(refusal("\t=value\n") == "1 a line with no name before `=`")
    #expect(refusal("PASSWORD hunter2x\n") == "1 a name with a blank in it")
}
