import Spans

extension SecretProvision {
    /// The secret a context-secret env var provides (`PREFECT__CONTEXT__SECRETS__X=v`; with
    /// `X__A__B=v`, X is a dict secret with inner key A and leaf B), as every analyzer records
    /// it. Documentation and a malformed `--env NAME` provide nothing; an `export NAME` or
    /// `docker run -e NAME` passes the caller's value through.
    public init?(contextSecretEnv env: EnvAssignment) {
        guard env.context != .documentation, let path = ContextSecretEnvName.secretPath(env.name), let name = path.first,
            !name.isEmpty, env.value != nil || env.context != .agentEnvFlag
        else { return nil }
        self.init(
            name: name, span: env.nameSpan, source: .environment, origin: env.origin, envContext: env.context,
            agentIndex: env.agentIndex)
        let keys = Array(path.dropFirst())
        guard !keys.isEmpty else {
            valueSpan = env.valueSpan
            return
        }
        // Each key's span is its part of the name when the name is written as is.
        let exact = env.nameSpan.length == env.name.utf8.count
        var offset = env.name.utf8.count - keys.joined(separator: "__").utf8.count
        for (k, key) in keys.enumerated() {
            let leaf = k == keys.count - 1
            let span = exact ? ByteSpan(env.nameSpan.start + offset, env.nameSpan.start + offset + key.utf8.count) : env.nameSpan
            nestedKeys.append(
                NestedSecretKey(key: key, keySpan: span, valueSpan: leaf ? env.valueSpan : nil, origin: leaf ? env.origin : .literal))
            offset += key.utf8.count + 2
        }
    }
}
