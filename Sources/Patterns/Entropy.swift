/// Shannon entropy of byte strings, used to tell random secrets from words.
public enum Entropy {
    /// Bits per byte of the byte distribution of `bytes` (0 for empty input, at most 8).
    /// Inlinable, so that it is specialized for the caller's collection: every value a scan
    /// hides is measured, and the generic version stepped through bytes by value witnesses.
    @inlinable
    public static func shannon<C: Collection>(_ bytes: C) -> Double where C.Element == UInt8 {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            counts.initialize(repeating: 0)
            var n = 0
            for b in bytes {
                counts[Int(b)] += 1
                n += 1
            }
            guard n > 0 else { return 0 }
            let total = Double(n)
            var h = 0.0
            for c in counts where c > 0 {
                let p = Double(c) / total
                h -= p * log2(p)
            }
            return h
        }
    }

    /// Bits per byte of the UTF-8 bytes of `string`.
    public static func shannon(_ string: String) -> Double { shannon(Array(string.utf8)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
