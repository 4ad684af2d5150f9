import Testing
@testable import YAML

struct MarkConverterTests {
    @Test func walksForwardAndBackOverMultiByteCharacters() {
        let bytes = Array("aé日🎉z".utf8)  // byte offsets of characters: 0, 1, 3, 6, 10; end 11
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var converter = MarkConverter(base: base, count: buffer.count, origin: 3)
            #expect(converter.offset(ofCharacter: 4) == 3 + 10)
            #expect(converter.offset(ofCharacter: 2) == 3 + 3)
            #expect(converter.offset(ofCharacter: 3) == 3 + 6)
            #expect(converter.offset(ofCharacter: 0) == 3 + 0)
            #expect(converter.offset(ofCharacter: 5) == 3 + 11)
            #expect(converter.offset(ofCharacter: 99) == 3 + 11)
            #expect(converter.offset(ofCharacter: 1) == 3 + 1)
        }
    }
}
