import Spans
import Testing
import TestSupport

@testable import PythonSource

/// `KIND text` for each token (ENDMARKER left out), the form most tests compare.
func shape(_ source: String) -> [String] {
    let bytes = Array(source.utf8)
    return PythonTokenizer.tokenize(bytes).filter { $0.kind != .endMarker }.map { token in
        let text = String(decoding: bytes[token.span.range], as: UTF8.self)
        if token.kind == .error { return "ERRORTOKEN(\(token.error)) \(text)" }
        return text.isEmpty ? "\(token.kind)" : "\(token.kind) \(text)"
    }
}

func tokens(_ source: String) -> [PythonToken] { PythonTokenizer.tokenize(Array(source.utf8)) }

@Suite struct PythonTokenizerTests {
    @Test func simpleStatementWithExactSpans() {
        let result = tokens("x = 'a'\n")
        #expect(result.map(\.kind) == [.name, .op, .string, .newline, .endMarker])
        #expect(result.map(\.span) == [ByteSpan(0, 1), ByteSpan(2, 3), ByteSpan(4, 7), ByteSpan(7, 8), ByteSpan(8, 8)])
    }

    static let plainPrefixes: [(String, PythonStringFlags)] = [
        ("r'x'", .raw), ("R'x'", .raw), ("b'x'", .bytes), ("B'x'", .bytes), ("u'x'", .unicode),
        ("U'x'", .unicode), ("rb'x'", [.raw, .bytes]), ("bR'x'", [.raw, .bytes]), ("Rb'x'", [.raw, .bytes]),
        ("BR'x'", [.raw, .bytes]),
    ]

    @Test(arguments: plainPrefixes)
    func everyPlainPrefix(source: String, flags: PythonStringFlags) {
        let result = tokens(source)
        #expect(result[0].kind == .string)
        #expect(result[0].span == ByteSpan(0, source.utf8.count))
        #expect(result[0].stringFlags.subtracting([.doubleQuote, .triple]) == flags)
    }

    @Test(arguments: ["f'x'", "F'x'", "fr'x'", "rf'x'", "Rf'x'", "fR'x'", "FR'x'", "rF'x'"])
    func everyFormatPrefix(source: String) {
        let result = tokens(source)
        #expect(result[0].kind == .fstringStart)
        #expect(result[0].span == ByteSpan(0, source.utf8.count - 2))
        #expect(result[0].stringFlags.contains(.format))
        #expect(result[0].stringFlags.contains(.raw) == (source.lowercased().contains("r")))
        #expect(result[1].kind == .fstringMiddle)
        #expect(result[2].kind == .fstringEnd)
    }

    @Test func invalidPrefixesAreNames() {
        #expect(shape("ur'x'") == ["NAME ur", "STRING 'x'", "NEWLINE"])
        #expect(shape("bb'x'") == ["NAME bb", "STRING 'x'", "NEWLINE"])
        #expect(shape("fb'x'") == ["NAME fb", "STRING 'x'", "NEWLINE"])
        #expect(shape("rbx'x'") == ["NAME rbx", "STRING 'x'", "NEWLINE"])
    }

    @Test func quotesAndEscapes() {
        #expect(shape(#"'a\'b' "c\"d" 'e"f'"#) == [#"STRING 'a\'b'"#, #"STRING "c\"d""#, #"STRING 'e"f'"#, "NEWLINE"])
        #expect(shape(#"r'\'' '\\'"#) == [#"STRING r'\''"#, #"STRING '\\'"#, "NEWLINE"])
        let triple = "'''a\n'' ' b''' \"\"\"x\"y\"\"\"\n"
        let result = tokens(triple)
        #expect(result[0].kind == .string && result[0].span == ByteSpan(0, 14))
        #expect(result[0].stringFlags.contains(.triple) && !result[0].stringFlags.contains(.doubleQuote))
        #expect(result[1].kind == .string && result[1].span == ByteSpan(15, 24))
        #expect(result[1].stringFlags.contains([.triple, .doubleQuote]))
        #expect(result[0].stringContentSpan == ByteSpan(3, 11))
    }

    @Test func backslashNewlineInsideSingleQuotedString() {
        #expect(shape("'a\\\nb'\n") == ["STRING 'a\\\nb'", "NEWLINE \n"])
    }

    @Test func implicitLineJoiningInsideBrackets() {
        #expect(shape("f(1,\n  2)\n") == ["NAME f", "OP (", "NUMBER 1", "OP ,", "NL \n", "NUMBER 2", "OP )", "NEWLINE \n"])
        #expect(shape("[\n]\n{\n}\n") == ["OP [", "NL \n", "OP ]", "NEWLINE \n", "OP {", "NL \n", "OP }", "NEWLINE \n"])
    }

