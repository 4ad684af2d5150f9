import Spans
import Testing

@testable import Rules

/// The masks a fingerprint looks up by binary search are exactly those a scan of all of them
/// finds: random spans (nested, overlapping, empty, in any order) against random ranges.
@Test func fingerprintMasksFindWhatAScanOfAllFinds() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<300 {
        let spans = (0..<Int.random(in: 0..<40, using: &rng)).map { _ -> ByteSpan in
            let start = Int.random(in: 0..<200, using: &rng)
            return ByteSpan(start, start + Int.random(in: 0..<(Bool.random(using: &rng) ? 5 : 120), using: &rng))
        }
        let masks = Fingerprint.Masks(spans.shuffled(using: &rng))
        for _ in 0..<20 {
            let lower = Int.random(in: 0..<220, using: &rng)
            let range = lower..<(lower + Int.random(in: 0..<40, using: &rng))
            let scanned = spans.filter { $0.start < range.upperBound && $0.end > range.lowerBound }
                .sorted { ($0.start, $0.end) < ($1.start, $1.end) }
            #expect(masks.overlapping(range) == scanned, "\(spans) \(range)")
        }
    }
}
