import Testing

@testable import PythonSource

/// The decoded text of the first token of `source`.
func decoded(_ source: String) -> PythonStringValue? {
    let bytes = Array(source.utf8)
    guard let token = PythonTokenizer.tokenize(bytes).first else { return nil }
    return PythonStringDecoder.decode(token, in: bytes)
}

@Suite struct PythonStringDecoderTests {
    @Test func simpleEscapes() {
        #expect(decoded(#"'a\tb\nc\\d\'e\"f'"#)?.text == "a\tb\nc\\d'e\"f")
        #expect(decoded(#"'\a\b\f\v\r'"#)?.bytes == [7, 8, 12, 11, 13])
    }

    @Test func numericEscapes() {
        #expect(decoded(#"'\x41\101\u00e9\U0001F600\0'"#)?.text == "AAé😀\u{0}")
        #expect(decoded(#"b'\x00\xff\101'"#)?.bytes == [0, 255, 65])
        #expect(decoded(#"b'\u00e9'"#)?.bytes == Array(#"\u00e9"#.utf8))
    }

    @Test func unknownAndNamedEscapes() {
        #expect(decoded(#"'\d\q'"#)?.text == #"\d\q"#)
        let named = decoded(#"'\N{BULLET}x\N{hyphen-minus}'"#)
        #expect(named?.text == "\u{2022}x-" && named?.isExact == true)
        let unknown = decoded(#"'\N{NO SUCH NAME}'"#)
        #expect(unknown?.text == #"\N{NO SUCH NAME}"# && unknown?.isExact == false)
        #expect(decoded(#"'\x4'"#)?.isExact == false)
    }

    @Test func rawStringsKeepBackslashes() {
        #expect(decoded(#"r'C:\new\'x'"#)?.text == #"C:\new\'x"#)
        #expect(decoded(#"rb'\x00'"#)?.bytes == Array(#"\x00"#.utf8))
    }

    @Test func lineContinuationAndNewlines() {
        #expect(decoded("'a\\\nb'")?.text == "ab")
        #expect(decoded("'a\\\r\nb'")?.text == "ab")
        #expect(decoded("'''a\r\nb\rc'''")?.text == "a\nb\nc")
        #expect(decoded("r'''a\r\nb'''")?.text == "a\nb")
    }

    @Test func tripleQuotedAndPrefixes() {
        #expect(decoded(#"U"""x"y""""#)?.text == #"x"y"#)
        #expect(decoded("B'abc'")?.isBytes == true)
    }

    @Test func concatenation() {
        let bytes = Array(#"'a' "b" '''c''' r'\d'"#.utf8)
        let tokens = PythonTokenizer.tokenize(bytes).filter { $0.kind == .string }
        #expect(PythonStringDecoder.decodeConcatenation(tokens, in: bytes)?.text == #"abc\d"#)
        let mixed = Array(#"'a' b'b'"#.utf8)
        let mixedTokens = PythonTokenizer.tokenize(mixed).filter { $0.kind == .string }
        #expect(PythonStringDecoder.decodeConcatenation(mixedTokens, in: mixed) == nil)
    }

    @Test func nonStringTokensHaveNoValue() {
        #expect(decoded("name") == nil)
        #expect(decoded("f'x'") == nil)
    }
}
