import Testing

@testable import Spans

@Test func findsOverlappingKeywordsCaseInsensitively() {
    let set = KeywordSet(["he", "SHE", "his", "hers"])
    #expect(set.keywords == ["he", "she", "his", "hers"])
    var hits: [String] = []
    Array("uSHErs".utf8).withUnsafeBufferPointer { buf in
        set.scan(buf) { id, end in hits.append("\(set.keywords[id])@\(end)") }
    }
    #expect(hits.sorted() == ["he@4", "hers@6", "she@4"])
    #expect(set.scan(Array("ahis".utf8)).ids == [2])
    #expect(set.scan(Array("nothing".utf8)).isEmpty)
}

@Test func keywordHitsAgreeWithNaiveSearch() {
    let keywords = ["ghp_", "akia", "password", "pass", "sk_live_", "a", "aa", "xoxb-", "secret"]
    let set = KeywordSet(keywords)
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("aAgGhHpP_kKiIsSwWoOrRdDxXbB-lLvVeEcCtT .".utf8)
    // Short texts take the single-automaton path; long ones the two-halves path, where hits
    // around the midpoint must be reported exactly once and in order.
    var texts = [400, 400, 5000, 9001].map { length in
        (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
    }
    // Hits at every offset, so one missed or doubled hit near the midpoint shows.
    texts.append(Array(String(repeating: "aA", count: 3001).utf8))
    texts.append(Array(String(repeating: "password", count: 700).utf8))
    for text in texts {
        let lowered = text.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        var expected: [String] = []
        for (id, k) in keywords.enumerated() {
            let kb = Array(k.utf8)
            for i in 0...(lowered.count - kb.count) where Array(lowered[i..<(i + kb.count)]) == kb {
                expected.append("\(id)@\(i + kb.count)")
            }
        }
        var actual: [String] = []
        text.withUnsafeBufferPointer { buf in set.scan(buf) { id, end in actual.append("\(id)@\(end)") } }
        #expect(actual.sorted() == expected.sorted())
        var ends: [Int] = []
        text.withUnsafeBufferPointer { buf in set.scan(buf) { _, end in ends.append(end) } }
        #expect(ends == ends.sorted())
    }
}

@Test func emptyKeywordSetFindsNothing() {
    #expect(KeywordSet([]).scan(Array("abc".utf8)).isEmpty)
    #expect(KeywordSet([""]).scan(Array("abc".utf8)).isEmpty)
    #expect(KeywordSet(["abc"]).scan([UInt8]()).isEmpty)
}

@Test func bitsetBeyondOneWord() {
    var b = KeywordBitset(count: 130)
    b.insert(0); b.insert(64); b.insert(129); b.insert(500)
    #expect(b.ids == [0, 64, 129])
    #expect(b.contains(129) && !b.contains(128) && !b.contains(-1))
}

@Test func mayOccurNeverRulesOutAKeywordThatOccurs() {
    let keywords = ["password", "pwd", "secret", "token", "api_key", "prefect"]
    let set = KeywordSet(keywords)
    var rng = SystemRandomNumberGenerator()
    let alphabet = Array("passwordPWDsecretTOKENapi_keyprefx1 .".utf8)
    var rejected = 0
    for _ in 0..<4000 {
        let text = (0..<Int.random(in: 0..<14, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        text.withUnsafeBufferPointer { buf in
            let holds = !set.scan(buf).isEmpty
            #expect(set.occurs(in: buf) == holds)
            if holds { #expect(set.mayOccur(in: buf)) }
            if !set.mayOccur(in: buf) { rejected += 1 }
        }
    }
    // The test is worth its cost only if it rules out texts.
    #expect(rejected > 1000)
    Array("wordpass".utf8).withUnsafeBufferPointer { buf in
        // Every byte of `password` without the word: only the automaton tells.
        #expect(set.mayOccur(in: buf) && !set.occurs(in: buf))
    }
    Array("PassWorD".utf8).withUnsafeBufferPointer { #expect(set.occurs(in: $0)) }
    Array("other".utf8).withUnsafeBufferPointer { #expect(!set.mayOccur(in: $0)) }
    Array("abc".utf8).withUnsafeBufferPointer { #expect(!KeywordSet([""]).occurs(in: $0) && !KeywordSet([]).occurs(in: $0)) }
}

@Test func mayOccurWithMoreByteClassesThanBitsSaysMaybe() {
    // 26 letters and 10 digits and 40 other bytes: more classes than a 64-bit set holds.
    let bytes = (0x21...0x7E).map { String(UnicodeScalar(UInt8($0))) }
    let set = KeywordSet(bytes.map { $0 + $0 })
    Array("zz".utf8).withUnsafeBufferPointer { #expect(set.mayOccur(in: $0) && set.occurs(in: $0)) }
    Array("z".utf8).withUnsafeBufferPointer { #expect(set.mayOccur(in: $0) && !set.occurs(in: $0)) }
}

/// Keywords whose byte sets are minimal keep their own test up to ``KeywordPrefilter/maxSets``;
/// past that (thousands of values to hide) the filter says maybe, and what occurs is still found.
@Test func manyIncomparableKeywordSetsMakeAFilterThatSaysMaybe() {
    // Two-letter keywords over 20 letters, each pair's set holding no other: 190 sets, kept.
    let letters = Array("abcdefghijklmnopqrst")
    var pairs: [String] = []
    for i in letters.indices { for j in letters.indices where i < j { pairs.append(String([letters[i], letters[j]])) } }
    let few = KeywordSet(pairs)
    #expect(few.prefilter.keywordSets.count == pairs.count)
    Array("a xyz".utf8).withUnsafeBufferPointer { #expect(!few.mayOccur(in: $0)) }
    // Three-letter ones over 20 letters: 1,140 incomparable sets, more than are kept.
    var triples: [String] = []
    for i in letters.indices { for j in letters.indices where i < j { for k in letters.indices where j < k { triples.append(String([letters[i], letters[j], letters[k]])) } } }
    let many = KeywordSet(triples)
    #expect(many.prefilter.keywordSets == [0])
    Array("x rst y".utf8).withUnsafeBufferPointer { buf in
        #expect(many.mayOccur(in: buf))
        #expect(many.scan(buf).ids.map { many.keywords[$0] } == ["rst"])
    }
    // A keyword inside another keeps the larger one's set out.
    #expect(KeywordSet(["ab", "abc", "cab"]).prefilter.keywordSets.count == 1)
}
