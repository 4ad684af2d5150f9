import Foundation
import Spans
import Testing
import TestSupport
import YAML

/// Every `testdata/yaml/*.yaml` pins its node tree (`<name>.yaml.tree`); every
/// `testdata/yaml/invalid/*.yaml` pins its error rendering (`<name>.expected`).
struct YAMLGoldenTests {
    static func files(in folder: String) -> [String] {
        let url = TestPaths.testdata.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static func load(_ relativePath: String) throws -> SourceFile {
        let data = try Data(contentsOf: TestPaths.repositoryRoot.appendingPathComponent(relativePath))
        return SourceFile(path: relativePath, bytes: Array(data))
    }

    @Test func fixturesExist() {
        #expect(Self.files(in: "yaml").count >= 12)
        #expect(Self.files(in: "yaml/invalid").count >= 8)
    }

    @Test(arguments: files(in: "yaml"))
    func nodeTree(name: String) throws {
        let file = try Self.load("testdata/yaml/\(name)")
        let stream: YAMLStream
        do {
            stream = try YAMLStream.parse(file)
        } catch {
            Issue.record("\(name) did not parse: \(error.diagnostic.rendered(in: file))")
            return
        }
        if let mismatch = snapshotMismatch(stream.dump(in: file), path: "testdata/yaml/\(name).tree") {
            Issue.record(Comment(rawValue: mismatch))
        }
    }

    @Test(arguments: files(in: "yaml/invalid"))
    func errorRendering(name: String) throws {
        let file = try Self.load("testdata/yaml/invalid/\(name)")
        let rendered: String
        do {
            _ = try YAMLStream.parse(file)
            Issue.record("\(name) parsed but should be rejected")
            return
        } catch {
            rendered = error.diagnostic.rendered(in: file) + "\n"
                + CodeFrame.render(file: file, span: error.span) + "\n"
        }
        let expectedPath = "testdata/yaml/invalid/\((name as NSString).deletingPathExtension).expected"
        if let mismatch = snapshotMismatch(rendered, path: expectedPath) {
            Issue.record(Comment(rawValue: mismatch))
        }
    }
}
