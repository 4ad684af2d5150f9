import Spans

extension FileFacts {
    /// Every span of this file that holds a secret-bearing value the analyzers know of:
    /// literal values of secret or credential env vars, agent `--env` words without `=`,
    /// local secrets (and their nested leaves), credentials on command lines, credential keys of Prefect config files, and
    /// literals passed as secrets in Python. Reporters hide all of them in any source line
    /// they show, whichever rule a finding is about, so a finding that points at a name never
    /// shows the value next to it.
    public var secretValueSpans: [ByteSpan] {
        var spans = writtenSecretValueSpans
        if let python {
            spans += python.hardcodedLiterals.map(\.valueSpan)
            spans += python.metadataLiterals.filter { $0.place != .templateFile }.map(\.valueSpan)
        }
        return spans.filter { !$0.isEmpty }.sorted()
    }

    /// The values of ``secretValueSpans`` that are written as values (env vars, secrets,
    /// credential flags and config keys), not Python literals that may be paths or settings:
    /// reports hide their texts wherever else they are printed (a label, an agent's name).
    public var writtenSecretValueSpans: [ByteSpan] {
        var spans: [ByteSpan] = runContextSecretValues
        func written(_ origin: ValueOrigin) -> Bool { origin == .literal || origin == .mixed }
        for env in envAssignments {
            // An agent `--env` word without `=` may be a value written where `NAME=value` belongs.
            if env.context == .agentEnvFlag, env.value == nil { spans.append(env.nameSpan) }
            // `-e =VALUE`: a value whose name went missing is as likely a secret as any.
            if env.context == .agentEnvFlag, env.name.isEmpty, let span = env.valueSpan, !span.isEmpty {
                spans.append(span)
                continue
            }
            // `${DB_PW:-default}`: the default is a value written out.
            if !written(env.origin), let value = env.value, Self.hasDefaultOperator(value), let span = env.valueSpan,
                Self.namesSecretValue(env.name)
            {
                spans.append(span)
                continue
            }
            guard written(env.origin), let span = env.valueSpan, !span.isEmpty else { continue }
            if Self.hidesValue(of: env) {
                spans.append(span)
            } else if env.name == "PREFECT__CLOUD__AGENT__ENV_VARS",
                !envAssignments.contains(where: { $0.context == .agentEnvVarsJSON && span.contains($0.nameSpan) })
                    || Self.isUnreadableJSON(env.value)
            {
                // Its JSON gives flow runs env vars, secrets among them: a value the tool could
                // not read entry by entry (a trailing comma Prefect accepts, an unquoted value)
                // is hidden whole.
                spans.append(span)
            }
        }
        for provision in provisions {
            if written(provision.origin), let span = provision.valueSpan { spans.append(span) }
            for leaf in provision.nestedKeys where written(leaf.origin) { if let span = leaf.valueSpan { spans.append(span) } }
        }
        for flag in credentialFlags where written(flag.origin) { spans.append(flag.valueSpan) }
        spans += unnamedValueSpans
        // A value typed into a name (`name: "…SECRETS__X=value"`, a TOML key `"X value"`).
        spans += envAssignments.filter { Self.valueTail(ofName: $0.name) != nil }.map(\.nameSpan)
        spans += provisions.filter { Self.valueTail(ofName: $0.name) != nil }.map(\.span)
        if configRole != nil {
            // Values under a table meant for secrets (`[Context.Secrets]`, a top-level
            // `[secrets]`, which Prefect ignores: PS407) are secrets whatever their keys say.
            for entry in configEntries where Self.isCredentialKey(entry.path.last ?? "") || Self.isUnderSecretsTable(entry.path) {
                // `${...}` and `$VAR` point elsewhere; they are not values.
                if let value = entry.stringValue, TOMLAnalyzer.isReference(value) { continue }
                spans.append(entry.valueSpan)
            }
        }
        return spans.filter { !$0.isEmpty }
    }

    /// The values of ``writtenSecretValueSpans`` as names and labels would print them: quotes
    /// and escapes resolved, and also trimmed.
    public var writtenSecretValueTexts: [String] {
        func written(_ origin: ValueOrigin) -> Bool { origin == .literal || origin == .mixed }
        var texts: [String] = []
        for env in envAssignments where written(env.origin) && Self.hidesValue(of: env) {
            if let value = env.value { texts.append(value) }
        }
        for provision in provisions where written(provision.origin) {
            if let value = provision.stringValue { texts.append(value) }
            texts += provision.nestedKeys.filter { written($0.origin) }.compactMap(\.stringValue)
        }
        return texts.flatMap { [$0, Whitespace.trimmed($0)] }.filter { !$0.isEmpty }
    }

