// Times YAMLStream.parse on one file. Built by bench/yaml-bench.sh with swiftc against the
// release-built YAML module (no Package.swift target), so it never runs as part of the tests.
// Usage: yaml-bench <file> [iterations]
import Foundation
import YAML

func countNodes(_ node: YAMLNode) -> Int {
    switch node.kind {
    case .scalar, .alias: return 1
    case .sequence: return 1 + (node.sequence ?? []).reduce(0) { $0 + countNodes($1) }
    case .mapping: return 1 + (node.pairs ?? []).reduce(0) { $0 + countNodes($1.key) + countNodes($1.value) }
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2, let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: yaml-bench <file> [iterations]\n".utf8))
    exit(2)
}
let iterations = arguments.count >= 3 ? Int(arguments[2]) ?? 5 : 5
let bytes = [UInt8](data)
var times: [Double] = []
var summary = ""
for _ in 0..<iterations {
    let start = DispatchTime.now().uptimeNanoseconds
    do {
        let stream = try YAMLStream.parse(bytes)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        times.append(elapsed)
        let nodes = stream.documents.reduce(0) { $0 + countNodes($1.root) }
        summary = "\(stream.documents.count) documents, \(nodes) nodes, \(stream.comments.count) comments"
    } catch {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        times.append(elapsed)
        summary = "rejected: \(error.message)"
    }
}
times.sort()
let mb = Double(bytes.count) / 1_000_000
print(String(format: "swift YAMLStream.parse: best %.3f s, median %.3f s (%.1f MB/s) — %@",
             times[0], times[times.count / 2], mb / times[0], summary))
