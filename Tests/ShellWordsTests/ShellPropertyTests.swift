import Foundation
import Spans
import Testing
import TestSupport

@testable import ShellWords

private let tricky: [Character] = [
    "'", "\"", "\\", "$", " ", "\t", "\n", "\r", "#", ";", "&", "|", "<", ">", "(", ")", "{", "}", "*", "?", "[", "]",
    "~", "=", "`", "!", "%", "a", "Z", "0", "_", "-", "é", "中", "🚀", "\u{0}", "\u{7F}", "\u{200B}",
]

private func randomWord(_ rng: inout SplitMix) -> String {
    let length = Int.random(in: 0...12, using: &rng)
    var s = ""
    for _ in 0..<length {
        if Bool.random(using: &rng) {
            s.append(tricky[Int.random(in: 0..<tricky.count, using: &rng)])
        } else {
            // Any Unicode scalar outside the surrogate range.
            var v = UInt32.random(in: 1...0x10FFFF, using: &rng)
            if (0xD800...0xDFFF).contains(v) { v = 0x41 }
            s.unicodeScalars.append(Unicode.Scalar(v) ?? "A")
        }
    }
    return s
}

@Test func singleQuotedWordsSplitBackToThemselves() {
    var rng = SplitMix(seed: 0x5EC2E7)
    for round in 0..<2000 {
        let words = (0..<Int.random(in: 1...6, using: &rng)).map { _ in randomWord(&rng) }
        let separators = [" ", "\t", "  ", " \\\n "]
        let text = words.map(ShellQuoting.singleQuoted).joined(
            separator: separators[Int.random(in: 0..<separators.count, using: &rng)])
        let script = ShellParser.parse(text)
        let got = script.commands.flatMap(\.words)
        #expect(script.commands.count == 1, "round \(round)")
        #expect(got.map(\.value) == words, "round \(round)")
        #expect(got.allSatisfy { $0.isLiteral && !$0.hasUnquotedPattern }, "round \(round)")
        #expect(script.diagnostics.isEmpty, "round \(round)")
        // Each word's span covers exactly its quoted text.
        let bytes = Array(text.utf8)
        for (w, original) in zip(got, words) {
            #expect(String(decoding: bytes[w.span.range], as: UTF8.self) == ShellQuoting.singleQuoted(original))
        }
        if script.commands.count != 1 || got.map(\.value) != words { return }
    }
}

/// Builds well-formed shell text for one argument list: unquoted runs, backslash escapes,
/// single- and double-quoted runs, with no expansions (no `$`, backticks, globs, `~`, `#`).
private func randomSource(_ rng: inout SplitMix) -> String {
    let plain = Array("abcxyzABC019_-./:%,@+^=é中")
    let escapable = Array("abc $'\"\\;&|<>()*?[]{}~#!=\t\né")
    let quotedAny = Array("ab c\t\n$`\\\"#;*?~{}!=é🚀")
    var s = ""
    let words = Int.random(in: 1...5, using: &rng)
    for w in 0..<words {
        if w > 0 { s += [" ", "  ", "\t", " \\\n"][Int.random(in: 0..<4, using: &rng)] }
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0:
                for _ in 0..<Int.random(in: 1...4, using: &rng) { s.append(plain[Int.random(in: 0..<plain.count, using: &rng)]) }
            case 1:
                s += "\\" + String(escapable[Int.random(in: 0..<escapable.count, using: &rng)])
            case 2:
                s += "'"
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    let c = quotedAny[Int.random(in: 0..<quotedAny.count, using: &rng)]
                    s.append(c == "'" ? "x" : c)
                }
                s += "'"
            default:
                s += "\""
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    let c = quotedAny[Int.random(in: 0..<quotedAny.count, using: &rng)]
                    switch c {
                    case "$", "`": s += "\\" + String(c)
                    case "\"": s += "\\\""
                    case "\\": s += ["\\\\", "\\n", "\\\n"][Int.random(in: 0..<3, using: &rng)]
                    default: s.append(c)
                    }
                }
                s += "\""
            }
        }
    }
    return s
}

