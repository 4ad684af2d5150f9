import PrefectModel
import Spans

extension SecretProvision {
    /// The value's span when it is (partly) written literally: findings that point at the
    /// provision's name pass it as `secretSpan`, so that the code frame of the line, which
    /// shows the value too, redacts it.
    var literalValueSpan: ByteSpan? {
        switch origin {
        case .literal, .mixed: valueSpan
        default: nil
        }
    }
}
