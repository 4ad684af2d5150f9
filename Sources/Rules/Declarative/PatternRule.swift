import PrefectModel
import Spans

/// Runs the pattern detectors of declarative rules (`rules/*.toml`, the user's extra rules)
/// over a file. Placeholder until the detector engine lands.
public struct PatternRule: FileRule {
    public let codes: [String]
    public init(codes: [String]) { self.codes = codes }
    public func check(_ context: FileContext, into sink: inout FindingSink) {}
}
