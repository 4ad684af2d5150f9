import Foundation
import Testing
import TestSupport

import Spans

@testable import PythonSource

/// The marks the tokenizer keeps on the side must be exactly what a walk over its tokens
/// finds: the fact prefilter reads them instead of the tokens, so a missed target or string
/// would skip a file's facts.
@Suite struct PythonTokenMarksTests {
    static let watched = Array("prefect".utf8)
    static let watchedTarget = Array("Flow".utf8)

    /// The marks by their definition, from the whole token list.
    static func expectedMarks(_ bytes: [UInt8], _ tokens: [PythonToken]) -> PythonTokenMarks {
        var marks = PythonTokenMarks()
        func isOp(_ k: Int, _ text: String) -> Bool {
            tokens[k].kind == .op && bytes[tokens[k].span.range].elementsEqual(text.utf8)
        }
        for (i, token) in tokens.enumerated() {
            switch token.kind {
            case .string, .fstringMiddle:
                marks.strings.append(i)
            case .error:
                if marks.firstError == nil { marks.firstError = i }
            case .name:
                if bytes[token.span.range].elementsEqual(watched) { marks.sawWatchedName = true }
                var j = i + 1
                while j < tokens.count, [.comment, .nl, .error].contains(tokens[j].kind) || isOp(j, ")") || isOp(j, "]") { j += 1 }
                let followers = ["=", ":", ":=", "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="]
                if j < tokens.count, followers.contains(where: { isOp(j, $0) }) {
                    marks.targets.append(i)
                    if bytes[token.span.range].elementsEqual(watchedTarget) { marks.sawWatchedTarget = true }
                }
            default:
                break
            }
        }
        return marks
    }

    /// Words for the filtered marks: texts that may hold one are listed.
    static let words = KeywordSet(["password", "token", "prefect"])

    static func check(_ source: String) {
        let bytes = Array(source.utf8)
        let (tokens, marks) = PythonTokenizer.tokenize(bytes, marking: watched, watchingTarget: watchedTarget)
        #expect(tokens == PythonTokenizer.tokenize(bytes), "\(source)")
        let expected = expectedMarks(bytes, tokens)
        #expect(marks == expected, "\(source)")
        // With words, the lists keep the long texts and those that may hold a word, among
        // them every one that does hold one.
        let filtered = PythonTokenizer.tokenize(bytes, marking: watched, holding: words, watchingTarget: watchedTarget).marks
        func kept(_ i: Int) -> Bool {
            let span = tokens[i].span
            return bytes[span.range].withUnsafeBufferPointer { text in
                span.length > PythonTokenMarks.wordTestLimit || words.mayOccur(in: text)
            }
        }
        #expect(filtered.strings == expected.strings.filter(kept), "\(source)")
        #expect(filtered.targets == expected.targets.filter(kept), "\(source)")
        #expect(filtered.sawWatchedName == expected.sawWatchedName && filtered.firstError == expected.firstError, "\(source)")
        #expect(filtered.sawWatchedTarget == expected.sawWatchedTarget, "\(source)")
        #expect(PythonModule.firstTokenError(tokens, marks: marks) == PythonModule.tokenErrors(tokens).first, "\(source)")
        for i in expected.strings + expected.targets where !words.scan(Array(bytes[tokens[i].span.range])).isEmpty {
            #expect(filtered.strings.contains(i) || filtered.targets.contains(i), "\(source)")
        }
    }

    @Test(arguments: [
        "x = 1\n", "Flow = CustomFlow\n", "Flow == x\nf(Flow)\n", "(Flow) = x\n", "Flows = x\n", "(x) = 1\n", "a[b] = c\n", "cfg['password'] = 'x'\n", "x: int = 2\n", "f(a=1, b = 2)\n",
        "{k: v}\n", "x == y\nx != y\nx <= y\nx >= y\n", "x += 1\ny //= 2\nz **= 3\nw >>= 4\nv <<= 5\nu @= 6\n",
        "if (n := 10) > 5: pass\n", "lambda x: x\n", "x[1:2]\n", "f(a # note\n  = 1)\n", "x ) = 1\n", "x -> y\n",
        "import prefect\n", "prefect_like = 1\nPrefect = 2\n", "s = f'{a:>10}' + f\"{b!r}\" + 'c'\n",
        "def f(token: str = 'x') -> None: ...\n", "x = 'unterminated\n", "x = $ = 1\n",
        "PassWord = 'x'\nword = 1\nd = {'tok': 1, 'my_token': 2}\n",
    ])
    func marksEqualTheirDefinition(source: String) {
        Self.check(source)
    }

    @Test func marksEqualTheirDefinitionOnTestdata() throws {
        let root = TestPaths.testdata.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return }
        var count = 0
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".py"), let data = FileManager.default.contents(atPath: root + "/" + relative) else { continue }
            Self.check(String(decoding: data, as: UTF8.self))
            count += 1
        }
        #expect(count > 20)
    }

    @Test func withoutAWatchedNameNothingIsMarked() {
        let bytes = Array("prefect = 'x'\n".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = PythonScanner(buffer)
            scanner.run()
            #expect(scanner.tokens.count == 5)
            #expect(scanner.marks == PythonTokenMarks())
        }
        #expect(Self.expectedMarks(bytes, PythonTokenizer.tokenize(bytes)) == PythonTokenMarks(strings: [2], targets: [0], sawWatchedName: true))
    }
}
