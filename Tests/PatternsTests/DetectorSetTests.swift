import Foundation
import Spans
import Testing

@testable import Patterns

/// A handful of detectors mirroring rules/PS101-plaintext-credential.toml (the whole file's
/// examples are checked by RulesTests, which can read TOML).
let representative: [Detector] = [
    Detector(
        id: "github-classic-token", keywords: ["ghp_"],
        regex: #"(?<![A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])"#, secretGroup: 1,
        minimumEntropy: 3.0, validator: "github-crc32", tokenFormat: true),
    Detector(
        id: "aws-access-key-id", keywords: ["akia", "asia"],
        regex: #"(?<![A-Za-z0-9/+])((?:AKIA|ASIA)[A-Z2-7]{16})(?![A-Za-z0-9/+=])"#, secretGroup: 1,
        minimumEntropy: 3.0, tokenFormat: true),
    Detector(
        id: "postgres-url-password", keywords: ["postgres"],
        regex: #"postgres(?:ql)?(?:\+[A-Za-z0-9]+)?://[^:@/ \t\r\n"'`]{1,128}:([^@/ \t\r\n"'`]{1,200})@[A-Za-z0-9._-]+"#,
        secretGroup: 1, minimumEntropy: 2.0,
        allowlist: .init(regexes: ["^[0-9]{1,5}$"], stopwords: ["postgres"])),
    Detector(
        id: "private-key-pem", keywords: ["private key-----"],
        regex: #"(-----BEGIN (RSA |EC )?PRIVATE KEY-----\r?\n(?:[ \t]*[A-Za-z0-9+/=]{1,128}\r?\n){2,}[ \t]*-----END \2PRIVATE KEY-----)"#,
        secretGroup: 1, minimumEntropy: 4.5, tokenFormat: true),
    Detector(
        id: "generic-secret-assignment", keywords: ["password", "secret", "token"],
        regex: #"(?i:password|secret|token)[A-Za-z0-9_.-]{0,30}["']?[ \t]*(?::=|=>|=|:)[ \t]*(["'])(?![./~])(?=[^"'\r\n]*[0-9])(?=[^"'\r\n]*[A-Za-z])([^"'\\ \t\r\n]{8,200})\1"#,
        secretGroup: 2, minimumEntropy: 3.3,
        allowlist: .init(paths: [#"(^|/)fixtures/"#])),
]

private func findings(_ set: DetectorSet, _ text: String, path: String = "x.py") -> [String] {
    let bytes = Array(text.utf8)
    return set.scan(bytes: bytes, path: path).map { m in
        "\(set.detectors[m.detectorIndex].id) \(String(decoding: bytes[m.secret.range], as: UTF8.self))"
    }
}

@Test func representativeDetectorsFindAndFilter() throws {
    let set = try DetectorSet(representative)
    #expect(findings(set, "t = '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'\n") == ["github-classic-token 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"])
    // Wrong checksum, placeholder, documented example.
    #expect(findings(set, "t = 'ghp_bBRsk29cztUX1kmObfEjdpyHGfY5PB0WWYcx'\n").isEmpty)
    #expect(findings(set, "k = AKIAIOSFODNN7EXAMPLE").isEmpty)
    #expect(findings(set, "k = AKIAL4SBGJMB35BNLW3L") == ["aws-access-key-id AKIAL4SBGJMB35BNLW3L"])
    #expect(findings(set, "url = 'postgresql://etl:W9v!kQ27rTz@db/x'") == ["postgres-url-password W9v!kQ27rTz"])
    #expect(findings(set, "url = 'postgresql://postgres:postgres@localhost/x'").isEmpty)
    #expect(findings(set, "password = '${DB_PASSWORD}'").isEmpty)
    #expect(findings(set, "password = 'Hq3Lr8Zt2WmXv5Kp9Ny1'") == ["generic-secret-assignment Hq3Lr8Zt2WmXv5Kp9Ny1"])
    #expect(findings(set, "token_sha256 = '9f86d081884c7d659a2feaa0c55ad015'").isEmpty)
    #expect(findings(set, "secret = '123e4567-e89b-12d3-a456-426614174000'").isEmpty)
}

@Test func tokenFormatCountsInCommentsButContextDetectorsDoNot() throws {
    let set = try DetectorSet(representative)
    #expect(findings(set, "# 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") == ["github-classic-token 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"])
    #expect(findings(set, "# password = 'Hq3Lr8Zt2WmXv5Kp9Ny1'").isEmpty)
}

@Test func specificDetectorWinsOverGenericOnTheSameSecret() throws {
    let set = try DetectorSet(representative)
    // Both github-classic-token and generic-secret-assignment match the value.
    #expect(findings(set, "token = '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'") == ["github-classic-token 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"])
}

@Test func pathAllowlistSkipsTheDetector() throws {
    let set = try DetectorSet(representative)
    #expect(findings(set, "password = 'Hq3Lr8Zt2WmXv5Kp9Ny1'", path: "tests/fixtures/a.py").isEmpty)
}

@Test func multiLineDetectorSeesTheWholeFile() throws {
    let set = try DetectorSet(representative)
    #expect(representative[3].spansLines && !representative[0].spansLines)
    let pem = """
        key = '''
        -----BEGIN RSA PRIVATE KEY-----
        Ead9lArXTdvhTHLZ4GKSq+l7V2I7d/i9kBF0oP0CWZ5S2ijXiIum8SMnY0iKzwUWqJ9vRbsny12Us19g00cZ4qC+
        Jm9QAJWYS0rXiqfjfu6Xw/W+20KJ+vlsu746SkQwKxYRqiTRIrAnAD4xXykhe/ONDW4wQAKQ
        -----END RSA PRIVATE KEY-----
        '''
        """
    let bytes = Array(pem.utf8)
    let ms = set.scan(bytes: bytes, path: "k.py")
    #expect(ms.count == 1)
    #expect(ms.first.map { set.detectors[$0.detectorIndex].id } == "private-key-pem")
    #expect(ms.first?.secret.start == 10)
}

@Test func spansAreByteOffsetsInTheFile() throws {
    let set = try DetectorSet(representative)
    let text = "é\nx = 1\nkey = \"AKIAL4SBGJMB35BNLW3L\"\n"
    let ms = set.scan(bytes: Array(text.utf8), path: "a")
    #expect(ms.map(\.secret) == [ByteSpan(16, 36)])
    #expect(ms.map(\.span) == [ByteSpan(16, 36)])
}

@Test func keywordPrefilterAndAlwaysRunDetectors() throws {
    // No keywords: runs on every file. With a keyword absent from the file: never runs (its
    // regex would match, so a finding proves it ran).
    let set = try DetectorSet([
        Detector(id: "always", regex: "zz([0-9]+)", secretGroup: 1, tokenFormat: true),
        Detector(id: "gated", keywords: ["nothere"], regex: "yy([0-9]+)", secretGroup: 1, tokenFormat: true),
    ])
    #expect(findings(set, "a zz918273 yy564738") == ["always 918273"])
    #expect(findings(set, "NotHere zz918273 yy564738") == ["always 918273", "gated 564738"])
}

@Test func keywordWindowsAreLines() throws {
    let set = try DetectorSet([
        Detector(id: "kw", keywords: ["key"], regex: #"^KEY=([0-9]{6})$"#, secretGroup: 1, tokenFormat: true)
    ])
    let text = "a\nKEY=918273\nb\nxx\nKEY=564738\n"
    #expect(findings(set, text) == ["kw 918273", "kw 564738"])
    #expect(findings(set, "KEY=918273") == ["kw 918273"])
}

@Test func sharedDetectorSetScansConcurrently() async throws {
    let set = try DetectorSet(representative)
    let text = Array(String(repeating: "x = 1\nk = AKIAL4SBGJMB35BNLW3L\npassword = 'Hq3Lr8Zt2WmXv5Kp9Ny1'\n", count: 200).utf8)
    let counts = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<8 { group.addTask { set.scan(bytes: text, path: "a.py").count } }
        var all: [Int] = []
        for await c in group { all.append(c) }
        return all
    }
    #expect(counts == Array(repeating: 400, count: 8))
}

@Test func manyMatchesOnOneHugeLineStayLinear() throws {
    // 5,000 findings on a single 190 KB line: quadratic context scans would take many minutes.
    let set = try DetectorSet(representative)
    let line = String(repeating: "{'password': 'Hq3Lr8Zt2WmXv5Kp9Ny1'}, ", count: 5_000)
    let start = ContinuousClock.now
    let ms = set.scan(bytes: Array(line.utf8), path: "min.json")
    #expect(ms.count == 5_000)
    #expect(ContinuousClock.now - start < .seconds(60))
}

@Test func loadErrorsNameTheDetector() {
    func error(_ d: Detector) -> DetectorSetError? {
        do { _ = try DetectorSet([representative[0], d]); return nil } catch { return error }
    }
    let bad = error(Detector(id: "broken", regex: "(abc"))
    #expect(bad?.detectorID == "broken")
    #expect(bad?.description.contains("bad regex") == true)
    #expect(error(Detector(id: "v", regex: "a", validator: "nope"))?.message.contains("unknown validator") == true)
    #expect(error(Detector(id: "g", regex: "(a)", secretGroup: 2))?.detectorID == "g")
    #expect(error(Detector(id: "al", regex: "a", allowlist: .init(regexes: ["["])))?.detectorID == "al")
    #expect(error(Detector(id: "github-classic-token", regex: "a"))?.message == "duplicate detector id")
}

@Test func spansLinesInference() {
    #expect(Detector.regexSpansLines(#"a\nb"#))
    #expect(Detector.regexSpansLines(#"a\s+b"#))
    #expect(Detector.regexSpansLines(#"(?s)a.b"#))
    #expect(Detector.regexSpansLines(#"[\s\S]"#))
    #expect(!Detector.regexSpansLines(#"[^ \t\r\n]+"#))
    #expect(!Detector.regexSpansLines(#"a\\n"#))  // an escaped backslash then "n"
    #expect(!Detector.regexSpansLines(#"[^]\n]x"#))
}

/// Runs every example of a rule file converted to JSON (set PATTERNS_RULE_JSON to the path;
/// e.g. `python3 -c 'import tomllib,json,sys; json.dump(tomllib.load(open(sys.argv[1],"rb")), sys.stdout)' rules/PS101-plaintext-credential.toml`).
/// Skipped when the variable is unset: the committed check of the file lives in RulesTests.
@Test func ruleFileExamplesFromJSON() throws {
    guard let path = ProcessInfo.processInfo.environment["PATTERNS_RULE_JSON"] else { return }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        let raw = root["detectors"] as? [[String: Any]]
    else {
        Issue.record("no detectors in \(path)")
        return
    }
    var detectors: [Detector] = []
    for d in raw {
        let allow = d["allowlist"] as? [String: Any] ?? [:]
        detectors.append(Detector(
            id: d["id"] as? String ?? "", description: d["description"] as? String ?? "",
            keywords: d["keywords"] as? [String] ?? [], regex: d["regex"] as? String ?? "",
            secretGroup: d["secret_group"] as? Int ?? 0, minimumEntropy: (d["entropy"] as? NSNumber)?.doubleValue,
            validator: d["validator"] as? String,
            allowlist: .init(
                regexes: allow["regexes"] as? [String] ?? [], stopwords: allow["stopwords"] as? [String] ?? [],
                paths: allow["paths"] as? [String] ?? []),
            tokenFormat: d["token_format"] as? Bool ?? false))
    }
    let set = try DetectorSet(detectors)
    print("detectors: \(detectors.count)")
    for (index, d) in raw.enumerated() {
        let examples = d["examples"] as? [[String: Any]] ?? []
        #expect(examples.contains { $0["expect"] as? String == "match" }, "\(detectors[index].id) has no match example")
        #expect(examples.contains { $0["expect"] as? String == "clean" }, "\(detectors[index].id) has no clean example")
        for e in examples {
            let text = e["text"] as? String ?? ""
            let mine = set.scan(bytes: Array(text.utf8), path: "example.txt").filter { $0.detectorIndex == index }
            if e["expect"] as? String == "match" {
                // The keyword contract: the prefilter may only skip a detector when none of its
                // keywords occurs, so every match must contain one.
                for m in mine {
                    let matched = String(decoding: Array(text.utf8)[m.span.range], as: UTF8.self).lowercased()
                    #expect(detectors[index].keywords.isEmpty || detectors[index].keywords.contains { matched.contains($0) },
                        "\(detectors[index].id): match contains none of its keywords")
                }
                #expect(mine.count == 1, "\(detectors[index].id): expected one finding in example, got \(mine.count): \(text.prefix(60))")
            } else {
                #expect(mine.isEmpty, "\(detectors[index].id): expected no finding in clean example: \(text.prefix(60))")
            }
        }
    }
}

/// A detector that reads the line after its keyword's (`name:`, then `value:`) keeps that line
/// in its window however many hits the keyword's line has: hits on a line already windowed
/// are skipped without looking for the line's end again (which on one minified line made
/// the scan quadratic), and a hit on a later line opens its own window.
@Test func hitsOnOneLineShareTheWindowOfTheLinesAfter() throws {
    let pair = Detector(
        id: "name-then-value", keywords: ["secret"], regex: #"secret_name: \w+[ \t]*\n[ \t]*value: ([A-Za-z0-9]{12,})"#, secretGroup: 1,
        linesAfter: 1)
    let set = try DetectorSet([pair])
    let text = "secret secret secret secret_name: A\n  value: Ab3dEf6hIj9kLm\nother\nsecret_name: B\n  value: Zx8Qw2Lm9Rt4Vb\n"
    #expect(findings(set, text) == ["name-then-value Ab3dEf6hIj9kLm", "name-then-value Zx8Qw2Lm9Rt4Vb"])
    let oneLine = String(repeating: "secret ", count: 2_000) + "secret_name: C\n  value: Qp7Rs5Tu3Vw1Xy\n"
    #expect(findings(set, oneLine) == ["name-then-value Qp7Rs5Tu3Vw1Xy"])
}
