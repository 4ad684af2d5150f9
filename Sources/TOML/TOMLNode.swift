import Spans

/// A value and the bytes it was written as.
public struct TOMLNode: Sendable {
    /// The resolved value.
    public var value: TOMLValue
    /// The value's raw bytes. For a table defined by `[header]` it is the header; for an array of
    /// tables it is the first `[[header]]`.
    public var span: ByteSpan
    /// For a string node, how it was quoted; nil for other values.
    public var stringStyle: TOMLStringStyle?

    /// A node for `value` written at `span`.
    public init(value: TOMLValue, span: ByteSpan, stringStyle: TOMLStringStyle? = nil) {
        self.value = value
        self.span = span
        self.stringStyle = stringStyle
    }

    /// The string, if this is one (the accessors below likewise return nil for other kinds).
    public var stringValue: String? { if case .string(let s) = value { return s } else { return nil } }
    public var intValue: Int64? { if case .integer(let v) = value { return v } else { return nil } }
    public var doubleValue: Double? { if case .float(let v) = value { return v } else { return nil } }
    public var boolValue: Bool? { if case .boolean(let v) = value { return v } else { return nil } }
    public var dateTimeValue: TOMLDateTime? { if case .datetime(let v) = value { return v } else { return nil } }
    public var arrayValue: [TOMLNode]? { if case .array(let v) = value { return v } else { return nil } }
    public var tableValue: TOMLTable? { if case .table(let v) = value { return v } else { return nil } }

    /// A short name of the value's type, for messages ("a string", "an integer").
    public var typeDescription: String {
        switch value {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .datetime: return "a date-time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}
