/// SHA-256 (FIPS 180-4), for fingerprints and value hashes. Small and dependency-free because
/// Foundation on Linux has no CommonCrypto and one hash does not justify swift-crypto.
///
/// State and block live inline, not on the heap: a fingerprint hashes twice, and the scan makes
/// one per finding.
public struct SHA256: Sendable {
    private var state: InlineArray<8, UInt32> = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    /// The bytes of the block being filled; ``buffered`` of them are used.
    private var buffer = InlineArray<64, UInt8>(repeating: 0)
    private var buffered = 0
    private var length: UInt64 = 0

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    public init() {}

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        // Strings, arrays and slices hand over their storage: whole blocks are compressed
        // where they lie instead of byte by byte.
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { update(contiguous: $0) }
        if contiguous == nil {
            for byte in bytes { withUnsafePointer(to: byte) { update(contiguous: UnsafeBufferPointer(start: $0, count: 1)) } }
        }
    }

    public mutating func update(_ string: String) {
        var string = string
        string.withUTF8 { update(contiguous: $0) }
    }

    private mutating func update(contiguous input: UnsafeBufferPointer<UInt8>) {
        guard let base = input.baseAddress, !input.isEmpty else { return }
        length &+= UInt64(input.count)
        var offset = 0
        if buffered > 0 {
            let taken = min(64 - buffered, input.count)
            for i in 0..<taken { buffer[buffered + i] = input[i] }
            buffered += taken
            offset = taken
            guard buffered == 64 else { return }
            compressBuffer()
            buffered = 0
        }
        while input.count - offset >= 64 {
            compress(base + offset)
            offset += 64
        }
        for i in offset..<input.count { buffer[buffered + i - offset] = input[i] }
        buffered += input.count - offset
    }

    public mutating func finalize() -> [UInt8] {
        pad()
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for k in state.indices {
            let word = state[k]
            out.append(UInt8(truncatingIfNeeded: word >> 24))
            out.append(UInt8(truncatingIfNeeded: word >> 16))
            out.append(UInt8(truncatingIfNeeded: word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    /// The final padding: `0x80`, zeros, and the message length in bits, big-endian, to the
    /// end of a block; leaves the digest in ``state``.
    private mutating func pad() {
        let bitLength = length &* 8
        buffer[buffered] = 0x80
        buffered += 1
        if buffered > 56 {
            for k in buffered..<64 { buffer[k] = 0 }
            compressBuffer()
            buffered = 0
        }
        for k in buffered..<56 { buffer[k] = 0 }
        for k in 0..<8 { buffer[56 + k] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * k)) }
        compressBuffer()
        buffered = 0
    }

    private mutating func compressBuffer() {
        let block = buffer
        block.span.withUnsafeBufferPointer { compress($0.baseAddress!) }
    }

    /// Lowercase hex digest of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    /// The digest as lowercase hex.
    public mutating func finalizeHex() -> String {
        pad()
        let digits: StaticString = "0123456789abcdef"
        let words = state
        return String(unsafeUninitializedCapacity: 64) { out in
            for k in 0..<8 {
                for nibble in 0..<8 {
                    out[k * 8 + nibble] = digits.utf8Start[Int((words[k] >> UInt32(28 - 4 * nibble)) & 0x0F)]
                }
            }
            return 64
        }
    }

    /// One 64-byte block at `block`.
    private mutating func compress(_ block: UnsafePointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                w[i] = UInt32(block[i * 4]) << 24 | UInt32(block[i * 4 + 1]) << 16 | UInt32(block[i * 4 + 2]) << 8 | UInt32(block[i * 4 + 3])
            }
            for i in 16..<64 {
                let s0 = w[i - 15].rotr(7) ^ w[i - 15].rotr(18) ^ (w[i - 15] >> 3)
                let s1 = w[i - 2].rotr(17) ^ w[i - 2].rotr(19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
            Self.k.withUnsafeBufferPointer { k in
                for i in 0..<64 {
                    let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                    let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
            }
            state[0] &+= a
            state[1] &+= b
            state[2] &+= c
            state[3] &+= d
            state[4] &+= e
            state[5] &+= f
            state[6] &+= g
            state[7] &+= h
        }
    }
}

extension UInt32 {
    fileprivate func rotr(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}
