/// Values tests set in place of secrets (`"test-password"`, `"dummy"`, `"fake_token_1"`),
/// which PS102 and PS104 leave alone in test code: there they stand for a secret, they are
/// not one. Anywhere else such a value is reported as any other.
enum TestStandIns {
    /// Test code, by pytest's and unittest's conventions: a `test`/`tests` folder, `test_*.py`,
    /// `*_test.py`, `conftest.py`.
    static func isTestCode(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let name = parts.last else { return false }
        return parts.dropLast().contains { $0 == "tests" || $0 == "test" } || name.hasPrefix("test_") || name.hasSuffix("_test.py")
            || name == "conftest.py"
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