    @Test func backslashContinuation() {
        let result = tokens("x = 1 + \\\n    2\ny\n")
        #expect(result.map(\.kind) == [.name, .op, .number, .op, .number, .newline, .name, .newline, .endMarker])
        #expect(result[4].span == ByteSpan(14, 15))
        // A continued line is not a new line for indentation.
        #expect(!tokens("if x:\n    a = \\\n  1\n").contains { $0.kind == .error })
    }

    @Test func commentsNewlinesAndBlankLines() {
        #expect(
            shape("# top\n\nx = 1  # trailing\n   \n  # indented comment\n") == [
                "COMMENT # top", "NL \n", "NL \n", "NAME x", "OP =", "NUMBER 1", "COMMENT # trailing", "NEWLINE \n",
                "NL \n", "COMMENT # indented comment", "NL \n",
            ])
    }

    @Test func indentAndDedent() {
        let source = "if a:\n    if b:\n        c\n    d\ne\n"
        #expect(
            shape(source) == [
                "NAME if", "NAME a", "OP :", "NEWLINE \n", "INDENT     ", "NAME if", "NAME b", "OP :", "NEWLINE \n",
                "INDENT         ", "NAME c", "NEWLINE \n", "DEDENT", "NAME d", "NEWLINE \n", "DEDENT", "NAME e",
                "NEWLINE \n",
            ])
        let result = tokens(source)
        let dedents = result.filter { $0.kind == .dedent }
        #expect(dedents.map(\.span) == [ByteSpan(30, 30), ByteSpan(32, 32)])
    }

    @Test func dedentsAtEndOfFileWithoutNewline() {
        let result = tokens("if a:\n  b")
        #expect(result.suffix(4).map(\.kind) == [.name, .newline, .dedent, .endMarker])
        #expect(result[result.count - 3].span == ByteSpan(9, 9))
    }

    @Test func tabsIndentLikeCPython() {
        // A tab goes to the next multiple of 8, so tab and 8 spaces are the same column...
        #expect(!shape("if a:\n\tb\n\tc\n").contains { $0.hasPrefix("ERRORTOKEN") })
        // ...but CPython rejects mixing them because the meaning depends on the tab size.
        #expect(shape("if a:\n\tb\n        c\n").contains("ERRORTOKEN(inconsistent use of tabs and spaces in indentation)         "))
        #expect(!shape("if a:\n \tb\n \tc\n").contains { $0.hasPrefix("ERRORTOKEN") })
    }

    @Test func formFeedResetsIndentation() {
        #expect(shape("\u{0C}x = 1\n") == ["NAME x", "OP =", "NUMBER 1", "NEWLINE \n"])
        #expect(!shape("if a:\n    b\n\u{0C}c\n").contains { $0.hasPrefix("ERRORTOKEN") })
    }

    @Test(arguments: [
        "0", "00", "7", "1_000_000", "0x_FF", "0XdeadBEEF", "0o17", "0O7_7", "0b1010", "0B_1", "3.14", ".5", "5.",
        "1e10", "1E-5", "2.5e+3", "1.5j", "10J", "1_0.0_1e+1_0", "0.0", "1_2j",
    ])
    func numbers(_ literal: String) {
        #expect(shape(literal) == ["NUMBER \(literal)", "NEWLINE"])
    }

    @Test func numberEdges() {
        #expect(shape("1.__class__") == ["NUMBER 1.", "NAME __class__", "NEWLINE"])
        #expect(shape("1if x else 2") == ["NUMBER 1", "NAME if", "NAME x", "NAME else", "NUMBER 2", "NEWLINE"])
        #expect(shape("0x") == ["ERRORTOKEN(invalid number literal) 0x", "NEWLINE"])
        #expect(shape("x.real") == ["NAME x", "OP .", "NAME real", "NEWLINE"])
    }

    @Test func operatorsTakeTheLongestMatch() {
        let ops = "**= //= >>= <<= ** // >> << -> := ... != == <= >= <> += -= *= /= %= &= |= ^= @= @ ! ~ ; , . ="
        #expect(Array(shape(ops).dropLast()) == ops.split(separator: " ").map { "OP \($0)" })
        #expect(shape("a**-b") == ["NAME a", "OP **", "OP -", "NAME b", "NEWLINE"])
        #expect(shape("x[1:-1]") == ["NAME x", "OP [", "NUMBER 1", "OP :", "OP -", "NUMBER 1", "OP ]", "NEWLINE"])
    }

    @Test func nonASCIINames() {
        let result = tokens("café = ñ_1\n")
        #expect(result[0].kind == .name && result[0].span == ByteSpan(0, 5))
        #expect(result[2].kind == .name && result[2].span == ByteSpan(8, 12))
        #expect(shape("日本 = 1") == ["NAME 日本", "OP =", "NUMBER 1", "NEWLINE"])
    }

    @Test func fStringPartsLikeCPython312() {
        #expect(
            shape(#"f"a{b!r:>{w}}c""#) == [
                #"FSTRING_START f""#, "FSTRING_MIDDLE a", "OP {", "NAME b", "OP !", "NAME r", "OP :",
                "FSTRING_MIDDLE >", "OP {", "NAME w", "OP }", "OP }", "FSTRING_MIDDLE c", #"FSTRING_END ""#, "NEWLINE",
            ])
        let result = tokens(#"f"a{b}""#)
        #expect(result.map(\.span) == [
            ByteSpan(0, 2), ByteSpan(2, 3), ByteSpan(3, 4), ByteSpan(4, 5), ByteSpan(5, 6), ByteSpan(6, 7),
            ByteSpan(7, 7), ByteSpan(7, 7),
        ])
        #expect(result.map(\.fstringDepth) == [0, 1, 1, 1, 1, 0, 0, 0])
    }

    @Test func fStringNestedQuotesAndNestedFStrings() {
        #expect(
            shape(#"f"{x["k"]}""#) == [
                #"FSTRING_START f""#, "OP {", "NAME x", "OP [", #"STRING "k""#, "OP ]", "OP }", #"FSTRING_END ""#,
                "NEWLINE",
            ])
        let nested = tokens(#"f"{f'{x}'}""#)
        #expect(nested.map(\.kind) == [
            .fstringStart, .op, .fstringStart, .op, .name, .op, .fstringEnd, .op, .fstringEnd, .newline, .endMarker,
        ])
        #expect(nested.map(\.fstringDepth) == [0, 1, 1, 2, 2, 2, 1, 1, 0, 0, 0])
        #expect(shape(#"f"{ {'a': 1}['a'] }""#).contains("OP }"))
    }

    @Test func fStringEscapesBracesAndNamedEscapes() {
        #expect(shape(#"f"{{x}}""#) == [#"FSTRING_START f""#, "FSTRING_MIDDLE {{x}}", #"FSTRING_END ""#, "NEWLINE"])
        #expect(shape(#"f"\N{BULLET} {x}""#) == [
            #"FSTRING_START f""#, #"FSTRING_MIDDLE \N{BULLET} "#, "OP {", "NAME x", "OP }", #"FSTRING_END ""#, "NEWLINE",
        ])
        #expect(shape(#"rf"\{x}""#) == [
            #"FSTRING_START rf""#, #"FSTRING_MIDDLE \"#, "OP {", "NAME x", "OP }", #"FSTRING_END ""#, "NEWLINE",
        ])
        #expect(shape(#"f'\''"#) == [#"FSTRING_START f'"#, #"FSTRING_MIDDLE \'"#, "FSTRING_END '", "NEWLINE"])
    }

    @Test func tripleQuotedFStringSpansLines() {
        let source = "f'''a\n{x:\n>3}\nb'''\n"
        let result = tokens(source)
        #expect(result.first?.kind == .fstringStart)
        #expect(result.first { $0.kind == .fstringEnd }?.span == ByteSpan(15, 18))
        #expect(!result.contains { $0.kind == .error })
    }

    @Test func crlfLineEndings() {
        let result = tokens("x = 1\r\nif x:\r\n    y\r\n")
        #expect(result[3].kind == .newline && result[3].span == ByteSpan(5, 7))
        #expect(result.contains { $0.kind == .indent && $0.span == ByteSpan(14, 18) })
        #expect(tokens("'''a\r\nb'''\r\n")[0].span == ByteSpan(0, 10))
    }

    @Test func byteOrderMarkIsSkipped() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("x = 'a'\n".utf8)
        let result = PythonTokenizer.tokenize(bytes)
        #expect(result[0].kind == .name && result[0].span == ByteSpan(3, 4))
        #expect(!result.contains { $0.kind == .indent || $0.kind == .error })
    }

    @Test func endOfFileWithoutNewline() {
        let result = tokens("x")
        #expect(result.map(\.kind) == [.name, .newline, .endMarker])
        #expect(result[1].span == ByteSpan(1, 1))
        #expect(tokens("").map(\.kind) == [.endMarker])
        #expect(tokens("# c").map(\.kind) == [.comment, .nl, .endMarker])
    }
}

