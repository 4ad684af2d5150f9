import TOML

extension ConfigValue {
    /// The value of a parsed TOML node, as `toml.load` hands it to Prefect (tables keep document order).
    public init(_ node: TOMLNode) {
        self.init(node.value)
    }

    /// The value of a TOML value.
    public init(_ value: TOMLValue) {
        switch value {
        case .string(let s): self = .string(s)
        case .integer(let i): self = .integer(Int(i))
        case .float(let d): self = .float(d)
        case .boolean(let b): self = .bool(b)
        case .datetime(let d): self = .datetime(d.raw)
        case .array(let items): self = .array(items.map { ConfigValue($0) })
        case .table(let t): self = .table(t.entries.map { ConfigTableEntry($0.key, ConfigValue($0.node)) })
        }
    }
}