@Test func splitterAgreesWithBash() throws {
    let bash = "/bin/bash"
    guard FileManager.default.isExecutableFile(atPath: bash) else {
        Issue.record("bash not found at \(bash)")
        return
    }
    var rng = SplitMix(seed: 0xBA54)
    var sources: [String] = []
    var expected: [[String]] = []
    for _ in 0..<300 {
        let src = "printf '%s\\0' " + randomSource(&rng)
        let script = ShellParser.parse(src)
        // The generator only makes well-formed literal text; anything else is a parser bug.
        #expect(script.diagnostics.isEmpty && script.commands.count == 1, "\(src.debugDescription)")
        guard script.commands.count == 1 else { continue }
        let words = script.commands[0].words
        #expect(words.allSatisfy { $0.isLiteral && !$0.hasUnquotedPattern }, "\(src.debugDescription)")
        sources.append(src)
        expected.append(words.dropFirst(2).map(\.value))
    }
    let program = sources.map { $0 + "\nprintf '\\1\\0'\n" }.joined()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: bash)
    process.arguments = ["--norc", "--noprofile", "-c", program]
    process.environment = ["LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    var cases: [[String]] = []
    var current: [String] = []
    for field in data.split(separator: 0, omittingEmptySubsequences: false).dropLast() {
        let s = String(decoding: field, as: UTF8.self)
        if s == "\u{1}" {
            cases.append(current)
            current = []
        } else {
            current.append(s)
        }
    }
    #expect(cases.count == expected.count)
    for (k, (bashWords, ours)) in zip(cases, expected).enumerated() where bashWords != ours {
        Issue.record("case \(k): \(sources[k].debugDescription): bash \(bashWords) vs splitter \(ours)")
    }
}

/// Random bytes (biased towards shell punctuation) through every reader: no trap, spans in range.
@Test func readersNeverTrapOnGarbage() {
    var rng = SplitMix(seed: 0xF022)
    let alphabet = Array("'\"\\$`{}()[]<>|&;#=:-@ \t\n\r\n\n\u{0}aAz09_/.%,".utf8) + [0xC3, 0xA9, 0xFF, 0xE4, 0x80]
    let heads: [String] = [
        "", "prefect agent local start ", "ENV ", "RUN [\"", "CMD [", "Environment=", "ExecStart=@",
        "[program:x]\ncommand=", "environment=", "```bash\n", "\tprefect ", "export ", "A=\"", "cat <<",
    ]
    for round in 0..<1500 {
        var bytes = Array(heads[Int.random(in: 0..<heads.count, using: &rng)].utf8)
        for _ in 0..<Int.random(in: 0...60, using: &rng) {
            bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)])
        }
        for kind in ShellFileKind.allCases {
            let facts = ShellFileReader.read(SourceFile(path: "f", bytes: bytes), kind: kind)
            let spans = facts.commands.flatMap { $0.command.words.map(\.span) + [$0.command.span] }
                + facts.assignments.flatMap { [$0.span, $0.nameSpan] + ($0.value.map { [$0.span] } ?? []) }
                + facts.diagnostics.map(\.span)
            for s in spans {
                #expect(s.start >= 0 && s.start <= s.end && s.end <= bytes.count, "round \(round) \(kind) \(s)")
            }
        }
    }
}

/// Splitting a word keeps the value (head + dropped bytes + tail) and nests the spans.
@Test func splittingWordsKeepsValueAndSpans() {
    var rng = SplitMix(seed: 0x5711)
    let alphabet = Array("'\"\\$`{}=:-@ \taz09_/.".utf8) + [0xC3, 0xA9]
    for round in 0..<2000 {
        var bytes: [UInt8] = Array("cmd ".utf8)
        for _ in 0..<Int.random(in: 1...24, using: &rng) { bytes.append(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]) }
        for opts in [ShellParseOptions(), ShellParseOptions(makeRecipe: true)] {
            for c in ShellParser.parse(bytes, options: opts).commands {
                for w in c.words {
                    let value = Array(w.value.utf8)
                    for k in 0...value.count {
                        let drop = Int.random(in: 0...1, using: &rng)
                        guard k + drop <= value.count, let (h, t) = w.split(atValueOffset: k, dropping: drop) else { continue }
                        #expect(Array(h.value.utf8) == Array(value[0..<k]), "round \(round)")
                        #expect(Array(t.value.utf8) == Array(value[(k + drop)...]), "round \(round)")
                        #expect(h.span.start == w.span.start && t.span.end == w.span.end && h.span.end <= t.span.start, "round \(round)")
                    }
                }
            }
        }
    }
}
