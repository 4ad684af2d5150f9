/// Values tests set in place of secrets (`"test-password"`, `"dummy"`, `"fake_token_1"`),
/// which PS102 and PS104 leave alone in test code: there they stand for a secret, they are
/// not one. Anywhere else such a value is reported as any other.
enum TestStandIns {
    /// Test code, by pytest's and unittest's conventions: a `test`/`tests` folder, `test_*.py`,
    /// `*_test.py`, `conftest.py`. Read on the path's bytes: the rules ask it of every file,
    /// and splitting the path into `Substring`s cost a twentieth of a full check.
    static func isTestCode(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            var partStart = 0
            for (i, byte) in bytes.enumerated() where byte == 0x2F {  // /
                let folder = UnsafeBufferPointer(rebasing: bytes[partStart..<i])
                if folder.elementsEqual("test".utf8) || folder.elementsEqual("tests".utf8) { return true }
                partStart = i + 1
            }
            let name = UnsafeBufferPointer(rebasing: bytes[partStart...])
            return name.starts(with: "test_".utf8) || name.suffix(8).elementsEqual("_test.py".utf8) || name.elementsEqual("conftest.py".utf8)
        }
    }

    /// Only words that say it stands in (one at least), the names of what it stands for, and
    /// digits, joined by `-`, `_`, `.` or blanks.
    static func isStandIn(_ value: String) -> Bool {
        guard value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_. ".contains($0)) }) else { return false }
        let words = value.lowercased().split { !$0.isLetter }.map(String.init)
        return words.contains(where: standInWords.contains) && words.allSatisfy { standInWords.contains($0) || secretWords.contains($0) }
    }

    static let standInWords: Set<String> = ["test", "tests", "testing", "dummy", "fake", "mock", "mocked", "example", "sample", "stub"]
    static let secretWords: Set<String> = [
        "secret", "password", "passwd", "pass", "pw", "pwd", "token", "key", "api", "apikey", "access", "auth", "value", "my", "user",
        "db", "webhook", "url", "credential", "credentials", "for", "only", "not", "a", "real",
    ]
}