    /// Literal values of Prefect settings (`PREFECT__…` env vars, backend settings): not
    /// secrets by name, but a key pasted where a backend or labels belong would be printed by
    /// messages and the inventory. Reports hide the random-looking ones wherever printed.
    public var writtenSettingTexts: [String] {
        let prefix = Array("prefect__".utf8)
        var texts = backendSettings.map(\.value)
        // Labels are names the outputs must show (`etl-prod-2024` looks random), and PS209's
        // fix writes them back; ENV_VARS JSON is read entry by entry.
        let structured: Set<String> = ["PREFECT__CLOUD__AGENT__LABELS", "PREFECT__CLOUD__AGENT__ENV_VARS"]
        for env in envAssignments where env.origin == .literal && env.name.utf8.count > prefix.count && !structured.contains(env.name) {
            guard zip(env.name.utf8, prefix).allSatisfy({ $0 == $1 || $0 | 0x20 == $1 }), let value = env.value else { continue }
            texts.append(value)
        }
        return texts.flatMap { [$0, Whitespace.trimmed($0)] }.filter { !$0.isEmpty }
    }

    /// The part of an env or secret name after a `=` or a blank in it: a value typed into the
    /// name (`PREFECT__CONTEXT__SECRETS__X=value` as a Kubernetes env `name`). Reports hide
    /// these texts wherever printed (messages, the inventory).
    public var valueTailsInNames: [String] {
        (envAssignments.map(\.name) + provisions.map(\.name)).compactMap(Self.valueTail(ofName:))
    }

    /// Whether `value` holds `:-` or `:=` (`${DB_PW:-default}`).
    static func hasDefaultOperator(_ value: String) -> Bool {
        var previous: UInt8 = 0
        for byte in value.utf8 {
            if previous == UInt8(ascii: ":"), byte == UInt8(ascii: "-") || byte == UInt8(ascii: "=") { return true }
            previous = byte
        }
        return false
    }

