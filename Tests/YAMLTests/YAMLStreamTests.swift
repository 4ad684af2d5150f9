import Foundation
import Spans
import Testing
import TestSupport
import YAML

struct YAMLStreamTests {
    func parse(_ text: String, aliasLimit: Int = YAMLStream.defaultAliasLimit) throws -> YAMLStream {
        try YAMLStream.parse(Array(text.utf8), aliasLimit: aliasLimit)
    }

    func error(_ text: String, aliasLimit: Int = YAMLStream.defaultAliasLimit, depthLimit: Int = 256) -> YAMLError? {
        error(Array(text.utf8), aliasLimit: aliasLimit, depthLimit: depthLimit)
    }

    func error(_ bytes: [UInt8], aliasLimit: Int = YAMLStream.defaultAliasLimit, depthLimit: Int = 256) -> YAMLError? {
        do {
            _ = try YAMLStream.parse(bytes, aliasLimit: aliasLimit, depthLimit: depthLimit)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Duplicate keys

    /// libyaml reads a mapping with a key written twice; the stream lists the later keys,
    /// in file order, with the first: in block and flow mappings, small and large ones, and
    /// not for keys that differ in type (`1` and `"1"`) or for repeated merge keys.
    @Test func duplicateKeysAreListed() throws {
        let text = """
            a: 1
            b: {x: 1, "x": 2, 'y': 1, "y": 3}
            <<: {}
            <<: {}
            "1": a
            1: b
            a: 2
            """
        let stream = try parse(text)
        func at(_ span: ByteSpan) -> String {
            let line = text.utf8.prefix(span.start).filter { $0 == 0x0A }.count + 1
            return "\(line):\(String(decoding: Array(text.utf8)[span.range], as: UTF8.self))"
        }
        #expect(stream.duplicateKeys.map { "\(at($0.span)) after \(at($0.first))" } == ["2:\"y\" after 2:'y'", "7:a after 1:a"])
        // Large mappings are indexed by text: the same answers.
        let keys = (0..<40).map { "k\($0): v" } + ["k7: again", "\"k7\": quoted", "k39: again"]
        let large = try parse(keys.joined(separator: "\n"))
        #expect(large.duplicateKeys.count == 2)
        #expect(large.duplicateKeys.map(\.first) == [try #require(large.documents.first?.root.pairs?[7].key.span), try #require(large.documents.first?.root.pairs?[39].key.span)])
        #expect(try parse("a: 1\nb: {a: 2}\n---\na: 3\n").duplicateKeys.isEmpty, "other mappings and documents are apart")
    }

    // MARK: Byte offsets and columns

    @Test func multiByteCharactersBeforeScalarsMapToBytesAndColumns() throws {
        // é = 2 bytes, 日 本 = 3 bytes each, 🎉 = 4 bytes: 12 bytes, 4 characters.
        let text = "é日本🎉: FAKE-value\nk: [日本, 🎉x, \"é\"]\n"
        let file = SourceFile(path: "m.yaml", text: text)
        let stream = try parse(text)
        let pairs = try #require(stream.documents.first?.root.pairs)
        #expect(pairs[0].key.span == ByteSpan(0, 12))
        #expect(pairs[0].value.span == ByteSpan(14, 24))
        #expect(pairs[0].value.location(in: file).start == SourceLocation(line: 1, column: 7))
        #expect(pairs[0].value.location(in: file).end == SourceLocation(line: 1, column: 17))
        let items = try #require(pairs[1].value.sequence)
        #expect(items.map(\.span) == [ByteSpan(29, 35), ByteSpan(37, 42), ByteSpan(44, 48)])
        #expect(items.map(\.scalar) == ["日本", "🎉x", "é"])
        #expect(file.location(of: items[1].span.start) == SourceLocation(line: 2, column: 9))
        #expect(file.location(of: items[2].span.end) == SourceLocation(line: 2, column: 16))
        #expect(pairs[1].value.span == ByteSpan(28, 49))
    }

    @Test func errorAfterMultiByteTextHasByteSpanAndCharacterColumn() throws {
        let text = "name: é日本🎉 x: y\n"
        let failure = try #require(error(text))
        #expect(failure.span.start == 20)
        let file = SourceFile(path: "e.yaml", text: text)
        #expect(failure.diagnostic.rendered(in: file) == "e.yaml:1:13: mapping values are not allowed in this context")
    }

    @Test func byteOrderMarkAndCRLFKeepFileOffsets() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a: é\r\nb:\r\n  - x\r\n".utf8)
        let stream = try YAMLStream.parse(bytes)
        #expect(stream.hasByteOrderMark)
        let pairs = try #require(stream.documents.first?.root.pairs)
        #expect(pairs[0].key.span == ByteSpan(3, 4))
        #expect(pairs[0].value.span == ByteSpan(6, 8))
        #expect(pairs[1].key.span == ByteSpan(10, 11))
        #expect(pairs[1].value.sequence?.first?.span == ByteSpan(18, 19))
    }

    @Test func lateMarksAfterLongMultiByteRunStayExact() throws {
        // Many multi-byte characters before later nodes: each offset must still be exact.
        var text = ""
        var expected: [Int] = []
        for i in 0..<200 {
            let key = "k\(i)"
            text += "\(key): "
            expected.append(text.utf8.count)
            text += "日本é🎉\(i)\n"
        }
        let stream = try parse(text)
        let pairs = try #require(stream.documents.first?.root.pairs)
        #expect(pairs.map(\.value.span.start) == expected)
    }

    // MARK: Documents

    @Test func multipleDocumentsAndEmptyInput() throws {
        #expect(try parse("").documents.isEmpty)
        let onlyComment = try parse("# just a comment\n")
        #expect(onlyComment.documents.isEmpty)
        #expect(onlyComment.comments.map(\.text) == ["# just a comment"])
        let stream = try parse("a: 1\n---\nb: 2\n...\n---\n")
        #expect(stream.documents.count == 3)
        #expect(stream.documents[1].root["b"]?.scalar == "2")
        #expect(stream.documents[1].hasExplicitEnd)
        #expect(stream.documents[2].root.scalar == "")
    }

    @Test func anchorsAreScopedToTheirDocument() {
        #expect(error("a: &x 1\n---\nb: *x\n")?.kind == .undefinedAlias)
    }

    // MARK: Aliases and merges

    @Test func aliasesResolveToTheirAnchoredNode() throws {
        let stream = try parse("a: &x\n  k: v\nb: *x\nc: &s text\nd: *s\n")
        let root = try #require(stream.documents.first?.root)
        let b = try #require(root["b"])
        #expect(b.kind == .alias)
        #expect(b.aliasName == "x")
        #expect(b.span == ByteSpan(16, 18))
        #expect(b["k"]?.scalar == "v")
        #expect(b.resolved.span == root["a"]?.span)
        #expect(root["d"]?.scalar == "text")
    }

    @Test func aliasLimitIsCountedOverAllAliasUses() throws {
        let text = "a: &a [1, 2]\nb: [*a, *a]\n"
        #expect(try parse(text, aliasLimit: 6).documents.count == 1)
        let failure = try #require(error(text, aliasLimit: 5))
        #expect(failure.kind == .aliasLimit)
        #expect(failure.span == ByteSpan(21, 23))
    }

    @Test func billionLaughsIsRejectedQuickly() throws {
        let url = TestPaths.testdata.appendingPathComponent("yaml/invalid/billion-laughs.yaml")
        let bytes = Array(try Data(contentsOf: url))
        do {
            _ = try YAMLStream.parse(bytes)
            Issue.record("the alias bomb was accepted")
        } catch {
            #expect(error.kind == .aliasLimit)
            #expect(error.message.contains("past the limit of 1000000 nodes"))
        }
    }

    @Test func nestingDeeperThanTheLimitIsRejected() throws {
        let atLimit = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(try parse(atLimit).documents.count == 1)
        let failure = try #require(error("a:\n  b: " + String(repeating: "[", count: 1000)))
        #expect(failure.kind == .depthLimit)
        // Two block mappings plus 254 `[` make 256 levels; the 255th `[` (byte 8 + 254) is one too many.
        #expect(failure.span == .empty(at: 8 + 254))
        #expect(error("- - - x\n", depthLimit: 2)?.kind == .depthLimit)
        #expect(try YAMLStream.parse(Array("- - x\n".utf8), depthLimit: 2).documents.count == 1)
    }

    @Test func recursiveAliasIsAnError() {
        #expect(error("a: &x 1\nb: &x [*x]\n")?.kind == .recursiveAlias)
        #expect(error("a: &x {k: *x}\n")?.kind == .recursiveAlias)
    }

    @Test func redefinedAnchorIsUsedFromThereOn() throws {
        let root = try #require(try parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n").documents.first?.root)
        #expect(root["b"]?.scalar == "1")
        #expect(root["d"]?.scalar == "2")
    }

    @Test func mergeKeysApplyToLookupsButStayInPairs() throws {
        let url = TestPaths.testdata.appendingPathComponent("yaml/anchors-merge.yaml")
        let root = try #require(try YAMLStream.parse(Array(Data(contentsOf: url))).documents.first?.root)
        let single = try #require(root["single"])
        #expect(single["name"]?.scalar == "single")
        #expect(single["port"]?.scalar == "80")
        #expect(single["env"]?["A"]?.scalar == "1")
        #expect(single["missing"] == nil)
        #expect(single.pairs?.count == 2)
        #expect(single.pairs?.first?.key.isMergeKey == true)
        #expect(single.mergedPairs?.compactMap(\.key.scalar) == ["name", "port", "env"])
        let list = try #require(root["list"])
        #expect(list["port"]?.scalar == "8080")  // the first merged mapping wins
        #expect(list["name"]?.scalar == "base")
        #expect(list.mergedPairs?.compactMap(\.key.scalar) == ["port", "debug", "name", "env"])
        // The merged pair keeps the spans of the text it came from.
        #expect(list.pair(forKey: "name")?.key.span == ByteSpan(14, 18))
        #expect(root["tagged"]?["port"]?.scalar == "80")
    }

    @Test func nestedMergesAreFollowed() throws {
        let text = "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b}\n"
        let c = try #require(try parse(text).documents.first?.root["c"])
        #expect(c["x"]?.scalar == "1")
        #expect(c["y"]?.scalar == "2")
        #expect(c.mergedPairs?.compactMap(\.key.scalar) == ["y", "x"])
    }

    @Test func quotedLessThanIsNotAMergeKey() throws {
        let root = try #require(try parse("a: &a {x: 1}\nb: {'<<': *a}\n").documents.first?.root)
        #expect(root["b"]?["x"] == nil)
        #expect(root["b"]?["<<"] != nil)
    }

    // MARK: Comments

    @Test func commentsAreFoundOutsideScalars() throws {
        let text = "a: \"x # no\" # yes\nb: |  # header\n  # body\nc: d#e\n# prefect-secrets: ignore[PS104]\n"
        let file = SourceFile(path: "c.yaml", text: text)
        let stream = try YAMLStream.parse(file)
        #expect(stream.comments.map(\.text) == ["# yes", "# header", "# prefect-secrets: ignore[PS104]"])
        #expect(stream.comments.first?.span == ByteSpan(12, 17))
        #expect(stream.comments(onLine: 5, in: file).map(\.text) == ["# prefect-secrets: ignore[PS104]"])
        #expect(stream.comments(onLine: 3, in: file).isEmpty)
    }

    // MARK: Errors

    @Test func libyamlErrorsArePositioned() throws {
        let text = "a: b\nc\nd: e\n"
        let failure = try #require(error(text))
        #expect(failure.kind == .scanner)
        #expect(failure.message == "could not find expected ':' while scanning a simple key")
        #expect(failure.span == .empty(at: 7))
        #expect(failure.contextSpan == .empty(at: 5))
        let diagnostic = failure.diagnostic
        #expect(diagnostic.rendered(in: SourceFile(path: "x.yaml", text: text)) == "x.yaml:3:1: could not find expected ':' while scanning a simple key")
    }

    @Test func invalidUTF8IsAReaderErrorAtItsByte() throws {
        let failure = try #require(error(Array("a: ok\nb: caf".utf8) + [0xE9, 0x0A]))
        #expect(failure.kind == .reader)
        #expect(failure.span.start == 12)
    }

    @Test func mangledInputNeverTraps() throws {
        // Deterministic mutations of the fixtures: each parse returns or throws, never crashes.
        var generator = SplitMix(seed: 42)
        let folder = TestPaths.testdata.appendingPathComponent("yaml")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        let alphabet: [UInt8] = Array(":-?[]{},#&*!|>'\"%@` \n\t\r\\".utf8) + [0xC3, 0xA9, 0xF0, 0x9F, 0xEF, 0xBB, 0xBF, 0x00]
        var parsed = 0
        var rejected = 0
        for name in names {
            let original = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            for _ in 0..<60 {
                var bytes = original
                for _ in 0..<(1 + Int(generator.next() % 4)) where !bytes.isEmpty {
                    let at = Int(generator.next() % UInt64(bytes.count))
                    let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    switch generator.next() % 3 {
                    case 0: bytes[at] = byte
                    case 1: bytes.insert(byte, at: at)
                    default: bytes.remove(at: at)
                    }
                }
                do {
                    let stream = try YAMLStream.parse(bytes)
                    for document in stream.documents {
                        #expect(document.root.span.end <= bytes.count)
                    }
                    parsed += 1
                } catch {
                    #expect(error.span.start >= 0 && error.span.end <= bytes.count)
                    rejected += 1
                }
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }

    // MARK: Rewriting

    /// Keys are renamed below replaced nodes' parents, replaced nodes are not entered, and
    /// spans stay those of the text (an alias resolves to its target).
    @Test func rewrittenRenamesKeysAndReplacesNodes() throws {
        let text = "A: &x {B: 1}\nC: !Ref Name\nD: *x\n"
        let root = try #require(try parse(text).documents.first?.root)
        let rewritten = root.rewritten(node: { $0.tag == "!Ref" ? $0.replaced(byScalar: "${Name}") : nil }) { pair in
            guard let key = pair.key.scalar, let renamed = pair.key.withScalar(key.lowercased()) else { return pair }
            return YAMLPair(key: renamed, value: pair.value)
        }
        #expect(rewritten["a"]?["b"]?.scalar == "1")
        #expect(rewritten["d"]?["b"]?.scalar == "1")
        #expect(rewritten["A"] == nil)
        let replaced = try #require(rewritten["c"])
        #expect(replaced.scalar == "${Name}" && replaced.tag == nil)
        #expect(String(decoding: Array(text.utf8)[replaced.span.range], as: UTF8.self) == "!Ref Name")
    }
}
