import Spans
import Testing
import TestSupport
@testable import TOML

private func parse(_ text: String) throws -> TOMLDocument { try TOMLDocument.parse(text) }

private func text(_ doc: TOMLDocument, _ span: ByteSpan) -> String { doc.text(span) }

/// Spans, value kinds and table kinds of the resolved tree.
@Suite struct TOMLParserTests {
    @Test func keyAndValueSpansAfterMultiByteCharacters() throws {
        let marked = MarkedText("""
        # café ☕ 🔑
        name = "Zoë"
        [context.secrets]
        "ключ" = 'значение'
        1️⃣X2️⃣ = 3️⃣"v"4️⃣
        context2.secrets.5️⃣Y6️⃣ = 7️⃣'''ü'''8️⃣

        """)
        let doc = try parse(marked.text)
        let m = marked.markers
        let x = try #require(doc.root.node(atPath: ["context", "secrets"])?.tableValue?.entry("X"))
        #expect(x.keySpan == ByteSpan(m["1️⃣"]!, m["2️⃣"]!))
        #expect(x.node.span == ByteSpan(m["3️⃣"]!, m["4️⃣"]!))
        #expect(text(doc, x.node.span) == "\"v\"")
        let y = try #require(doc.root.entry(atPath: ["context", "secrets", "context2", "secrets", "Y"]))
        #expect(y.keySpan == ByteSpan(m["5️⃣"]!, m["6️⃣"]!))
        #expect(y.node.span == ByteSpan(m["7️⃣"]!, m["8️⃣"]!))
        #expect(y.node.stringValue == "ü")
        #expect(y.node.stringStyle == .multilineLiteral)
        let cyr = try #require(doc.root.entry(atPath: ["context", "secrets", "ключ"]))
        #expect(text(doc, cyr.keySpan) == "\"ключ\"")
        #expect(text(doc, cyr.node.span) == "'значение'")
        #expect(cyr.node.stringStyle == .literal)
    }

    @Test func dottedKeySpansPointAtLastPart() throws {
        let doc = try parse("context.secrets.X = \"v\"  # c\n")
        let e = try #require(doc.root.entry(atPath: ["context", "secrets", "X"]))
        #expect(text(doc, e.keySpan) == "X")
        #expect(text(doc, e.node.span) == "\"v\"")
        #expect(text(doc, e.statementSpan) == "context.secrets.X = \"v\"")
        let context = try #require(doc.root["context"]?.tableValue)
        #expect(context.kind == .dotted)
    }

    @Test func tableKindsAndHeaderSpans() throws {
        let doc = try parse("""
        a.b = 1
        [x.y]
        z = { q = 1 }
        [[arr]]
        n = 1
        [[arr]]
        n = 2

        """)
        #expect(doc.root.kind == .root)
        #expect(doc.root.span == ByteSpan(0, doc.bytes.count))
        #expect(doc.root["a"]?.tableValue?.kind == .dotted)
        let x = try #require(doc.root["x"]?.tableValue)
        #expect(x.kind == .implicit)
        #expect(x.headerSpan == nil)
        let y = try #require(x["y"]?.tableValue)
        #expect(y.kind == .header)
        #expect(y.headerSpan.map { text(doc, $0) } == "[x.y]")
        #expect(y["z"]?.tableValue?.kind == .inline)
        #expect(text(doc, y["z"]!.span) == "{ q = 1 }")
        let arr = try #require(doc.root["arr"]?.arrayValue)
        #expect(arr.count == 2)
        #expect(arr[1].tableValue?.kind == .arrayElement)
        #expect(arr[1].tableValue?["n"]?.intValue == 2)
        #expect(arr[1].tableValue?.headerSpan.map { text(doc, $0) } == "[[arr]]")
    }

