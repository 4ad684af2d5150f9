import Spans
import Testing

@testable import ShellWords

private func parse(_ s: String) -> ShellScript { ShellParser.parse(s) }
private func values(_ s: String) -> [[String]] { parse(s).commands.map { $0.words.map(\.value) } }
private func text(_ s: String, _ span: ByteSpan) -> String {
    String(decoding: Array(s.utf8)[span.start..<span.end], as: UTF8.self)
}

@Test func splitsPlainWordsWithSpans() {
    let src = "echo  hello\tworld"
    let c = parse(src).commands
    #expect(c.count == 1)
    #expect(c[0].words.map(\.value) == ["echo", "hello", "world"])
    #expect(c[0].words.map(\.span) == [ByteSpan(0, 4), ByteSpan(6, 11), ByteSpan(12, 17)])
    #expect(c[0].span == ByteSpan(0, 17))
}

@Test func singleQuotesKeepEverythingLiteral() {
    let src = #"echo 'a $X \n "b"'"#
    let w = parse(src).commands[0].words[1]
    #expect(w.value == #"a $X \n "b""#)
    #expect(w.isLiteral)
    #expect(w.parts.count == 1)
    #expect(w.parts[0].quoting == .single)
    #expect(text(src, w.parts[0].span) == #"a $X \n "b""#)
    #expect(text(src, w.span) == #"'a $X \n "b"'"#)
}

@Test func doubleQuotesEscapeOnlyFiveCharacters() {
    let src = #"echo "a\$b \n \" \\ \q""#
    let w = parse(src).commands[0].words[1]
    #expect(w.value == #"a$b \n " \ \q"#)
    #expect(w.isLiteral)
    let escaped = w.parts.filter { $0.kind == .escaped }
    #expect(escaped.map(\.text) == ["$", "\"", "\\"])
    #expect(escaped.map { text(src, $0.span) } == [#"\$"#, #"\""#, #"\\"#])
}

