import Testing

@testable import Patterns

@Test func shannonEntropy() {
    #expect(Entropy.shannon("") == 0)
    #expect(Entropy.shannon("aaaa") == 0)
    #expect(Entropy.shannon("ab") == 1)
    #expect(abs(Entropy.shannon("abcd") - 2) < 1e-9)
    #expect(abs(Entropy.shannon(Array(0...255).map(UInt8.init)) - 8) < 1e-9)
}

@Test func crc32MatchesZlib() {
    #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
}

@Test func base62PadsToWidth() {
    #expect(String(decoding: Validators.base62(0, width: 6), as: UTF8.self) == "000000")
    #expect(String(decoding: Validators.base62(61, width: 6), as: UTF8.self) == "00000z")
    #expect(String(decoding: Validators.base62(62, width: 6), as: UTF8.self) == "000010")
}

@Test func githubChecksum() {
    // Fake tokens generated for these tests with zlib.crc32 + base62 (the scheme was checked
    // against a published sample while writing the validator; the sample is not kept here
    // because it may have been a real, since revoked, token).
    #expect(Validators.githubCRC32(Array("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".utf8)[...]))
    #expect(Validators.githubCRC32(Array("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".utf8)[...]))
    #expect(!Validators.githubCRC32(Array("ghp_bBRsk29cztUX1kmObfEjdpyHGfY5PB0WWYcx".utf8)[...]))
    #expect(!Validators.githubCRC32(Array("ghp_short".utf8)[...]))
    #expect(!Validators.githubCRC32(Array("nounderscore".utf8)[...]))
    #expect(Validators.named("github-crc32") != nil)
    #expect(Validators.named("no-such-validator") == nil)
}

@Test func jwtValidator() {
    let good = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1LUh5QzN0SiIsImlhdCI6MTcwMDAwMDAwMH0.tqVPozMOfPImr7s41XiJR_1lu1xz_1B4li0ZZ4-rBQl"
    #expect(Validators.jwt(Array(good.utf8)[...]))
    // Header without "alg".
    let noAlg = "eyJub3QiOiJqd3QifQ.eyJzdWIiOiJ1LUh5QzN0SiIsImlhdCI6MTcwMDAwMDAwMH0.ORpSsU9DcykeBrhpvAz4"
    #expect(!Validators.jwt(Array(noAlg.utf8)[...]))
    #expect(!Validators.jwt(Array("eyJ!!!.eyJ.abc".utf8)[...]))
    #expect(!Validators.jwt(Array("a.b".utf8)[...]))
    #expect(Base64URL.decode(Array("eyJhIjoxfQ".utf8)) == Array("{\"a\":1}".utf8))
    #expect(Base64URL.decode(Array("a".utf8)) == nil)
}
