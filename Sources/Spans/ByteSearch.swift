#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Substring search over bytes with the C library's `memchr` and `memcmp` (glibc's `memmem`
/// is not exported to Swift) — much faster than the generic `firstRange(of:)` on hot paths.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack[range]`, or nil.
    public static func firstIndex(of needle: [UInt8], in haystack: [UInt8], range: Range<Int>? = nil) -> Int? {
        let range = range ?? 0..<haystack.count
        guard !needle.isEmpty, range.count >= needle.count else { return needle.isEmpty ? range.lowerBound : nil }
        return haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return nil }
                let first = Int32(needle[0])
                var offset = range.lowerBound
                let last = range.upperBound - needle.count
                while offset <= last {
                    guard let hit = memchr(base + offset, first, last - offset + 1) else { return nil }
                    let position = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + position, pinBase, needle.count) == 0 { return position }
                    offset = position + 1
                }
                return nil
            }
        }
    }

    public static func contains(_ needle: [UInt8], in haystack: [UInt8], range: Range<Int>? = nil) -> Bool {
        firstIndex(of: needle, in: haystack, range: range) != nil
    }
}
