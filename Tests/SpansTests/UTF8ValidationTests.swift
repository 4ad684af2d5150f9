import Spans
import Testing

@Suite struct UTF8ValidationTests {
    /// The UTF-8 check skips ASCII 32 and eight bytes at a time: bad bytes at every offset
    /// around those boundaries are still found, and valid multi-byte characters still pass.
    @Test func invalidUTF8IsFoundAtEveryOffset() {
        for offset in 0..<76 {
            var bytes = [UInt8](repeating: 0x61, count: 76)
            bytes[offset] = 0xFF
            #expect(UTF8Validation.firstInvalid(bytes) == offset)
            bytes[offset] = 0xC3  // a lead byte followed by ASCII
            #expect(UTF8Validation.firstInvalid(bytes) == offset)
        }
        #expect(UTF8Validation.firstInvalid(Array("x = 'café ☃ 𝄞' # ok\n".utf8)) == nil)
        #expect(UTF8Validation.firstInvalid([0x61, 0xED, 0xA0, 0x80]) == 1, "a surrogate")
    }

    @Test func asciiAndOtherTextAreToldApart() {
        #expect(UTF8Validation.check(Array("plain = 'ascii'\n".utf8)) == .ascii)
        #expect(UTF8Validation.check(Array("x = 'caf\u{E9}'".utf8)) == .valid)
        #expect(UTF8Validation.check([0x61, 0xC0, 0x80]) == .invalid(at: 1), "an overlong form")
    }
}