@Suite struct PythonTokenizerErrorTests {
    @Test func unterminatedStringStopsAtLineEndAndScanningGoesOn() {
        let result = tokens("x = 'abc\ny = 2\n")
        #expect(result[2].kind == .error && result[2].error == .unterminatedString && result[2].span == ByteSpan(4, 8))
        #expect(shape("x = 'abc\ny = 2\n").suffix(4) == ["NAME y", "OP =", "NUMBER 2", "NEWLINE \n"])
    }

    @Test func unterminatedTripleQuotedStringRunsToTheEnd() {
        let result = tokens("x = '''abc\ny = 2\n")
        #expect(result[2].error == .unterminatedTripleQuotedString && result[2].span == ByteSpan(4, 17))
        #expect(result.last?.kind == .endMarker)
        // Reported to a reader at the bracket left open (the innermost), as CPython does.
        for (source, offset) in [("f(1,\n", 1), ("x = f(a[1], {2: (3)},\n", 5), ("x = [f(\n  1),\n", 4)] {
            let (all, marks) = PythonTokenizer.tokenize(Array(source.utf8), marking: [])
            let diagnostic = PythonModule.firstTokenError(all, marks: marks, in: Array(source.utf8))
            #expect(diagnostic?.span == ByteSpan(offset, offset + 1) && diagnostic?.message.hasSuffix("' was never closed") == true, "\(source)")
        }
    }

