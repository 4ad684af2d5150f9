import Spans
import Testing

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples and a multi-block input, against Python's hashlib.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
        // Lengths where the padding fits the last block, just does not, or starts a new one.
        (String(repeating: "x", count: 55), "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"),
        (String(repeating: "x", count: 63), "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"),
        (String(repeating: "x", count: 64), "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"),
        (String(repeating: "x", count: 119), "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"),
        (String(repeating: "x", count: 120), "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
        var hasher = SHA256()
        hasher.update(input)
        #expect(hasher.finalizeHex() == digest)
        var bytesHasher = SHA256()
        bytesHasher.update(Array(input.utf8))
        #expect(bytesHasher.finalize().map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined() == digest)
    }

    /// Feeding the same bytes in pieces of every size, through every update path, gives the
    /// same digest as feeding them at once.
    @Test func piecewiseUpdatesAgree() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let whole = SHA256.hex(bytes)
        for piece in [1, 3, 63, 64, 65, 130] {
            var hasher = SHA256()
            var start = 0
            var useSequence = false
            while start < bytes.count {
                let end = min(start + piece, bytes.count)
                if useSequence { hasher.update(bytes[start..<end].lazy.map { $0 }) } else { hasher.update(bytes[start..<end]) }
                useSequence.toggle()
                start = end
            }
            #expect(hasher.finalizeHex() == whole, "pieces of \(piece)")
        }
    }
}
