import Spans

extension FileFacts {
    /// Every span of this file that holds a secret-bearing value the analyzers know of:
    /// literal values of secret or credential env vars, agent `--env` words without `=`,
    /// local secrets (and their nested leaves), credentials on command lines, credential keys of Prefect config files, and
    /// literals passed as secrets in Python. Reporters hide all of them in any source line
    /// they show, whichever rule a finding is about, so a finding that points at a name never
    /// shows the value next to it.
    public var secretValueSpans: [ByteSpan] {
        var spans: [ByteSpan] = []
        func written(_ origin: ValueOrigin) -> Bool { origin == .literal || origin == .mixed }
        for env in envAssignments {
            // An agent `--env` word without `=` may be a value written where `NAME=value` belongs.
            if env.context == .agentEnvFlag, env.value == nil { spans.append(env.nameSpan) }
            guard written(env.origin), let span = env.valueSpan, !span.isEmpty, Self.namesSecretValue(env.name) else { continue }
            spans.append(span)
        }
        for provision in provisions {
            if written(provision.origin), let span = provision.valueSpan { spans.append(span) }
            for leaf in provision.nestedKeys where written(leaf.origin) { if let span = leaf.valueSpan { spans.append(span) } }
        }
        for flag in credentialFlags where written(flag.origin) { spans.append(flag.valueSpan) }
        if configRole != nil {
            for entry in configEntries where Self.isCredentialKey(entry.path.last ?? "") {
                // `${...}` and `$VAR` point elsewhere; they are not values.
                if let value = entry.stringValue, TOMLAnalyzer.isReference(value) { continue }
                spans.append(entry.valueSpan)
            }
        }
        if let python {
            spans += python.hardcodedLiterals.map(\.valueSpan)
            spans += python.metadataLiterals.map(\.valueSpan)
        }
        return spans.filter { !$0.isEmpty }.sorted()
    }

    /// An env var whose value is a secret: a context secret (any spelling Prefect detects, even
    /// the ones it then ignores) or a name that says credential.
    static func namesSecretValue(_ name: String) -> Bool {
        switch EnvConfigMapping.classify(name) {
        case .secret, .allSecrets, .unreachableSecretSpelling: return true
        case .configKey(let path): return isCredentialKey(path.last ?? "")
        case .notPrefect, .ignoredPrefixCase: return isCredentialKey(name)
        }
    }

    static func isCredentialKey(_ key: String) -> Bool {
        PrefectComponents.looksLikeCredentialName(key) || key.lowercased() == "connection_url"
    }
}

extension FileFacts {
    /// Replaces each secret name that `placeholder` finds to be a credential where it is
    /// written (a token pasted where a secret's name belongs: `access_token_secret="ghp_…"`,
    /// `PREFECT__CONTEXT__SECRETS__ghp_…=…`) by the placeholder it returns, everywhere the
    /// facts hold that name, so that no message or view built from them shows it. Returns the
    /// spans of the names replaced, which code frames hide.
    public mutating func redactCredentialNames(_ placeholder: (String, ByteSpan) -> String?) -> [ByteSpan] {
        var spans: [ByteSpan] = []
        var replaced: [String: String] = [:]
        func redacted(_ name: String, _ span: ByteSpan) -> String? {
            if let known = replaced[name] {
                spans.append(span)
                return known
            }
            guard let hidden = placeholder(name, span) else { return nil }
            replaced[name] = hidden
            spans.append(span)
            return hidden
        }
        // An env name keeps the prefix that makes it a context secret; the rest is the name.
        let prefix = Array("prefect__context__secrets__".utf8)
        func redactedEnvName(_ name: String, _ span: ByteSpan) -> String? {
            let utf8 = name.utf8
            if utf8.count > prefix.count, zip(utf8, prefix).allSatisfy({ $0 | 0x20 == $1 || $0 == $1 }) {
                let cut = utf8.index(utf8.startIndex, offsetBy: prefix.count)
                return redacted(String(name[cut...]), span).map { String(name[..<cut]) + $0 }
            }
            return redacted(name, span)
        }
        for i in secretReferences.indices {
            guard let name = secretReferences[i].name, let hidden = redacted(name, secretReferences[i].span) else { continue }
            secretReferences[i].name = hidden
        }
        for i in provisions.indices {
            guard let hidden = redacted(provisions[i].name, provisions[i].span) else { continue }
            provisions[i].name = hidden
        }
        func redactEnv(_ list: inout [EnvAssignment]) {
            for i in list.indices {
                if let hidden = redactedEnvName(list[i].name, list[i].nameSpan) { list[i].name = hidden }
            }
        }
        redactEnv(&envAssignments)
        guard !replaced.isEmpty else { return spans }
        for i in agents.indices {
            redactEnv(&agents[i].flowRunEnv)
            redactEnv(&agents[i].processEnv)
        }
        for i in flows.indices {
            redactEnv(&flows[i].runConfigEnv)
            redactEnv(&flows[i].storageImageEnv)
        }
        if var template = runTemplate {
            redactEnv(&template.env)
            runTemplate = template
        }
        // Names already found are replaced wherever else they stand.
        for i in secretReferences.indices { if let name = secretReferences[i].name, let hidden = replaced[name] { secretReferences[i].name = hidden } }
        for i in provisions.indices { if let hidden = replaced[provisions[i].name] { provisions[i].name = hidden } }
        if var python {
            for i in python.secretReads.indices {
                if let name = python.secretReads[i].name, let hidden = replaced[name] { python.secretReads[i].name = hidden }
            }
            self.python = python
        }
        return spans
    }
}
