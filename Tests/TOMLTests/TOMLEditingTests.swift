import Spans
import Testing
@testable import TOML

/// Edits change only the bytes they must and keep comments and layout.
@Suite struct TOMLEditingTests {
    static let source = """
    # Prefect config (fake values)
    debug = true   # keep me

    [context.secrets]
      # the token
      TOKEN = "fake-token"  # inline comment
      OTHER = 'x'

    [cloud]
    api = { key = "fake", url = "https://example.invalid" }
    use_local_secrets = false
    server.database.password = "fake-password"

    """

    static func apply(_ doc: TOMLDocument, _ edits: [TextEdit]) throws -> String {
        String(decoding: try TextEdit.apply(edits, to: doc.bytes), as: UTF8.self)
    }

    @Test func replaceValueKeepsEverythingElse() throws {
        let doc = try TOMLDocument.parse(Self.source)
        let edit = try doc.replacing(valueAt: ["context", "secrets", "TOKEN"], with: "\"${TOKEN}\"")
        #expect(doc.text(edit.span) == "\"fake-token\"")
        let output = try Self.apply(doc, [edit])
        #expect(output == Self.source.replacingOccurrences(of: "\"fake-token\"", with: "\"${TOKEN}\""))
        let reparsed = try TOMLDocument.parse(output)
        #expect(reparsed.root.node(atPath: ["context", "secrets", "TOKEN"])?.stringValue == "${TOKEN}")
    }

    @Test func replaceValueInsideInlineTableAndDottedKey() throws {
        let doc = try TOMLDocument.parse(Self.source)
        let a = try doc.replacing(valueAt: ["cloud", "api", "key"], with: "'k2'")
        let b = try doc.replacing(valueAt: ["cloud", "server", "database", "password"], with: "\"${DB}\"")
        let output = try Self.apply(doc, [a, b])
        let expected = Self.source
            .replacingOccurrences(of: "key = \"fake\"", with: "key = 'k2'")
            .replacingOccurrences(of: "\"fake-password\"", with: "\"${DB}\"")
        #expect(output == expected)
    }

    @Test func replaceRejectsInvalidValues() throws {
        let doc = try TOMLDocument.parse(Self.source)
        #expect(throws: TOMLError.self) { try doc.replacing(valueAt: ["debug"], with: "\"open") }
        #expect(throws: TOMLError.self) { try doc.replacing(valueAt: ["debug"], with: "1\nx = 2") }
        #expect(throws: TOMLError.self) { try doc.replacing(valueAt: ["debug"], with: "1 # c") }
        #expect(throws: TOMLError.self) { try doc.replacing(valueAt: ["cloud"], with: "1") }
        #expect(throws: TOMLError.self) { try doc.replacing(valueAt: ["nope"], with: "1") }
    }

    @Test func removeLineWithItsComment() throws {
        let doc = try TOMLDocument.parse(Self.source)
        let edits = try doc.removing(keyPath: ["context", "secrets", "TOKEN"])
        let output = try Self.apply(doc, edits)
        #expect(output == Self.source.replacingOccurrences(of: "  TOKEN = \"fake-token\"  # inline comment\n", with: ""))
        let reparsed = try TOMLDocument.parse(output)
        #expect(reparsed.root.node(atPath: ["context", "secrets"])?.tableValue?.keys == ["OTHER"])
    }

    @Test func removeInlineTableEntries() throws {
        let doc = try TOMLDocument.parse("t = { a = 1, b = 2, c = 3 }\n")
        #expect(try Self.apply(doc, doc.removing(keyPath: ["t", "a"])) == "t = { b = 2, c = 3 }\n")
        #expect(try Self.apply(doc, doc.removing(keyPath: ["t", "b"])) == "t = { a = 1, c = 3 }\n")
        #expect(try Self.apply(doc, doc.removing(keyPath: ["t", "c"])) == "t = { a = 1, b = 2 }\n")
    }

    @Test func removeWholeHeaderTable() throws {
        let doc = try TOMLDocument.parse(Self.source)
        let output = try Self.apply(doc, doc.removing(keyPath: ["context"]))
        let reparsed = try TOMLDocument.parse(output)
        #expect(reparsed.root["context"] == nil)
        #expect(reparsed.root.keys == ["debug", "cloud"])
        #expect(output.hasPrefix("# Prefect config (fake values)\ndebug = true   # keep me\n\n\n[cloud]\n"))
    }

    @Test func removeDottedTable() throws {
        let doc = try TOMLDocument.parse("a.b = 1\nx = 2\na.c = 3\n")
        #expect(try Self.apply(doc, doc.removing(keyPath: ["a"])) == "x = 2\n")
    }

