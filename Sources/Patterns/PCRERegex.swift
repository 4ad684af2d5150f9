import CPCRE2
import Spans

/// A compile error from PCRE2, with the library's message and the byte offset in the pattern.
public struct PCRERegexError: Error, Sendable, Hashable, CustomStringConvertible {
    /// PCRE2's own message.
    public var message: String
    /// Byte offset in the pattern where PCRE2 stopped.
    public var offset: Int
    public var description: String { "regex error at offset \(offset): \(message)" }
}

/// One match: the whole match is group 0; an unset optional group is nil.
public struct PCREMatch: Sendable, Hashable {
    /// Byte spans of group 0...captureCount, in subject offsets.
    public var groups: [ByteSpan?]
    /// The whole match.
    public var span: ByteSpan { groups[0] ?? ByteSpan(0, 0) }
    /// The span of capture group `index`, nil when it did not participate or does not exist.
    public subscript(index: Int) -> ByteSpan? { index >= 0 && index < groups.count ? groups[index] : nil }
}

/// Reusable match data for one thread.
///
/// PCRE2 match data is mutable, so it cannot be shared between concurrent matches; a caller that
/// runs many matches on one thread (a file scan) keeps one scratch and passes it to every call,
/// which saves a malloc per call. Not Sendable on purpose.
public final class PCREMatchScratch {
    let data: OpaquePointer
    let pairs: Int

    /// Match data with room for `captureCount` groups plus the whole match.
    public init(captureCount: Int) {
        pairs = max(1, captureCount + 1)
        // pcre2_match_data_create only fails on out-of-memory, where nothing else would work either.
        data = pcre2_match_data_create_8(UInt32(pairs), nil)!
    }

    deinit { pcre2_match_data_free_8(data) }
}

/// A PCRE2 regular expression over bytes (UTF mode off), JIT-compiled when the platform allows.
///
/// The compiled code is immutable after construction and PCRE2 documents matching as thread safe
/// as long as each thread has its own match data, which is why the type is Sendable: every match
/// call either creates its match data or takes a caller-owned ``PCREMatchScratch``.
public final class PCRERegex: @unchecked Sendable {
    /// Compile options; only those the detectors need.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `(?i)` for the whole pattern.
        public static let caseless = Options(rawValue: UInt32(PCRE2_CASELESS))
        /// `^`/`$` match at line starts and ends.
        public static let multiline = Options(rawValue: UInt32(PCRE2_MULTILINE))
        /// `.` also matches a newline.
        public static let dotAll = Options(rawValue: UInt32(PCRE2_DOTALL))
    }

    /// The pattern source.
    public let pattern: String
    /// Number of capture groups (group 0 excluded).
    public let captureCount: Int
    /// Whether JIT compilation succeeded (otherwise the interpreter runs).
    public let usesJIT: Bool
    private let code: OpaquePointer

    /// Compiles `pattern`; throws PCRE2's message and offset for a bad pattern.
    public init(_ pattern: String, options: Options = []) throws(PCRERegexError) {
        self.pattern = pattern
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let bytes = Array(pattern.utf8)
        let compiled: OpaquePointer? = bytes.withUnsafeBufferPointer { buf in
            // A zero-length pattern still needs a valid pointer.
            let base = buf.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
            return pcre2_compile_8(base, buf.count, options.rawValue, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw PCRERegexError(message: PCRERegex.errorMessage(errorCode), offset: errorOffset)
        }
        code = compiled
        usesJIT = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    deinit { pcre2_code_free_8(code) }

    static func errorMessage(_ errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "PCRE2 error \(errorCode)"
    }

    /// Calls `body` for each non-overlapping match whose start lies in `range` (default: all of
    /// `subject`); the subject seen by PCRE2 ends at `range.upperBound` and starts at 0, so
    /// lookbehinds may look before the range. Return false from `body` to stop.
    public func forEachMatch(
        in subject: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil,
        scratch: PCREMatchScratch? = nil, _ body: (PCREMatch) -> Bool
    ) {
        let r = range ?? 0..<subject.count
        guard r.lowerBound >= 0, r.upperBound <= subject.count, r.lowerBound <= r.upperBound else { return }
        let local = scratch == nil || scratch!.pairs < captureCount + 1
            ? PCREMatchScratch(captureCount: captureCount) : nil
        let md = (local ?? scratch!).data
        // An empty subject still needs a non-null pointer.
        var empty: UInt8 = 0
        withUnsafePointer(to: &empty) { emptyPointer in
            let base = subject.baseAddress ?? emptyPointer
            let length = r.upperBound
            var offset = r.lowerBound
            var options: UInt32 = 0
            while offset <= length {
                var rc: Int32
                if usesJIT {
                    rc = pcre2_jit_match_8(code, base, length, offset, options, md, nil)
                    if rc == PCRE2_ERROR_JIT_STACKLIMIT {
                        // The interpreter keeps its backtracking on the heap and succeeds where
                        // the JIT's fixed stack ran out.
                        rc = pcre2_match_8(code, base, length, offset, options | UInt32(PCRE2_NO_JIT), md, nil)
                    }
                } else {
                    rc = pcre2_match_8(code, base, length, offset, options, md, nil)
                }
                if rc == PCRE2_ERROR_NOMATCH, options != 0 {
                    // After an empty match, retry one byte further without the empty-match ban.
                    offset += 1
                    options = 0
                    continue
                }
                guard rc > 0 else { return }  // no match, or a limit error: stop quietly
                let ovector = pcre2_get_ovector_pointer_8(md)!
                var groups: [ByteSpan?] = []
                groups.reserveCapacity(captureCount + 1)
                for g in 0...captureCount {
                    let s = ovector[2 * g], e = ovector[2 * g + 1]
                    // PCRE2_UNSET is SIZE_MAX, which is -1 as a Swift Int.
                    if g < Int(rc), s >= 0, e >= s { groups.append(ByteSpan(s, e)) } else { groups.append(nil) }
                }
                let whole = groups[0] ?? ByteSpan(offset, offset)
                guard body(PCREMatch(groups: groups)) else { return }
                if whole.isEmpty {
                    offset = whole.end
                    options = UInt32(PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED)
                } else {
                    offset = whole.end
                    options = 0
                }
            }
        }
    }

    /// All matches in `bytes` (within `range` when given).
    public func matches(in bytes: [UInt8], range: Range<Int>? = nil) -> [PCREMatch] {
        var result: [PCREMatch] = []
        bytes.withUnsafeBufferPointer { buf in
            forEachMatch(in: buf, range: range) { result.append($0); return true }
        }
        return result
    }

    /// The first match in `bytes`, if any.
    public func firstMatch(in bytes: [UInt8]) -> PCREMatch? {
        var result: PCREMatch?
        bytes.withUnsafeBufferPointer { buf in
            forEachMatch(in: buf) { result = $0; return false }
        }
        return result
    }

    /// Whether the regex matches anywhere in `bytes`.
    public func isMatch(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var found = false
        forEachMatch(in: bytes) { _ in found = true; return false }
        return found
    }
}
