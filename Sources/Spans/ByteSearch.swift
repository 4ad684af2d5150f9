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
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in firstIndex(of: pin, in: hay, range: range) }
        }
    }

    /// Whether `text` contains `part`: for the short names the analyzers test for every call,
    /// without the arrays the other forms take or Foundation's bridging to NSString.
    public static func contains(_ part: StaticString, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { hay in
            part.withUTF8Buffer { pin in firstIndex(of: pin, in: hay, range: 0..<hay.count) != nil }
        }
    }

    private static func firstIndex(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        guard !needle.isEmpty, range.count >= needle.count else { return needle.isEmpty ? range.lowerBound : nil }
        guard let base = haystack.baseAddress, let pinBase = needle.baseAddress else { return nil }
        // memchr looks for the needle's rarest byte, so that it stops at few false starts.
        let ranks = rarities
        let anchor = needle.indices.min { ranks[Int(needle[$0])] > ranks[Int(needle[$1])] } ?? 0
        let anchorByte = Int32(needle[anchor])
        var offset = range.lowerBound
        let last = range.upperBound - needle.count
        while offset <= last {
            guard let hit = memchr(base + offset + anchor, anchorByte, last - offset + 1) else { return nil }
            let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - anchor
            if memcmp(base + position, pinBase, needle.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }

    /// How rare each byte is in source text, from 0 (space, `e`, `t`…) up: letters by their
    /// frequency in English and code, then the punctuation of JSON, YAML and shell (a `:`
    /// anchor stopped memchr at every key of a JSON file), everything else rarer than any.
    static let rarities: [Int] = (0...255).map { value in
        let byte = UInt8(value)
        let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        guard let rank = commonBytes.firstIndex(of: lower) else { return commonBytes.count + 8 }
        return byte == lower ? rank : rank + 8  // upper case is rarer than its letter
    }

    private static let commonBytes = Array(" etaoinsrl_hdcum.pfg(),=\"\n:-/'0{}[]1#\t2bywvkxjqz".utf8)

    /// The offset of the first `byte` in `buffer[start..<end]` (`end` defaults to the end of
    /// the buffer), or nil.
    @inlinable
    public static func firstIndex(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int? = nil) -> Int? {
        let end = end ?? buffer.count
        guard start < end, let base = buffer.baseAddress, let hit = memchr(base + start, Int32(byte), end - start) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    public static func contains(_ needle: [UInt8], in haystack: [UInt8], range: Range<Int>? = nil) -> Bool {
        firstIndex(of: needle, in: haystack, range: range) != nil
    }
}
