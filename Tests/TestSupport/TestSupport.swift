import Foundation
import Spans

/// Paths and snapshot helpers shared by the test targets.
public enum TestPaths {
    /// The repository root, found from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let testdata: URL = repositoryRoot.appendingPathComponent("testdata")
}

/// Compares `actual` with the snapshot file at `path` (relative to the repository root).
/// With `UPDATE_SNAPSHOTS=1` in the environment the file is (re)written instead.
/// Returns nil when they agree, or a message describing the first difference.
public func snapshotMismatch(_ actual: String, path: String) -> String? {
    let url = TestPaths.repositoryRoot.appendingPathComponent(path)
    if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(actual.utf8).write(to: url)
        return nil
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        return "snapshot \(path) is missing; run with UPDATE_SNAPSHOTS=1 to create it"
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected == actual { return nil }
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(e.count, a.count) {
        let el = i < e.count ? String(e[i]) : "<end>"
        let al = i < a.count ? String(a[i]) : "<end>"
        if el != al {
            return "snapshot \(path) differs at line \(i + 1):\n  expected: \(el)\n  actual:   \(al)\n(UPDATE_SNAPSHOTS=1 rewrites it)"
        }
    }
    return "snapshot \(path) differs"
}

/// Text with numbered markers (`1️⃣`, `2️⃣`, …) removed, and the byte offset each stood at.
public struct MarkedText {
    public let text: String
    public let markers: [String: Int]

    public init(_ marked: String) {
        var bytes: [UInt8] = []
        var markers: [String: Int] = [:]
        for character in marked {
            if let scalar = character.unicodeScalars.first, (0x30...0x39).contains(scalar.value),
                character.unicodeScalars.count > 1, character.unicodeScalars.contains(where: { $0.value == 0x20E3 })
            {
                markers[String(character)] = bytes.count
            } else {
                bytes.append(contentsOf: Array(String(character).utf8))
            }
        }
        self.text = String(decoding: bytes, as: UTF8.self)
        self.markers = markers
    }
}

/// A small deterministic random generator (SplitMix64), so that a failing random case
/// reproduces from its seed.
public struct SplitMix: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
