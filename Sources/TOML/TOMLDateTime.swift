/// One of TOML's four date-time kinds, with its raw text and parsed fields.
public struct TOMLDateTime: Sendable, Hashable {
    /// The four kinds the TOML spec distinguishes.
    public enum Kind: UInt8, Sendable, Hashable {
        case offsetDateTime, localDateTime, localDate, localTime
    }
    /// Which of the four kinds this is.
    public var kind: Kind
    /// The text exactly as written in the document.
    public var raw: String
    /// Date fields (zero for a local time).
    public var year: Int = 0, month: Int = 0, day: Int = 0
    /// Time fields (zero for a local date).
    public var hour: Int = 0, minute: Int = 0, second: Int = 0
    /// Fractional seconds, truncated to nanoseconds.
    public var nanosecond: Int = 0
    /// Minutes east of UTC for an offset date-time (`Z` is 0); nil for local kinds.
    public var offsetMinutes: Int?

    /// A date-time of `kind` written as `raw`; the parser fills the fields.
    public init(kind: Kind, raw: String) {
        self.kind = kind
        self.raw = raw
    }
}
