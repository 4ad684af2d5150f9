import Foundation
import Spans
import Testing
import TestSupport
@testable import TOML

/// Golden tree dumps: testdata/toml/valid/<case>.toml → <case>.expected, one line per key with
/// its kind, key span, value span and (for scalars) the value's raw text.
@Suite struct TOMLTreeTests {
    static let directory = TestPaths.testdata.appendingPathComponent("toml/valid")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".toml") }.sorted()
    }

    static func dump(_ doc: TOMLDocument) -> String {
        var lines: [String] = []
        func visit(_ table: TOMLTable, _ path: String) {
            for entry in table.entries {
                let keyPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                visit(entry.node, keyPath, keySpan: entry.keySpan)
            }
        }
        func visit(_ node: TOMLNode, _ path: String, keySpan: ByteSpan?) {
            let key = keySpan.map { " key=\($0) \(doc.text($0).debugDescription)" } ?? ""
            switch node.value {
            case .table(let table):
                let header = table.headerSpan.map { " header=\($0)" } ?? ""
                lines.append("\(path): table(\(table.kind))\(key)\(header) span=\(table.span)")
                visit(table, path)
            case .array(let elements):
                lines.append("\(path): array[\(elements.count)]\(key) span=\(node.span)")
                for (k, element) in elements.enumerated() { visit(element, "\(path)[\(k)]", keySpan: nil) }
            default:
                let style = node.stringStyle.map { "(\($0))" } ?? ""
                let kind: String
                switch node.value {
                case .datetime(let dt): kind = "datetime(\(dt.kind))"
                default: kind = String(node.typeDescription.split(separator: " ").last ?? "")
                }
                lines.append("\(path): \(kind)\(style)\(key) value=\(node.span) \(doc.text(node.span).debugDescription)")
            }
        }
        visit(doc.root, "")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func fixturesExist() { #expect(Self.cases.count >= 3) }

    @Test(arguments: cases)
    func tree(_ name: String) throws {
        let bytes = [UInt8](try #require(FileManager.default.contents(atPath: Self.directory.appendingPathComponent(name).path)))
        let doc = try TOMLDocument.parse(bytes)
        #expect(doc.printed() == bytes)
        let golden = "testdata/toml/valid/" + name.dropLast(5) + ".expected"
        if let mismatch = snapshotMismatch(Self.dump(doc), path: golden) { Issue.record("\(mismatch)") }
    }
}
