import PrefectModel

/// PS206 default-secret-missing: a component reads a default secret name (GITHUB_ACCESS_TOKEN,
/// AWS_CREDENTIALS, ...) from context only, and nothing provides it where it is read. Cloud
/// is not consulted for these names unless they are listed in `storage.secrets` (facts §7).
/// Not for a flow that only its own module runs (``ProjectModel/FlowEntity/runsOnlyWhereLoaded``).
public struct DefaultSecretMissingRule: ProjectRule {
    public init() {}
    public var codes: [String] { ["PS206"] }

    public func check(_ model: ProjectModel, settings: RuleSettings, into sink: inout FindingSink) {
        // Whether a missing default name is meant (a client's own credentials, an anonymous
        // fetch), by name: each asks the whole project, so once.
        var meant: [String: (clientCredentials: Bool, anonymous: Bool)] = [:]
        func fallsBack(_ name: String) -> (clientCredentials: Bool, anonymous: Bool) {
            if let known = meant[name] { return known }
            let answer = (model.fallsBackToClientCredentials(name), model.fetchesAnonymously(name))
            meant[name] = answer
            return answer
        }
        // A flow only its own module runs, in its process, is not followed there.
        for flow in model.flows where !flow.runsOnlyWhereLoaded {
            let listed = flow.references.filter { $0.kind == .storageSecrets }.compactMap(\.name)
            let viaStorage = Set(listed)
            let agents = model.agents(running: flow)
            for reference in flow.references where reference.kind == .componentDefault {
                guard let name = reference.name, !viaStorage.contains(name) else { continue }
                // boto3 and the Google client fall back to their own credentials, GitHub and
                // GitLab storage to an anonymous fetch: these names are missing only where the
                // project shows they were meant to come from Prefect.
                // (A service token the storage's `secrets` lists shows it is meant to have one.)
                let design = fallsBack(name)
                if design.clientCredentials || (design.anonymous && Self.otherTokens(of: name, in: listed).isEmpty) { continue }
                if agents.isEmpty {
                    // An agent that labels the tool cannot read may let run the flow, and that
                    // provides the name: nothing to say.
                    if model.agents(mayRun: flow).contains(where: { model.availability(of: name, kind: .componentDefault, flow: flow, agent: $0) != .missing }) {
                        continue
                    }
                    // A Cloud secret of that name does not count: default names are never looked up in Cloud.
                    let provisions = model.provisions.filter { $0.provision.name == name }
                    guard provisions.allSatisfy({ $0.provision.source == .cloudSetSecret }) else { continue }
                    var why = provisions.isEmpty
                        ? "nothing in the project provides it"
                        : "only Prefect Cloud has it (\(model.describe(provisions[0].location))), which is not consulted unless the name is listed in storage.secrets"
                    if let image = model.unidentifiedImageProvision(of: name, kind: .componentDefault, flow: flow, agent: nil) { why += ", unless \(image) sets it" }
                    sink.report(
                        "PS206", path: flow.path, span: reference.span,
                        message: "\(ModelMessages.flow(flow, model)) reads default \(ModelMessages.secret(name, reference, model)) from context, and \(why)\(Self.withoutIt(name))\(Self.listedInstead(of: name, listed))",
                        secretName: name)
                    continue
                }
                for agent in agents where model.availability(of: name, kind: .componentDefault, flow: flow, agent: agent) == .missing {
                    // Env files on the agent's host, a template the tool does not read: the project cannot tell.
                    let unseen = model.unseenEnvSources(flow: flow, agent: agent, secret: (name, .componentDefault))
                    let unless = unseen.isEmpty ? "" : ", unless \(unseen.joined(separator: " or ")) sets it"
                    // GitHub, GitLab, Bitbucket and Azure storage also read an environment variable of that name.
                    let from = ProjectModel.storageTokensFallingBackToEnvironment.contains(name) ? ", then from the environment variable \(name)" : " only"
                    // storage.secrets loads names with Secret.get: from Cloud, never from a
                    // Server backend, where listing the name would fail the run instead.
                    let note = agent.backend == "cloud"
                        ? "Cloud is not consulted unless it is listed in storage.secrets"
                        : "backend \(agent.backend) has no secret store: the run's context or env must provide it"
                    sink.report(
                        "PS206", path: flow.path, span: reference.span,
                        message: "\(ModelMessages.flow(flow, model)) reads default \(ModelMessages.secret(name, reference, model)) from context\(from); \(ModelMessages.agent(agent, model)) does not provide it\(unless) (\(note))\(Self.withoutIt(name))\(Self.listedInstead(of: name, listed))",
                        secretName: name)
                }
            }
        }
    }

    /// The other names of the service whose default token is `name` that the storage's
    /// `secrets` list holds (`TEAM_GITHUB_TOKEN` for GITHUB_ACCESS_TOKEN).
    static func otherTokens(of name: String, in listed: [String]) -> [String] {
        guard let service = name.split(separator: "_").first else { return [] }
        return listed.filter { $0 != name && $0.uppercased().contains(service) }
    }

    /// When the storage's `secrets` list holds one other name of the same service
    /// (`secrets=["TEAM_GITHUB_TOKEN"]` beside the default GITHUB_ACCESS_TOKEN): the list only
    /// loads that secret into the run's context under its own name (cli/execute.py), and the
    /// storage still reads its default; the keyword is what names its token.
    static func listedInstead(of name: String, _ listed: [String]) -> String {
        guard let keyword = PrefectComponents.storageKeyword(replacingDefault: name) else { return "" }
        // A random-looking entry may be a token pasted where its name belongs: never repeated.
        let candidates = Set(otherTokens(of: name, in: listed).filter { !Redaction.looksRandom($0.utf8) })
        guard candidates.count == 1, let candidate = candidates.first else { return "" }
        return "; storage.secrets loads \(candidate) into the run's context under that name, where the storage does not look: "
            + "pass \(keyword)=\"\(candidate)\" to use it"
    }

    /// What the storage does without its token (``ProjectModel/storageTokensWithAnonymousFallback``).
    static func withoutIt(_ name: String) -> String {
        // Both reported only where the project shows the value is meant to come from Prefect.
        if ProjectModel.storageTokensWithAnonymousFallback.contains(name) {
            return "; without a token the flow is fetched anonymously, which works for a public repository only"
        }
        return ProjectModel.clientCredentialDefaults.contains(name)
            ? "; without it the client uses whatever credentials the run's machine has, not the ones the project keeps as a Prefect secret" : ""
    }
}