    @Test func insertIntoHeaderTableUsesIndentation() throws {
        let doc = try TOMLDocument.parse(Self.source)
        let edit = try doc.inserting(key: "NEW", rawValue: "\"${NEW}\"", into: ["context", "secrets"])
        let output = try Self.apply(doc, [edit])
        #expect(output == Self.source.replacingOccurrences(of: "  OTHER = 'x'\n", with: "  OTHER = 'x'\n  NEW = \"${NEW}\"\n"))
        #expect(try TOMLDocument.parse(output).root.node(atPath: ["context", "secrets", "NEW"])?.stringValue == "${NEW}")
    }

    @Test func insertIntoRootDottedInlineAndImplicitTables() throws {
        let doc = try TOMLDocument.parse("a = 1\nd.x = 1\n[t.u]\nq = 1\n[i]\nv = {}\nw = { y = 1 }")
        let root = try doc.inserting(key: "b c", rawValue: "2", into: [])
        let dotted = try doc.inserting(key: "y", rawValue: "2", into: ["d"])
        let output = try Self.apply(doc, [root, dotted])
        #expect(output == "a = 1\nd.x = 1\n\"b c\" = 2\nd.y = 2\n[t.u]\nq = 1\n[i]\nv = {}\nw = { y = 1 }")
        let empty = try doc.inserting(key: "k", rawValue: "1", into: ["i", "v"])
        #expect(try Self.apply(doc, [empty]).contains("v = {k = 1}"))
        let inline = try doc.inserting(key: "z", rawValue: "2", into: ["i", "w"])
        #expect(try Self.apply(doc, [inline]).hasSuffix("w = { y = 1, z = 2 }"))
        let implicit = try doc.inserting(key: "k", rawValue: "1", into: ["t"])
        let withHeader = try Self.apply(doc, [implicit])
        #expect(withHeader.hasSuffix("w = { y = 1 }\n\n[t]\nk = 1\n"))
        #expect(try TOMLDocument.parse(withHeader).root.node(atPath: ["t", "k"])?.intValue == 1)
        #expect(throws: TOMLError.self) { try doc.inserting(key: "a", rawValue: "1", into: []) }
    }

    @Test func editsInsideArraysOfTables() throws {
        let doc = try TOMLDocument.parse("[[f]]\nname = \"a\"\nports = [1, 2]\n\n[[f]]\nname = \"b\"\n")
        let second = try #require(doc.root["f"]?.arrayValue?[1].tableValue)
        let insert = try doc.inserting(key: "x", rawValue: "1", into: second)
        #expect(try Self.apply(doc, [insert]) == "[[f]]\nname = \"a\"\nports = [1, 2]\n\n[[f]]\nname = \"b\"\nx = 1\n")
        let first = try #require(doc.root["f"]?.arrayValue?[0].tableValue)
        let remove = try doc.removing(entry: try #require(first.entry("name")))
        #expect(try Self.apply(doc, remove) == "[[f]]\nports = [1, 2]\n\n[[f]]\nname = \"b\"\n")
        let element = try #require(first["ports"]?.arrayValue?[1])
        let replace = try doc.replacing(node: element, with: "3")
        #expect(try Self.apply(doc, [replace]) == "[[f]]\nname = \"a\"\nports = [1, 3]\n\n[[f]]\nname = \"b\"\n")
        #expect(throws: TOMLError.self) { try doc.replacing(node: try #require(doc.root["f"]), with: "1") }
        let removeAll = try doc.removing(keyPath: ["f"])
        #expect(try Self.apply(doc, removeAll) == "\n")
    }

    @Test func insertKeepsCRLF() throws {
        let doc = try TOMLDocument.parse("[s]\r\na = 1\r\n")
        let output = try Self.apply(doc, [doc.inserting(key: "b", rawValue: "2", into: ["s"])])
        #expect(output == "[s]\r\na = 1\r\nb = 2\r\n")
    }

    @Test func commentsAreKept() throws {
        let doc = try TOMLDocument.parse(Self.source)
        #expect(doc.comments.map { doc.text($0) } == [
            "# Prefect config (fake values)", "# keep me", "# the token", "# inline comment",
        ])
        let token = try #require(doc.root.entry(atPath: ["context", "secrets", "TOKEN"]))
        #expect(doc.trailingComment(of: token).map { doc.text($0) } == "# inline comment")
        let other = try #require(doc.root.entry(atPath: ["context", "secrets", "OTHER"]))
        #expect(doc.trailingComment(of: other) == nil)
    }

    @Test func applyingReparses() throws {
        let doc = try TOMLDocument.parse(Self.source)
        let edited = try doc.applying([doc.replacing(valueAt: ["debug"], with: "false")])
        #expect(edited.root["debug"]?.boolValue == false)
        #expect(edited.printed().count == doc.printed().count + 1)
    }
}
