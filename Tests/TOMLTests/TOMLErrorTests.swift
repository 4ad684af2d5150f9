import Foundation
import Spans
import Testing
import TestSupport
@testable import TOML

/// Golden error renderings: testdata/toml/invalid/<case>.toml → <case>.expected.
@Suite struct TOMLErrorTests {
    static let directory = TestPaths.testdata.appendingPathComponent("toml/invalid")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted()
    }

    @Test func fixturesExist() {
        #expect(Self.cases.count >= 15)
    }

    @Test(arguments: cases)
    func rendering(_ name: String) throws {
        let path = "testdata/toml/invalid/\(name)"
        let bytes = try #require(FileManager.default.contents(atPath: Self.directory.appendingPathComponent(name).path))
        do {
            _ = try TOMLDocument.parse([UInt8](bytes))
            Issue.record("\(name) parsed without an error")
        } catch {
            let file = SourceFile(path: path, bytes: [UInt8](bytes))
            let location = file.location(of: error.span.start)
            let rendered = "\(path):\(location.line):\(location.column): \(error.fullMessage)\n"
                + CodeFrame.render(file: file, span: error.span) + "\n"
            let golden = "testdata/toml/invalid/" + name.dropLast(5) + ".expected"
            if let mismatch = snapshotMismatch(rendered, path: golden) { Issue.record("\(mismatch)") }
        }
    }

    @Test func diagnosticCarriesSpanExpectedAndFound() throws {
        let source = "key = \"v\" extra\n"
        do {
            _ = try TOMLDocument.parse(source)
            Issue.record("accepted")
        } catch {
            #expect(error.span == ByteSpan(10, 11))
            #expect(error.expected == ["end of line"])
            #expect(error.found == "`e`")
            let diagnostic = error.diagnostic
            #expect(diagnostic.span == error.span)
            #expect(diagnostic.expected == ["end of line"])
            let file = SourceFile(path: "x.toml", text: source)
            #expect(diagnostic.rendered(in: file).hasPrefix("x.toml:1:11: "))
        }
    }

    /// Messages name keys and characters, never a value's text.
    @Test func messagesDoNotEchoValues() throws {
        let secret = "sk_test_FAKE_not_a_real_key_1234"
        let inputs = [
            "token = \"\(secret)\" trailing\n",
            "token = \"\(secret)\\q\"\n",
            "token = \"\(secret)\ntoken2 = 1\n",
            "token = '\(secret)'\ntoken = '\(secret)'\n",
        ]
        for input in inputs {
            do {
                _ = try TOMLDocument.parse(input)
                Issue.record("accepted: \(input.count) bytes")
            } catch {
                #expect(!error.fullMessage.contains("sk_test"))
            }
        }
    }
}
