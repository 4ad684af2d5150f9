import PrefectModel
import Spans

/// PS403 lossy-secret-value where the model sees a value travel through a reader that takes a
/// dotenv line otherwise than python-dotenv, Compose and a shell: `docker run --env-file`
/// reads the text after `=` as written (quotes, a comment and `${…}` stay), a Makefile's
/// `include` reads it as make syntax (quotes and trailing blanks stay, `#` ends the value
/// even inside quotes). A flow run of an agent those reach gets that text: reported when the
/// secret the flow reads then differs from the one the file spells (Prefect's own literal
/// evaluation strips the quotes of `PREFECT__CONTEXT__SECRETS__X="abc"`, so most such lines
/// are fine; `EnvVarSecret` gets the quotes).
public struct EnvFileReaderValueRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS403"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        var reported: Set<[ProjectLocation]> = []
        for flow in model.flows {
            for agent in model.agents(running: flow) where !agent.dockerEnvFilePaths.isEmpty || !agent.makeIncludedEnvFilePaths.isEmpty {
                let environment = model.runEnvironment(flow: flow, agent: agent)
                for reference in flow.references {
                    guard let name = reference.name, let read = Self.read(name, kind: reference.kind, in: environment, agent: agent, model: model),
                        reported.insert([read.location, agent.location]).inserted
                    else { continue }
                    let what = reference.kind == .envVarSecret ? "environment variable \(name) (read with EnvVarSecret)" : "secret \(name)"
                    sink.report(
                        "PS403", path: read.location.path, span: read.valueSpan,
                        message: "\(what) keeps \(read.kept) in the runs of \(ModelMessages.flow(flow, model)) under \(ModelMessages.agent(agent, model)): "
                            + "\(read.reader), where python-dotenv, Compose and a shell take them out",
                        secretName: name, secretSpan: read.valueSpan, redactedValue: Redaction.placeholder(for: Array(read.value.utf8)))
                }
            }
        }
    }

    /// The entry that gives the run `name` when `docker run --env-file` or a Makefile's
    /// `include` read it from a line whose value that reader keeps otherwise than a dotenv
    /// reader, and the run then sees another value: the line's value span and value, what the
    /// reader kept, and how it reads the line.
    static func read(
        _ name: String, kind: SecretReferenceKind, in environment: RunEnvironment, agent: AgentEntity, model: ProjectModel
    ) -> (location: ProjectLocation, valueSpan: ByteSpan, value: String, kept: String, reader: String)? {
        let readsVariable = kind == .envVarSecret
        let entry = environment.entries.last { entry in
            guard entry.assignment.value != nil else { return false }
            if readsVariable { return entry.assignment.name == name }
            guard case .secret(let secret, let nested) = EnvConfigMapping.classify(entry.assignment.name) else { return false }
            return secret == name && nested.isEmpty
        }
        guard let entry, let written = model.file(at: entry.location.path)?.facts.envAssignments.first(where: { $0.nameSpan == entry.assignment.nameSpan }),
            let dotenv = written.value, let span = written.valueSpan
        else { return nil }
        let byDocker = agent.dockerEnvFilePaths.contains(entry.location.path)
        guard let read = byDocker ? written.dockerValue : agent.makeIncludedEnvFilePaths.contains(entry.location.path) ? written.makeValue : nil else { return nil }
        let reader = byDocker ? "`docker run --env-file` reads the line as written" : "make reads the line its Makefile includes as make syntax"
        // Prefect's own loading expands `${…}` in a secret's value; EnvVarSecret does not.
        let kept = keptText(read, byMake: !byDocker, expands: readsVariable && written.origin != .literal)
        guard !kept.isEmpty else { return nil }
        if !readsVariable {
            // Prefect literal-evaluates both: only a different Secret.get counts.
            let home = LossySecretValueRule.home
            func get(_ value: String) -> SecretGetOutcome {
                SecretResolution(
                    input: PrefectConfigInput(
                        environment: PrefectEnvironment([home, (entry.assignment.name, value)]), userHomes: LossySecretValueRule.userHomes)
                ).get(name)
            }
            guard get(read) != get(dotenv) else { return nil }
        }
        return (ProjectLocation(path: entry.location.path, span: span), span, dotenv, kept.joined(separator: " and "), reader)
    }

    /// What the reader keeps of a line that a dotenv reader takes out: "its quotes", "the
    /// comment after it" (Docker), "its trailing blanks", "`${…}` unexpanded" (Docker). Make
    /// ends the value at any `#`: a quoted value with one loses its closing quote.
    static func keptText(_ read: String, byMake: Bool, expands: Bool) -> [String] {
        var kept: [String] = []
        let text = Array(read.utf8)
        let rest: ArraySlice<UInt8>
        if let quote = text.first, quote == 0x22 || quote == 0x27 {
            let close = text.dropFirst().firstIndex(of: quote).map { $0 + 1 }
            kept.append(close == nil && byMake ? "its opening quote, cut at a `#`" : "its quotes")
            rest = text[(close ?? text.count)...]
        } else if let comment = text.indices.first(where: { text[$0] == 0x23 && $0 > 0 && (text[$0 - 1] == 0x20 || text[$0 - 1] == 0x09) }) {
            rest = text[comment...]
        } else {
            rest = text[text.count...]
        }
        if rest.contains(0x23) {
            kept.append("the comment after it")
        } else if let last = text.last, last == 0x20 || last == 0x09 {
            kept.append("its trailing blanks")
        }
        if expands, !byMake, read.contains("${") { kept.append("`${…}` unexpanded") }
        return kept
    }
}