    /// After a blank, words of letters only are part of the name (`"AWS CREDENTIALS"`, `my api
    /// key`); after `=`, or with a digit or a symbol, they are a value.
    static func valueTail(ofName name: String) -> String? {
        guard let cut = name.utf8.firstIndex(where: { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) else {
            return nil
        }
        let tail = Whitespace.trimmed(name[name.utf8.index(after: cut)...])
        guard !tail.isEmpty else { return nil }
        let wordsOfLetters = !name.utf8.contains(UInt8(ascii: "="))
            && tail.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) }
        return wordsOfLetters ? nil : tail
    }

    /// Names of env assignments written without a value (`export NAME`): a value typed after
    /// a stray blank (`export X= value`) becomes one. Reports hide the random-looking ones
    /// wherever printed (the inventory lists an agent's process env by name).
    public var valuelessEnvNames: [String] {
        envAssignments.filter { $0.value == nil }.map(\.name)
    }

    /// An env var whose value is a secret: a context secret (any spelling Prefect detects, even
    /// the ones it then ignores) or a name that says credential.
    static func namesSecretValue(_ name: String) -> Bool {
        namesSecretValue(name, classifiedAs: EnvConfigMapping.classify(name))
    }

    /// ``namesSecretValue(_:)`` of a name already classified.
    static func namesSecretValue(_ name: String, classifiedAs classification: EnvConfigMapping.Classification) -> Bool {
        switch classification {
        case .secret, .allSecrets, .unreachableSecretSpelling: return true
        case .configKey(let path): return isCredentialKey(path.last ?? "")
        case .notPrefect, .ignoredPrefixCase: return isCredentialKey(name) || hasPasswordWord(name) || hasSecretWord(name)
        }
    }

    /// Whether the value an env entry writes is hidden: its name says it is sensitive, unless
    /// the name says it holds a secret's name (`PASSWORD_SECRET`, `SLACK_SECRET_NAME`) and the
    /// value reads as one (`DB_PASSWORD`).
    static func hidesValue(of env: EnvAssignment) -> Bool {
        guard namesSecretValue(env.name) else { return false }
        guard case .notPrefect = EnvConfigMapping.classify(env.name), let value = env.value else { return true }
        let upper = env.name.uppercased()
        guard upper.hasSuffix("_SECRET") || upper.hasSuffix("_SECRET_NAME") else { return true }
        return !readsAsSecretName(value)
    }

    /// Upper-case words of letters and digits joined by underscores, at least two of them,
    /// each with a letter: `DB_PASSWORD`, `LAB_SLACK_WEBHOOK`; not a key such as `AKIA…`.
    static func readsAsSecretName(_ text: String) -> Bool {
        let words = text.utf8.split(separator: 0x5F, omittingEmptySubsequences: false)
        return words.count >= 2 && words.allSatisfy { word in
            !word.isEmpty && word.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) } && word.contains { $0 >= 0x41 && $0 <= 0x5A }
        }
    }

    /// `AZURE_CLIENT_SECRET`, `SLACK_WEBHOOK_URL`, `AUTH_HEADER`, `SSH_KEY`: an env name with a
    /// word that says its value is sensitive, also where a parameter of that name would hold a
    /// secret's name (`*_secret`). Only for hiding values, never for reporting them.
    static func hasSecretWord(_ name: String) -> Bool {
        // Byte comparisons: Foundation's substring search costs more than a whole Makefile's
        // other facts. Names beyond ASCII (`ß` upper-cases to `SS`) take Unicode's rules.
        let upper = name.utf8.allSatisfy { $0 < 0x80 } ? Array(name.utf8).map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 } : Array(name.uppercased().utf8)
        if secretWords.contains(where: { ByteSearch.contains($0, in: upper) }) { return true }
        // Short words count whole (`AUTH_HEADER`, `SENTRY_DSN`; not `GIT_AUTHOR_NAME`).
        return upper.split(whereSeparator: { $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }).contains { $0.elementsEqual("AUTH".utf8) || $0.elementsEqual("DSN".utf8) }
    }

    private static let secretWords = ["SECRET", "TOKEN", "PASSWORD", "PASSWD", "WEBHOOK", "CREDENTIAL", "PRIVATE_KEY", "API_KEY", "APIKEY", "SSH_KEY", "FERNET_KEY"]
        .map { Array($0.utf8) }

    /// Whether an ENV_VARS value holds a member value that is not JSON (an unquoted word):
    /// its entries are read, but Prefect cannot read the whole, and the word may be a secret.
    static func isUnreadableJSON(_ value: String?) -> Bool {
        guard let value, let members = EnvValueSyntax.jsonObjectMembers(Array(value.utf8)) else { return false }
        return members.contains { !$0.isJSONValue }
    }

    /// `SMTP_PASS`, `DB_PW`, `pass`: a `_`- or `-`-separated word of the name that abbreviates a
    /// password (only for hiding values: as a word inside names it is too common to report).
    static func hasPasswordWord(_ name: String) -> Bool {
        name.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).contains { word in
            let lower = word.lowercased()
            return lower == "pass" || lower == "pw" || lower == "pword" || lower == "passw"
        }
    }

    /// `secrets…` or `context.secrets…` in any case: a key below, or a value written where
    /// the table belongs (`secrets = "…"`).
    static func isUnderSecretsTable(_ path: [String]) -> Bool {
        guard let first = path.first else { return false }
        if first.lowercased() == "secrets" { return true }
        return path.count >= 2 && first.lowercased() == "context" && path[1].lowercased() == "secrets"
    }

    static func isCredentialKey(_ key: String) -> Bool {
        PrefectComponents.looksLikeCredentialName(key) || key.lowercased() == "connection_url"
    }
}

extension FileFacts {
    /// The secret names that `placeholder` finds to be credentials where they are written (a
    /// token pasted where a secret's name belongs: `access_token_secret="ghp_…"`,
    /// `PREFECT__CONTEXT__SECRETS__ghp_…=…`), with the placeholder it gives each and the spans
    /// where they stand. The facts keep the names, so that references and provisions still
    /// meet; reports hide the spans in code frames and the names in every output.
    public func credentialNames(_ placeholder: (String, ByteSpan) -> String?) -> (placeholders: [String: String], spans: [ByteSpan]) {
        var found: [String: String] = [:]
        var spans: [ByteSpan] = []
        func check(_ name: String, _ span: ByteSpan) {
            if found[name] == nil, let hidden = placeholder(name, span) { found[name] = hidden }
            if found[name] != nil { spans.append(span) }
        }
        // An env name is a credential past the prefix that makes it a context secret.
        let prefix = Array("prefect__context__secrets__".utf8)
        func checkEnvName(_ name: String, _ span: ByteSpan) {
            let utf8 = name.utf8
            if utf8.count > prefix.count, zip(utf8, prefix).allSatisfy({ $0 | 0x20 == $1 || $0 == $1 }) {
                check(String(name[utf8.index(utf8.startIndex, offsetBy: prefix.count)...]), span)
            } else {
                check(name, span)
            }
        }
        for reference in secretReferences { if let name = reference.name { check(name, reference.span) } }
        for provision in provisions { check(provision.name, provision.span) }
        for env in envAssignments { checkEnvName(env.name, env.nameSpan) }
        return (found, spans)
    }
}
