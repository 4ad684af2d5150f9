import Spans
import YAML

/// kustomize's `secretGenerator` and `configMapGenerator`: the Secrets and ConfigMaps
/// `kubectl apply -k` creates, for the `envFrom` entries that name them.
extension YAMLExtractor {
    /// A kustomization: its file name, or the kind kustomize gives it.
    func isKustomization(_ root: YAMLNode) -> Bool {
        let name = PathText.lastComponent(of: file.path).map(String.init) ?? file.path
        if ["kustomization.yaml", "kustomization.yml", "Kustomization"].contains(name) { return true }
        return ["Kustomization", "Component"].contains(root["kind"]?.scalar ?? "") && root["apiVersion"]?.scalar?.hasPrefix("kustomize.config.k8s.io/") == true
    }

    /// The generators of a kustomization as ``KubernetesEnvSource``s: `envs` files first,
    /// then `literals` (`KEY=value`, one pair of surrounding quotes taken off), then `files`
    /// (the key is the file's name or the text before `=`; the value, the file's content, is
    /// not read), in kustomize's order.
    mutating func addKustomizeGenerators(_ root: YAMLNode) {
        guard root.resolved.kind == .mapping, isKustomization(root) else { return }
        let hashSuffix = root["generatorOptions"]?["disableNameSuffixHash"]?.scalar != "true"
        for (field, kind) in [("secretGenerator", "Secret"), ("configMapGenerator", "ConfigMap")] {
            for generator in root[field]?.sequence ?? [] where generator.resolved.kind == .mapping {
                guard let name = generator["name"]?.scalar else { continue }
                var env: [EnvAssignment] = []
                var hasUnknownKeys = false
                for literal in generator["literals"]?.sequence ?? [] {
                    if literal.resolved.kind == .scalar, let assignment = literalAssignment(literal) { env.append(assignment) } else { hasUnknownKeys = true }
                }
                for entry in generator["files"]?.sequence ?? [] {
                    guard let written = entry.scalar else {
                        hasUnknownKeys = true
                        continue
                    }
                    env.append(KubernetesEnvSource.fileKey(written, at: valueSpan(entry)))
                }
                var source = KubernetesEnvSource(kind: kind, name: name, env: env)
                source.hasUnknownKeys = hasUnknownKeys
                source.envFiles = ((generator["envs"]?.sequence ?? []) + [generator["env"]].compactMap { $0 }).compactMap(\.scalar)
                source.envFilesAreRelativeToFile = true
                let own = generator["options"]?["disableNameSuffixHash"]?.scalar
                source.nameHasHashSuffix = own.map { $0 != "true" } ?? hashSuffix
                builder.addKubernetesEnvSource(source)
            }
        }
    }

    /// `- PREFECT__CONTEXT__SECRETS__DB=value`: the key and the value with their spans (the
    /// value hidden from reports, as nothing names it a secret in YAML terms).
    mutating func literalAssignment(_ literal: YAMLNode) -> EnvAssignment? {
        let t = text(literal)
        let bytes = t.bytes
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")), equals > 0 else { return nil }
        var valueRange = (equals + 1)..<bytes.count
        // kustomize's removeQuotes: one pair of matching quotes around the whole value.
        if valueRange.count >= 2, let last = bytes.last, bytes[valueRange.lowerBound] == last, last == 0x22 || last == 0x27 {
            valueRange = (valueRange.lowerBound + 1)..<(valueRange.upperBound - 1)
        }
        let valueSpan = t.span(valueRange)
        builder.hideValue(valueSpan)
        let value = String(decoding: bytes[valueRange], as: UTF8.self)
        return EnvAssignment(
            name: String(decoding: bytes[..<equals], as: UTF8.self), nameSpan: t.span(0..<equals), value: value, valueSpan: valueSpan,
            origin: EnvValueSyntax.origin(of: value), context: .containerEnv)
    }
}
