import Spans
import Testing

@Suite struct SHA256Tests {
    /// FIPS 180-4 examples and a multi-block input, against Python's hashlib.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 1000), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
        var hasher = SHA256()
        hasher.update(input)
        #expect(hasher.finalizeHex() == digest)
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
