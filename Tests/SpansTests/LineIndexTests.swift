import Spans
import Testing

@Suite struct LineIndexTests {
    @Test func locationsCountCharactersNotBytes() {
        let file = SourceFile(path: "a.txt", text: "é日本x\nsecond")
        let xOffset = "é日本".utf8.count
        #expect(file.location(of: xOffset) == SourceLocation(line: 1, column: 4))
        #expect(file.location(of: xOffset + 2) == SourceLocation(line: 2, column: 1))
    }

    /// The batch form gives each offset what the single form gives, in any order: inside
    /// multi-byte characters, after a byte order mark, many on one line.
    @Test func locationsInBatchMatchOneByOne() {
        let bytes = [0xEF, 0xBB, 0xBF] + Array("añb\tc😀d\r\nxy=\"é\"\nlast".utf8)
        let index = LineIndex(bytes)
        let offsets = Array((0...bytes.count).reversed()) + [5, 5, 0, 9, 3]
        #expect(index.locations(of: offsets) == offsets.map(index.location(of:)))
    }

    @Test func crlfAndLoneCRBreakLines() {
        let file = SourceFile(path: "a.txt", text: "a\r\nb\rc\nd")
        #expect(file.lines.lineCount == 4)
        #expect(file.location(of: 3) == SourceLocation(line: 2, column: 1))
        #expect(file.location(of: 5) == SourceLocation(line: 3, column: 1))
        #expect(file.lineText(1) == "a")
        #expect(file.lineText(3) == "c")
    }

    @Test func offsetRoundTrips() {
        let file = SourceFile(path: "a", text: "ab\nçd e\n")
        for offset in [0, 1, 3, 5, 6, 7] {
            #expect(file.lines.offset(of: file.location(of: offset)) == offset)
        }
    }

    @Test func editsApplyBackToFrontAndRefuseOverlap() throws {
        let bytes = Array("hello world".utf8)
        let out = try TextEdit.apply(
            [TextEdit(span: ByteSpan(6, 11), replacement: "swift"), TextEdit(span: ByteSpan(0, 5), replacement: "hi")],
            to: bytes)
        #expect(String(decoding: out, as: UTF8.self) == "hi swift")
        #expect(throws: TextEdit.ApplyError.self) {
            try TextEdit.apply(
                [TextEdit(span: ByteSpan(0, 5), replacement: ""), TextEdit(span: ByteSpan(4, 6), replacement: "")],
                to: bytes)
        }
    }

    @Test func codeFrameRedactsAndUnderlinesPlaceholder() {
        let file = SourceFile(path: "a.py", text: "token = \"ghp_abcdef\"\n")
        let frame = CodeFrame.render(
            file: file, span: ByteSpan(9, 19),
            redactions: [.init(span: ByteSpan(9, 19), placeholder: "ghp_…(10 chars)")])
        #expect(!frame.contains("abcdef"))
        #expect(frame.contains("token = \"ghp_…(10 chars)\""))
        #expect(frame.contains("          ^^^^^^^^^^^^^^^"))
    }

    /// A hidden value that spans lines stays hidden on the lines after its first.
    @Test func codeFrameHidesTheRestOfAMultiLineValue() {
        let file = SourceFile(path: "a.toml", text: "KEY = \"\"\"\nfirst-secret-line\nsecond-secret-line\n\"\"\"\n")
        let value = ByteSpan(10, 47)
        let frame = CodeFrame.render(
            file: file, span: ByteSpan(28, 30), redactions: [.init(span: value, placeholder: "…(37 chars)")])
        #expect(!frame.contains("second"), "\(frame)")
        #expect(frame.contains("3 | …(37 chars)"))
    }

    /// An empty value hides no byte: its placeholder stands between the quotes, which stay.
    @Test func codeFrameKeepsTheQuoteAfterAnEmptyValue() {
        let file = SourceFile(path: "config.toml", text: "DB_PASSWORD = \"\"\n")
        let frame = CodeFrame.render(file: file, span: ByteSpan(0, 11), redactions: [.init(span: ByteSpan(15, 15), placeholder: "…(0 chars)")])
        #expect(frame.contains("1 | DB_PASSWORD = \"…(0 chars)\"\n"), "\(frame)")
    }
}

@Suite struct ByteOrderMarkTests {
    @Test func bomIsNotACharacter() {
        let file = SourceFile(path: "a", bytes: [0xEF, 0xBB, 0xBF] + Array("ab\ncd".utf8))
        #expect(file.location(of: 3) == SourceLocation(line: 1, column: 1))
        #expect(file.location(of: 4) == SourceLocation(line: 1, column: 2))
        #expect(file.location(of: 6) == SourceLocation(line: 2, column: 1))
    }
}

@Suite struct ByteSearchTests {
    @Test func findsFirstOccurrenceWithinRange() {
        let hay = Array("abcabcab secret_value x".utf8)
        #expect(ByteSearch.firstIndex(of: Array("abc".utf8), in: hay) == 0)
        #expect(ByteSearch.firstIndex(of: Array("abc".utf8), in: hay, range: 1..<hay.count) == 3)
        #expect(ByteSearch.firstIndex(of: Array("secret_value".utf8), in: hay) == 9)
        #expect(ByteSearch.firstIndex(of: Array("secret_value".utf8), in: hay, range: 0..<20) == nil)
        #expect(ByteSearch.firstIndex(of: Array("cab ".utf8), in: hay, range: 5..<9) == 5)
        #expect(!ByteSearch.contains(Array("zz".utf8), in: hay))
        #expect(!ByteSearch.contains(Array("long needle".utf8), in: Array("short".utf8)))
    }

    /// The search anchors on the needle's rarest byte (`q`, `x`, `{`): matches at either end of
    /// the range, near misses around the anchor, and matches crossing the range's end.
    @Test func rareByteAnchorKeepsEveryMatch() {
        let hay = Array("xquery{q}query_x".utf8)
        #expect(ByteSearch.firstIndex(of: Array("xq".utf8), in: hay) == 0)
        #expect(ByteSearch.firstIndex(of: Array("query".utf8), in: hay) == 1)
        #expect(ByteSearch.firstIndex(of: Array("query".utf8), in: hay, range: 2..<hay.count) == 9)
        #expect(ByteSearch.firstIndex(of: Array("_x".utf8), in: hay) == 14)
        #expect(ByteSearch.firstIndex(of: Array("_x".utf8), in: hay, range: 0..<15) == nil)
        #expect(ByteSearch.firstIndex(of: Array("y{q}".utf8), in: hay, range: 5..<9) == 5)
        #expect(ByteSearch.firstIndex(of: Array("y{q}".utf8), in: hay, range: 6..<hay.count) == nil)
        // Against a plain scan, for every needle cut from the text and every range.
        for lower in 0...hay.count {
            for upper in lower...hay.count {
                for needleStart in hay.indices {
                    for length in 1...3 where needleStart + length <= hay.count {
                        let needle = Array(hay[needleStart..<(needleStart + length)])
                        let expected = (lower..<upper).first { p in p + length <= upper && Array(hay[p..<(p + length)]) == needle }
                        #expect(ByteSearch.firstIndex(of: needle, in: hay, range: lower..<upper) == expected)
                    }
                }
            }
        }
    }
}
