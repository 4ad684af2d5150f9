import Foundation
import Testing

@testable import Patterns

/// Throughput measurement, not a test: runs only when PATTERNS_BENCH_DIRS (colon-separated
/// directories) and PATTERNS_RULE_JSON (a rule file converted to JSON, see
/// ruleFileExamplesFromJSON) are set, and prints MB/s and findings per detector. Build in release
/// for meaningful numbers: `swift test -c release -Xswiftc -enable-testing --filter scanThroughput`.
@Test func scanThroughput() throws {
    let env = ProcessInfo.processInfo.environment
    guard let dirs = env["PATTERNS_BENCH_DIRS"], let json = env["PATTERNS_RULE_JSON"] else { return }
    let data = try Data(contentsOf: URL(fileURLWithPath: json))
    let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    let detectors = (root["detectors"] as? [[String: Any]] ?? []).map { d in
        let allow = d["allowlist"] as? [String: Any] ?? [:]
        return Detector(
            id: d["id"] as? String ?? "", keywords: d["keywords"] as? [String] ?? [],
            regex: d["regex"] as? String ?? "", secretGroup: d["secret_group"] as? Int ?? 0,
            minimumEntropy: (d["entropy"] as? NSNumber)?.doubleValue, validator: d["validator"] as? String,
            allowlist: .init(
                regexes: allow["regexes"] as? [String] ?? [], stopwords: allow["stopwords"] as? [String] ?? [],
                paths: allow["paths"] as? [String] ?? []),
            tokenFormat: d["token_format"] as? Bool ?? false)
    }
    let set = try DetectorSet(detectors)
    var files: [(String, [UInt8])] = []
    var total = 0
    let fm = FileManager.default
    for dir in dirs.split(separator: ":") {
        guard let e = fm.enumerator(atPath: String(dir)) else { continue }
        while let rel = e.nextObject() as? String {
            let path = "\(dir)/\(rel)"
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                let d = fm.contents(atPath: path), d.count < 10 << 20
            else { continue }
            let bytes = [UInt8](d)
            if bytes.prefix(8192).contains(0) { continue }  // binary
            files.append((path, bytes))
            total += bytes.count
        }
    }
    let kwStart = Date()
    var hits = 0
    for (_, bytes) in files { bytes.withUnsafeBufferPointer { set.keywords.scan($0) { _, _ in hits += 1 } } }
    let kwSeconds = Date().timeIntervalSince(kwStart)
    let start = Date()
    var counts = [Int](repeating: 0, count: detectors.count)
    var samples: [String] = []
    for (path, bytes) in files {
        for m in set.scan(bytes: bytes, path: path) {
            counts[m.detectorIndex] += 1
            if samples.count < 400 { samples.append("\(detectors[m.detectorIndex].id)\t\(path)\t\(m.secret.length) bytes") }
        }
    }
    let seconds = Date().timeIntervalSince(start)
    let mb = Double(total) / 1_000_000
    print(String(format: "scanned %d files, %.1f MB in %.3f s: %.1f MB/s (one thread)", files.count, mb, seconds, mb / seconds))
    print(String(format: "keyword pass alone: %.1f MB/s, %d keyword hits", mb / kwSeconds, hits))
    for (i, c) in counts.enumerated() where c > 0 { print("  \(detectors[i].id): \(c)") }
    if env["PATTERNS_BENCH_LIST"] != nil { for s in samples { print("  " + s) } }
}
