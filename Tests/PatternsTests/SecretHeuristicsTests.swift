import Testing

@testable import Patterns

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

@Test func placeholders() {
    for s in ["<your-token>", "xxx", "XXXXXXXXXX", "changeme", "your_api_key_here", "ghp_xxxxxxxxxxxx", "password", "None", "dummy-key-1", "****"] {
        #expect(SecretHeuristics.isPlaceholder(b(s)), "\(s)")
    }
    for s in ["Hq3Lr8Zt2WmXv5Kp9Ny1", "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"] {
        #expect(!SecretHeuristics.isPlaceholder(b(s)), "\(s)")
    }
}

@Test func references() {
    for s in ["${DB_PASSWORD}", "$DB_PASSWORD", "{{ vault_pw }}", "%(password)s", "{password}", "<%= pw %>", "#{pw}", "pre${X}post", "secret-token:{secret}", "pw{0}", "a{}b", "x{cfg.password}"] {
        #expect(SecretHeuristics.isReference(b(s)), "\(s)")
    }
    for s in ["Hq3Lr8Zt2WmX$", "abc{def", "", "Hq3{L r}8", "x}y{z", "K9{-}w"] { #expect(!SecretHeuristics.isReference(b(s)), "\(s)") }
    // Where nothing formats the text, a format field is part of the value; a whole `{name}`
    // is still a placeholder, and the other reference forms are still references.
    for s in ["secret-token:{secret}", "pw{0}", "a{}b", "s3cr{et}Pass", "{ACCESS_KEY: a, SECRET_ACCESS_KEY: b}", "{}"] {
        #expect(!SecretHeuristics.isReference(b(s), formatFields: false), "\(s)")
    }
    for s in ["{password}", "{cfg.password}", "${X}", "{{ pw }}"] { #expect(SecretHeuristics.isReference(b(s), formatFields: false), "\(s)") }
}

@Test func documentedExamples() {
    #expect(SecretHeuristics.isDocumentedExample(b("AKIAIOSFODNN7EXAMPLE")))
    #expect(SecretHeuristics.isDocumentedExample(b("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")))
    #expect(!SecretHeuristics.isDocumentedExample(b("AKIAL4SBGJMB35BNLW3L")))
}

@Test func sameCharacterAndSequential() {
    #expect(SecretHeuristics.isSameCharacter(b("aaaaaaaa")))
    #expect(SecretHeuristics.isSameCharacter(b("ghp_000000000000")))
    #expect(!SecretHeuristics.isSameCharacter(b("aaaaaaab")))
    #expect(!SecretHeuristics.isSameCharacter(b("a")))
    for s in ["123456789", "abcdefghij", "9876543210", "1234567890", "sk_live_abcdefghijklmnop", "0123456789abcdef"] {
        #expect(SecretHeuristics.isSequential(b(s)), "\(s)")
    }
    for s in ["Hq3Lr8Zt2WmXv5Kp9Ny1", "abc", "12ab93"] { #expect(!SecretHeuristics.isSequential(b(s)), "\(s)") }
}

@Test func uuidsAndHashContext() {
    #expect(SecretHeuristics.isUUID(b("123e4567-e89b-12d3-a456-426614174000")))
    #expect(!SecretHeuristics.isUUID(b("123e4567-e89b-12d3-a456-42661417400g")))
    #expect(!SecretHeuristics.isUUID(b("123e4567e89b12d3a456426614174000")))
    #expect(SecretHeuristics.hasHashContext(line: b("  token_SHA256 = \"9f86d0\"")))
    #expect(SecretHeuristics.hasHashContext(line: b("\"integrity\": \"sha512-abc\"")))
    #expect(!SecretHeuristics.hasHashContext(line: b("token = \"9f86d0\"")))
}

@Test func commentLines() {
    #expect(SecretHeuristics.isInCommentLine(lineBeforeMatch: b("  # ")))
    #expect(SecretHeuristics.isInCommentLine(lineBeforeMatch: b("// x = ")))
    #expect(!SecretHeuristics.isInCommentLine(lineBeforeMatch: b("x = 1  # ")))
    #expect(SecretHeuristics.isInCommentLine(lineBeforeMatch: b("-- password: ")))
    // A continued command's option is not SQL's comment.
    #expect(!SecretHeuristics.isInCommentLine(lineBeforeMatch: b("  --postgres-url \"")))
}
