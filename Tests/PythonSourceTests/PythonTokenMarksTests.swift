import Foundation
import Testing
import TestSupport

@testable import PythonSource

/// The marks the tokenizer keeps on the side must be exactly what a walk over its tokens
/// finds: the fact prefilter reads them instead of the tokens, so a missed target or string
/// would skip a file's facts.
@Suite struct PythonTokenMarksTests {
    static let watched = Array("prefect".utf8)

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
            case .name:
                if bytes[token.span.range].elementsEqual(watched) { marks.sawWatchedName = true }
                var j = i + 1
                while j < tokens.count, [.comment, .nl, .error].contains(tokens[j].kind) || isOp(j, ")") || isOp(j, "]") { j += 1 }
                let followers = ["=", ":", ":=", "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="]
                if j < tokens.count, followers.contains(where: { isOp(j, $0) }) { marks.targets.append(i) }
            default:
                break
            }
        }
        return marks
    }

    static func check(_ source: String) {
        let bytes = Array(source.utf8)
        let (tokens, marks) = PythonTokenizer.tokenize(bytes, marking: watched)
        #expect(tokens == PythonTokenizer.tokenize(bytes), "\(source)")
        #expect(marks == expectedMarks(bytes, tokens), "\(source)")
    }

    @Test(arguments: [
        "x = 1\n", "(x) = 1\n", "a[b] = c\n", "cfg['password'] = 'x'\n", "x: int = 2\n", "f(a=1, b = 2)\n",
        "{k: v}\n", "x == y\nx != y\nx <= y\nx >= y\n", "x += 1\ny //= 2\nz **= 3\nw >>= 4\nv <<= 5\nu @= 6\n",
        "if (n := 10) > 5: pass\n", "lambda x: x\n", "x[1:2]\n", "f(a # note\n  = 1)\n", "x ) = 1\n", "x -> y\n",
        "import prefect\n", "prefect_like = 1\nPrefect = 2\n", "s = f'{a:>10}' + f\"{b!r}\" + 'c'\n",
        "def f(token: str = 'x') -> None: ...\n", "x = 'unterminated\n", "x = $ = 1\n",
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
