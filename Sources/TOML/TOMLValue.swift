import Spans

/// A resolved TOML value. Only the large payloads are boxed (`indirect`) so that a node stays
/// small and scalars need no allocation.
public enum TOMLValue: Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    indirect case datetime(TOMLDateTime)
    case array([TOMLNode])
    indirect case table(TOMLTable)
}

/// How a string value was written; rules care whether a secret sits in a literal or a basic string.
public enum TOMLStringStyle: UInt8, Sendable, Hashable {
    case basic, literal, multilineBasic, multilineLiteral
}