    @Test func unterminatedFString() {
        // The literal part of a single-quoted f-string ends at the line end...
        let result = tokens("x = f'ab\ny = 2\n")
        let error = result.first { $0.kind == .error }
        #expect(error?.error == .unterminatedFString && error?.span == ByteSpan(4, 8))
        #expect(shape("x = f'ab\ny = 2\n").suffix(4) == ["NAME y", "OP =", "NUMBER 2", "NEWLINE \n"])
        // ...but a replacement field may span lines (CPython 3.12), so an unclosed one runs to the end.
        let open = tokens("x = f'a{b\ny = 2\n")
        #expect(open.first { $0.kind == .error }?.span == ByteSpan(4, 16))
        #expect(shape("f'{a\n}'") == ["FSTRING_START f'", "OP {", "NAME a", "NL \n", "OP }", "FSTRING_END '", "NEWLINE"])
        #expect(tokens("f'''abc").contains { $0.error == .unterminatedFString && $0.span == ByteSpan(0, 7) })
    }

    @Test func singleClosingBraceInFString() {
        #expect(shape("f'a}b'") == [
            "FSTRING_START f'", "FSTRING_MIDDLE a", "ERRORTOKEN(f-string: single '}' is not allowed) }",
            "FSTRING_MIDDLE b", "FSTRING_END '", "NEWLINE",
        ])
    }

    @Test func unindentDoesNotMatch() {
        let result = tokens("if a:\n    b\n  c\n")
        let error = result.first { $0.kind == .error }
        #expect(error?.error == .unindentDoesNotMatch && error?.span == ByteSpan(12, 14))
        #expect(result.contains { $0.kind == .name && $0.span == ByteSpan(14, 15) })
    }

    @Test func strayCharacters() {
        #expect(shape("a $ b ? `c`") == [
            "NAME a", "ERRORTOKEN(invalid character) $", "NAME b", "ERRORTOKEN(invalid character) ?",
            "ERRORTOKEN(invalid character) `", "NAME c", "ERRORTOKEN(invalid character) `", "NEWLINE",
        ])
        #expect(shape("a \\ b") == ["NAME a", "ERRORTOKEN(unexpected character after line continuation character) \\", "NAME b", "NEWLINE"])
    }

    @Test func bracketErrors() {
        #expect(shape("a)\n") == ["NAME a", "ERRORTOKEN(unmatched closing bracket) )", "NEWLINE \n"])
        let result = tokens("f(1,\n")
        #expect(result.contains { $0.error == .eofInMultiLineStatement && $0.span == ByteSpan(5, 5) })
        #expect(result.last?.kind == .endMarker)
    }

    @Test func arbitraryBytesNeverTrapAndSpansStayOrdered() {
        var generator = SplitMix(seed: 0x5EED)
        let alphabet = Array("abf r'\"{}()[]:=!\\\n\r\t #0x1.e_j\u{0C}".utf8) + [0xC3, 0xA9, 0xFF, 0x00]
        for _ in 0..<400 {
            let length = Int(generator.next() % 80)
            let bytes = (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let result = PythonTokenizer.tokenize(bytes)
            #expect(result.last?.kind == .endMarker)
            // Tokens come in source order; an unterminated f-string's error reaches back to its start.
            var previous = 0
            for token in result {
                #expect(token.span.end <= bytes.count)
                if token.error == .unterminatedFString { continue }
                #expect(token.span.start >= previous, "\(bytes)")
                previous = token.span.start
            }
            _ = PythonModule.parse(bytes)
        }
    }
}