@Test func unquotedBackslashEscapesAnyCharacter() {
    let w = parse(#"echo a\ b\'c\\"#).commands[0].words
    #expect(w.map(\.value) == ["echo", "a b'c\\"])
}

@Test func lineContinuationsAreRemovedIncludingCRLF() {
    #expect(values("prefect agent \\\n  local start \\\r\n -l a") == [["prefect", "agent", "local", "start", "-l", "a"]])
    // Inside a word, and inside double quotes.
    #expect(values("ec\\\nho \"a\\\nb\"") == [["echo", "ab"]])
    // Not inside single quotes.
    #expect(values("echo 'a\\\nb'") == [["echo", "a\\\nb"]])
}

@Test func commentsStartOnlyAtWordStart() {
    let s = parse("echo a#b # comment here\n# whole line\necho c")
    #expect(s.commands.map { $0.words.map(\.value) } == [["echo", "a#b"], ["echo", "c"]])
    #expect(s.comments.count == 2)
}

@Test func separatorsEndCommands() {
    let s = parse("a 1; b 2 && c || d | e & f\ng")
    #expect(s.commands.map { $0.words.map(\.value).joined(separator: " ") } == ["a 1", "b 2", "c", "d", "e", "f", "g"])
    #expect(s.commands.map(\.terminator) == [.semicolon, .and, .or, .pipe, .background, .newline, .end])
}

/// Commands that run on some paths only, or in a subshell: their assignments are not known
/// to hold after them.
@Test func conditionalCommands() {
    let s = parse(
        """
        a
        if t; then b; elif u; then c; else d; fi
        e && f || g
        h | i
        j &
        while w; do k; done
        for x in 1 2; do l; done
        case "$x" in
          p1) m ;;
          (p2) n ;;
        esac
        fn() { o; }
        ( p )
        { q; }
        r &&
          s
        "then" v
        z
        """)
    let conditional = s.commands.filter(\.runsConditionally).map { $0.words.first?.value ?? "" }
    #expect(conditional == ["t", "b", "u", "c", "d", "f", "g", "h", "i", "j", "w", "k", "l", "p1", "m", "p2", "n", "esac", "o", "p", "q", "s"])
    #expect(s.commands.filter { !$0.runsConditionally }.map { $0.words.first?.value ?? "" } == ["a", "e", "for", "case", "fn", "r", "then", "z"])
}

@Test func assignmentPrefixes() {
    let src = "A=1 B+=\"two words\" C= cmd D=4"
    let c = parse(src).commands[0]
    #expect(c.assignments.map(\.name) == ["A", "B", "C"])
    #expect(c.assignments.map(\.value.value) == ["1", "two words", ""])
    #expect(c.assignments[1].isAppend)
    #expect(text(src, c.assignments[1].value.span) == "\"two words\"")
    #expect(text(src, c.assignments[0].nameSpan) == "A")
    #expect(c.words.map(\.value) == ["cmd", "D=4"])
    #expect(c.assignments[2].value.span == ByteSpan.empty(at: 21))
}

@Test func referencesAreKeptNotExpanded() {
    let src = #"echo $A ${B} ${C:-x y} "$(date +%s)" `id` $((1+2)) $1 pre${D}post"#
    let ws = parse(src).commands[0].words
    #expect(ws.count == 9)
    #expect(ws[1].parts.map(\.kind) == [.variable("A")])
    #expect(ws[2].parts.map(\.kind) == [.variable("B")])
    #expect(ws[3].parts.map(\.kind) == [.variable("C")])
    #expect(ws[3].value == "${C:-x y}")
    #expect(ws[4].parts.map(\.kind) == [.commandSubstitution])
    #expect(ws[4].parts[0].quoting == .double)
    #expect(ws[5].parts.map(\.kind) == [.commandSubstitution])
    #expect(ws[6].parts.map(\.kind) == [.arithmetic])
    #expect(ws[7].parts.map(\.kind) == [.variable("1")])
    #expect(ws[8].parts.map(\.kind) == [.literal, .variable("D"), .literal])
    #expect(ws[8].referencedVariables == ["D"])
    #expect(!ws[8].isLiteral && ws[8].literalValue == nil)
    #expect(text(src, ws[8].parts[1].span) == "${D}")
    #expect(ws.allSatisfy { !$0.isLiteral } == false)
}

@Test func dollarWithoutNameIsLiteral() {
    let w = parse("echo a$ $ 'x'$").commands[0].words
    #expect(w.map(\.value) == ["echo", "a$", "$", "x$"])
    #expect(w.allSatisfy { $0.isLiteral })
}

@Test func heredocsAreSkipped() {
    let src = "cat <<EOF > out\nprefect agent local start -k NOT_A_COMMAND\nEOF\necho after\ncat <<-'END'\n\t$X\n\tEND\necho last"
    let s = parse(src)
    #expect(s.commands.map { $0.words.first?.value } == ["cat", "echo", "cat", "echo"])
    #expect(s.heredocs.count == 2)
    #expect(text(src, s.heredocs[0].bodySpan) == "prefect agent local start -k NOT_A_COMMAND\n")
    #expect(s.heredocs[1].isQuoted && s.heredocs[1].stripsTabs && s.heredocs[1].delimiter == "END")
    #expect(s.commands[0].redirections.map(\.op) == ["<<", ">"])
    #expect(s.diagnostics.isEmpty)
}

@Test func unterminatedHeredocIsADiagnostic() {
    let s = parse("cat <<EOF\nbody\n")
    #expect(s.diagnostics.count == 1)
    #expect(s.heredocs.count == 1)
}

@Test func redirectionsAreNotArguments() {
    let c = parse("cmd a > out 2>&1 <in b &>> log >|x").commands[0]
    #expect(c.words.map(\.value) == ["cmd", "a", "b"])
    #expect(c.redirections.map(\.op) == [">", "2>&", "<", "&>>", ">|"])
    #expect(c.redirections.map { $0.target?.value ?? "" } == ["out", "1", "in", "log", "x"])
}

@Test func unterminatedQuotesGiveDiagnosticsNotCrashes() {
    for src in ["echo 'abc", "echo \"abc", "echo $(abc", "echo ${abc", "echo `abc", "echo \\", "$", "\"", "'"] {
        let s = parse(src)
        #expect(s.commands.count <= 1, "\(src)")
    }
    #expect(parse("echo 'abc").diagnostics.map(\.message) == ["unterminated single-quoted string"])
    #expect(parse("echo \\").commands[0].words[1].value == "\\")
}

@Test func emptyQuotedWordsExist() {
    #expect(values("cmd '' \"\" a''b") == [["cmd", "", "", "ab"]])
}

@Test func ansiCQuoting() {
    let w = parse(#"echo $'a\nb\x41\'c'"#).commands[0].words[1]
    #expect(w.value == "a\nbA'c")
    #expect(w.isLiteral)
}

@Test func reservedWordsDoNotStartCommands() {
    let s = parse("if true; then prefect backend server; fi")
    #expect(s.commands.map { $0.words.map(\.value) } == [["true"], ["prefect", "backend", "server"]])
}

@Test func tildeAndPatternsAreMarked() {
    let w = parse("ls ~/x *.py a{b,c} '*'").commands[0].words
    #expect(w[1].parts.first?.kind == .tilde)
    #expect(w[2].hasUnquotedPattern && w[3].hasUnquotedPattern)
    #expect(!w[4].hasUnquotedPattern)
}

@Test func baseOffsetAndSlicesGiveOuterSpans() {
    let file = Array("run: prefect agent local start -e 'A=1'\n".utf8)
    let slice = file[5..<39]
    let s = ShellParser.parse(slice)
    let w = s.commands[0].words
    #expect(w.map(\.value) == ["prefect", "agent", "local", "start", "-e", "A=1"])
    #expect(String(decoding: file[w[5].span.range], as: UTF8.self) == "'A=1'")
    let t = ShellParser.parse("echo x", baseOffset: 100)
    #expect(t.commands[0].words[1].span == ByteSpan(105, 106))
}

@Test func offsetTableMapsDecodedStrings() {
    // A JSON/YAML double-quoted string "echo \"a b\"" decoded to: echo "a b"
    let outer = #"x: "echo \"a b\"""#
    let decoded = Array(#"echo "a b""#.utf8)
    // Decoded byte k comes from outer offset table[k].
    let table = [4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 16]
    let s = ShellParser.parse(decoded, map: .table(table))
    let w = s.commands[0].words[1]
    #expect(w.value == "a b")
    #expect(text(outer, w.contentSpan) == "a b")
}

@Test func makeRecipeDialect() {
    let opts = ShellParseOptions(makeRecipe: true)
    let w = ShellParser.parse("prefect agent local start -k $(API_KEY) -e A=$$HOME -e 'B=${X}' -l $@", options: opts)
        .commands[0].words
    #expect(w[5].parts.map(\.kind) == [.makeVariable("API_KEY")])
    #expect(w[7].parts.map(\.kind) == [.literal, .variable("HOME")])
    #expect(w[9].parts.map(\.kind) == [.literal, .makeVariable("X")])
    #expect(w[11].parts.map(\.kind) == [.makeVariable("@")])
}

@Test func splitAtFirstEqualsKeepsSpans() {
    let src = #"x --env="PREFECT__CONTEXT__SECRETS__X=a=b c" A\==1 "$N"=2"#
    let ws = parse(src).commands[0].words
    let (flag, value) = ws[1].splitAtFirstEquals()!
    #expect(flag.value == "--env")
    #expect(value.value == "PREFECT__CONTEXT__SECRETS__X=a=b c")
    let (name, v) = value.splitAtFirstEquals()!
    #expect(name.value == "PREFECT__CONTEXT__SECRETS__X")
    #expect(v.value == "a=b c")
    #expect(text(src, name.contentSpan) == "PREFECT__CONTEXT__SECRETS__X")
    #expect(text(src, v.contentSpan) == "a=b c")
    // An escaped `=` is a unit and may be the split point.
    let (n2, v2) = ws[2].splitAtFirstEquals()!
    #expect(n2.value == "A" && v2.value == "=1")
    // A reference before any `=`: the name is not known.
    #expect(ws[3].splitAtFirstEquals() == nil)
}

@Test func singleQuotingRoundTrips() {
    for s in ["", "plain", "it's", "'", "''", "a b\nc", "$X `y` \\"] {
        let q = ShellQuoting.singleQuoted(s)
        let w = parse("cmd " + q).commands[0].words
        #expect(w.count == 2 && w[1].value == s && w[1].isLiteral, "\(s)")
    }
    #expect(ShellQuoting.singleQuoted("it's") == #"'it'\''s'"#)
    #expect(ShellQuoting.quotedIfNeeded("abc-1.2/x") == "abc-1.2/x")
    #expect(ShellQuoting.quotedIfNeeded("a b") == "'a b'")
}

@Test func nestedSubstitutionsAndQuotesInside() {
    let src = #"echo "$(printf ")" "x")" ${A:-${B:-c}} $(a $(b) c)d"#
    let ws = parse(src).commands[0].words
    #expect(ws.count == 4)
    #expect(ws[1].parts.map(\.kind) == [.commandSubstitution])
    #expect(ws[1].value == #"$(printf ")" "x")"#)
    #expect(ws[2].parts.map(\.kind) == [.variable("A")])
    #expect(ws[3].parts.map(\.kind) == [.commandSubstitution, .literal])
}

@Test func crlfScriptsSplitLikeLF() {
    let s = parse("echo a # c\r\nprefect backend server\r\n")
    #expect(s.commands.map { $0.words.map(\.value) } == [["echo", "a"], ["prefect", "backend", "server"]])
}

@Test func wordsOnlyModeIgnoresOperators() {
    let s = ShellParser.parse("A=1;B 'C=x y' #no >z", options: ShellParseOptions(wordsOnly: true))
    #expect(s.commands.flatMap(\.words).map(\.value) == ["A=1;B", "C=x y", "#no", ">z"])
    #expect(s.commands.flatMap(\.assignments).isEmpty)
}