    @Test func scalarValues() throws {
        let doc = try parse(#"""
        s1 = "a\tb\u00e9\U0001F511"
        s2 = 'C:\path'
        s3 = """
        one \
          two"""
        s4 = '''
        raw\n'''
        i1 = +1_000
        i2 = -9223372036854775808
        i3 = 0xDEAD_beef
        i4 = 0o755
        i5 = 0b1010
        f1 = 6.626e-34
        f2 = -inf
        f3 = nan
        f4 = 1_0.5E+1_0
        b = true
        d1 = 1979-05-27T07:32:00.999999-07:00
        d2 = 1979-05-27 07:32:00
        d3 = 1979-05-27
        d4 = 00:32:00.5

        """#)
        let r = doc.root
        #expect(r["s1"]?.stringValue == "a\tbé🔑")
        #expect(r["s1"]?.stringStyle == .basic)
        #expect(r["s2"]?.stringValue == #"C:\path"#)
        #expect(r["s3"]?.stringValue == "one two")
        #expect(r["s3"]?.stringStyle == .multilineBasic)
        #expect(r["s4"]?.stringValue == #"raw\n"#)
        #expect(r["i1"]?.intValue == 1000)
        #expect(r["i2"]?.intValue == Int64.min)
        #expect(r["i3"]?.intValue == 0xDEAD_BEEF)
        #expect(r["i4"]?.intValue == 0o755)
        #expect(r["i5"]?.intValue == 10)
        #expect(r["f1"]?.doubleValue == 6.626e-34)
        #expect(r["f2"]?.doubleValue == -.infinity)
        #expect(r["f3"]?.doubleValue?.isNaN == true)
        #expect(r["f4"]?.doubleValue == 10.5e10)
        #expect(r["b"]?.boolValue == true)
        let d1 = try #require(r["d1"]?.dateTimeValue)
        #expect(d1.kind == .offsetDateTime)
        #expect(d1.offsetMinutes == -420)
        #expect(d1.nanosecond == 999_999_000)
        #expect(d1.raw == "1979-05-27T07:32:00.999999-07:00")
        #expect(r["d2"]?.dateTimeValue?.kind == .localDateTime)
        #expect(r["d3"]?.dateTimeValue?.kind == .localDate)
        #expect(r["d4"]?.dateTimeValue?.kind == .localTime)
        #expect(r["d4"]?.dateTimeValue?.nanosecond == 500_000_000)
        #expect(r.keys.first == "s1")
    }

    @Test func entriesKeepDocumentOrderAndLargeTablesIndex() throws {
        var source = ""
        for k in (0..<40).reversed() { source += "k\(k) = \(k)\n" }
        let doc = try parse(source)
        #expect(doc.root.entries.map(\.key).first == "k39")
        #expect(doc.root["k7"]?.intValue == 7)
        #expect(doc.root["missing"] == nil)
        #expect(doc.root.node(atPath: ["k7", "x"]) == nil)
    }

    /// TOML's redefinition rules; each case is (document, valid?).
    @Test(arguments: [
        ("[a]\n[a]\n", false),
        ("[a.b]\n[a]\n", true),
        ("[a]\n[a.b]\n[a]\n", false),
        ("a = 1\na = 2\n", false),
        ("a.b = 1\na.c = 2\n", true),
        ("a.b = 1\n[a]\n", false),
        ("a.b = 1\n[a.c]\n", true),
        ("[fruit]\napple.color = 1\n[fruit.apple.texture]\nx = 1\n", true),
        ("[fruit]\napple.color = 1\n[fruit.apple]\n", false),
        ("[a.b.c]\nz = 1\n[a]\nb.c.t = 1\n", false),
        ("[a.b.c]\n[a]\nb.d = 1\n", true),
        ("[a.b.c]\n[a]\nb.d = 1\n[a.b]\n", false),
        ("[a]\nb.c = 1\n[x]\n[a.b]\n", false),
        ("t = {x = 1}\nt.y = 2\n", false),
        ("t = {x = 1}\n[t]\n", false),
        ("t = {x = 1}\n[t.y]\n", false),
        ("t = {a.b = 1, a.c = 2}\n", true),
        ("t = {a.b = 1, a = 2}\n", false),
        ("t = {a = {b = 1}, a.c = 2}\n", false),
        ("arr = []\n[[arr]]\n", false),
        ("arr = [{}]\n[arr.x]\n", false),
        ("[[arr]]\n[[arr]]\n[arr.sub]\n", true),
        ("[[arr]]\n[arr]\n", false),
        ("[arr]\n[[arr]]\n", false),
        ("[[arr]]\nx.y = 1\n[[arr]]\nx.y = 2\n", true),
        ("[[a.b]]\n[a]\nb.c = 1\n", false),
        ("a = 1\n[a]\n", false),
        ("a = 1\n[a.b]\n", false),
        ("a = 1\na.b = 2\n", false),
        ("[[a]]\n[a.b]\nx = 1\n[a.b]\n", false),
        ("[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\n", true),
    ])
    func redefinitionRules(_ source: String, _ valid: Bool) {
        let result = Result { () throws(TOMLError) in try TOMLDocument.parse(source) }
        switch result {
        case .success: #expect(valid, "accepted: \(source)")
        case .failure(let error): #expect(!valid, "rejected: \(source): \(error)")
        }
    }

    @Test(arguments: [
        "a = \"\\u0000\"\n",
        "a = \"\\uDFFF\"\n",
        "a = \"\\U00110000\"\n",
        "a = \"\\e\"\n",
        "a = \"\\x41\"\n",
        "a = 0x\n",
        "a = 01\n",
        "a = 1__0\n",
        "a = 1_\n",
        "a = +0x1\n",
        "a = 9223372036854775808\n",
        "a = 0x8000000000000000\n",
        "a = 1.\n",
        "a = .5\n",
        "a = 1e\n",
        "a = 1979-05-27T07:32\n",
        "a = 1979-13-01\n",
        "a = 24:00:00\n",
        "a = \"\u{7}\"\n",
        "# bell \u{7}\n",
        "a = 1 # x\r\n",
        "a = [1\n",
        "a = {b = 1\n",
        "a = {\nb = 1}\n",
        "= 1\n",
        "a b = 1\n",
    ])
    func valueEdgeCases(_ source: String) {
        let accepted = (try? TOMLDocument.parse(source)) != nil
        // The CRLF line and the \u0000 escape are valid TOML; everything else must be rejected.
        let valid = source == "a = \"\\u0000\"\n" || source == "a = 1 # x\r\n"
        #expect(accepted == valid, "\(source.debugDescription)")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "a = " + String(repeating: "[", count: 100_000) + "\n"
        #expect(throws: TOMLError.self) { try TOMLDocument.parse(deep) }
        let deepTables = "a = " + String(repeating: "{b = ", count: 10_000) + "\n"
        #expect(throws: TOMLError.self) { try TOMLDocument.parse(deepTables) }
        let deepHeader = "[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]\n"
        #expect(throws: TOMLError.self) { try TOMLDocument.parse(deepHeader) }
        let deepDotted = Array(repeating: "a", count: 100_000).joined(separator: ".") + " = 1\n"
        #expect(throws: TOMLError.self) { try TOMLDocument.parse(deepDotted) }
        let deepInlineDotted = "x = {" + Array(repeating: "a", count: 100_000).joined(separator: ".") + " = 1}\n"
        #expect(throws: TOMLError.self) { try TOMLDocument.parse(deepInlineDotted) }
        let ok = Array(repeating: "a", count: 400).joined(separator: ".") + " = 1\n"
        #expect(throws: Never.self) { try TOMLDocument.parse(ok) }
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a = 1\r\n[t]\r\nb = '''\r\nx\r\n'''\r\n".utf8)
        let doc = try TOMLDocument.parse(bytes)
        #expect(doc.root["a"]?.intValue == 1)
        #expect(doc.root.node(atPath: ["t", "b"])?.stringValue == "x\r\n")
        #expect(doc.printed() == bytes)
    }
}
