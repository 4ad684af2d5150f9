import Foundation
import Spans
import Testing

@testable import Patterns

@Test func findsAllMatchesWithGroupOffsets() throws {
    let re = try PCRERegex("(a+)(b)?")
    let ms = re.matches(in: Array("xaab-a-aaab".utf8))
    #expect(ms.map(\.span) == [ByteSpan(1, 4), ByteSpan(5, 6), ByteSpan(7, 11)])
    #expect(ms[0][1] == ByteSpan(1, 3))
    #expect(ms[0][2] == ByteSpan(3, 4))
    #expect(ms[1][2] == nil)  // unset optional group
    #expect(ms[1][7] == nil)  // no such group
    #expect(re.captureCount == 2)
}

@Test func compileErrorCarriesMessageAndOffset() {
    #expect(throws: PCRERegexError.self) { try PCRERegex("ab(c") }
    do {
        _ = try PCRERegex("abc[")
        Issue.record("expected an error")
    } catch {
        #expect(error.offset == 4)
        #expect(error.message.contains("missing terminating ]"))
    }
}

@Test func usesJITWhenAvailable() throws {
    // libpcre2 on x86_64/arm64 Linux ships with JIT; if not, the interpreter must still work.
    let re = try PCRERegex("x[0-9]+")
    #expect(re.firstMatch(in: Array("ax123".utf8))?.span == ByteSpan(1, 5))
}

@Test func emptyMatchesAdvance() throws {
    let re = try PCRERegex("a*")
    let ms = re.matches(in: Array("baab".utf8))
    #expect(ms.map(\.span) == [ByteSpan(0, 0), ByteSpan(1, 3), ByteSpan(3, 3), ByteSpan(4, 4)])
}

@Test func rangeLimitsStartAndEndButLookbehindSeesBefore() throws {
    let re = try PCRERegex("(?<=k)[0-9]+")
    let bytes = Array("k123 k456 k789".utf8)
    let ms = re.matches(in: bytes, range: 6..<9)
    #expect(ms.map(\.span) == [ByteSpan(6, 9)])
    #expect(re.matches(in: bytes, range: 6..<8).map(\.span) == [ByteSpan(6, 8)])
    #expect(re.matches(in: bytes, range: 10..<99).isEmpty)  // out-of-bounds range is ignored
    #expect(re.matches(in: [], range: nil).isEmpty)
}

@Test func bytesAreNotUTF8Checked() throws {
    let re = try PCRERegex("k[\\x80-\\xff]+k")
    let bytes: [UInt8] = [0x6B, 0xFF, 0xC3, 0x6B]  // invalid UTF-8 in the middle
    #expect(re.firstMatch(in: bytes)?.span == ByteSpan(0, 4))
}

@Test func sharedRegexIsSafeAcrossThreads() async throws {
    let re = try PCRERegex("(ghp_[A-Za-z0-9]{8})")
    let text = Array(String(repeating: "aa ghp_12345678 bb\n", count: 500).utf8)
    let counts = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<8 { group.addTask { re.matches(in: text).count } }
        var all: [Int] = []
        for await c in group { all.append(c) }
        return all
    }
    #expect(counts == Array(repeating: 500, count: 8))
}
