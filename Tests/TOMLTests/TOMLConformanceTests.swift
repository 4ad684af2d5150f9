import Foundation
import Testing
import TestSupport
@testable import TOML

/// Runs the toml-test suite (../shared/toml-test) through the parser: every valid file parses
/// and prints back byte for byte; every invalid file is rejected with an error, never a trap.
@Suite struct TOMLConformanceTests {
    static let suite: URL? = {
        let candidates = [
            TestPaths.repositoryRoot.appendingPathComponent("../shared/toml-test/tests").standardizedFileURL,
            URL(fileURLWithPath: "/work/shared/toml-test/tests"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("files-toml-1.0.0").path) }
    }()

    static func cases(_ prefix: String) -> [String] {
        guard let suite, let list = try? String(contentsOf: suite.appendingPathComponent("files-toml-1.0.0"), encoding: .utf8)
        else { return [] }
        return list.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) && $0.hasSuffix(".toml") }
    }

    static func bytes(_ relative: String) -> [UInt8]? {
        guard let suite else { return nil }
        return FileManager.default.contents(atPath: suite.appendingPathComponent(relative).path).map { [UInt8]($0) }
    }

    @Test func validFilesRoundTrip() throws {
        guard Self.suite != nil else {
            print("skipping: toml-test suite not found at ../shared/toml-test or /work/shared/toml-test")
            return
        }
        let cases = Self.cases("valid/")
        #expect(cases.count > 200)
        for path in cases {
            guard let input = Self.bytes(path) else {
                Issue.record("cannot read \(path)")
                continue
            }
            do {
                let document = try TOMLDocument.parse(input)
                #expect(document.printed() == input, "round trip differs for \(path)")
            } catch {
                Issue.record("\(path) rejected: \(error)")
            }
        }
    }

    @Test func invalidFilesAreRejected() throws {
        guard Self.suite != nil else {
            print("skipping: toml-test suite not found at ../shared/toml-test or /work/shared/toml-test")
            return
        }
        let cases = Self.cases("invalid/")
        #expect(cases.count > 400)
        for path in cases {
            guard let input = Self.bytes(path) else {
                Issue.record("cannot read \(path)")
                continue
            }
            do {
                _ = try TOMLDocument.parse(input)
                Issue.record("\(path) was accepted")
            } catch {
                #expect(error.span.start >= 0 && error.span.end <= input.count, "\(path): span out of bounds")
            }
        }
    }

    /// Every prefix of every valid file is parsed or rejected without trapping.
    @Test func truncatedInputsNeverTrap() throws {
        guard Self.suite != nil else { return }
        var checked = 0
        for path in Self.cases("valid/").prefix(60) {
            guard let input = Self.bytes(path) else { continue }
            for cut in stride(from: 0, to: input.count, by: max(1, input.count / 40)) {
                let prefix = Array(input[..<cut])
                if let error = Result(catching: { () throws(TOMLError) in try TOMLDocument.parse(prefix) }).failure {
                    #expect(error.span.end <= prefix.count)
                }
                checked += 1
            }
        }
        #expect(checked > 100)
    }
}

extension TOMLConformanceTests {
    /// Byte mutations of valid files (a deterministic generator) never trap, and every error
    /// span lies inside the input.
    @Test func mutatedInputsNeverTrap() throws {
        guard Self.suite != nil else { return }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let interesting: [UInt8] = Array("[]{}=.,\"'#\n\r\t _-+:0ezT\u{7F}".utf8) + [0x00, 0xC3, 0xFF, 0xE2]
        var parsed = 0
        var rejected = 0
        for path in Self.cases("valid/") {
            guard let input = Self.bytes(path), !input.isEmpty else { continue }
            for _ in 0..<8 {
                var bytes = input
                let position = Int(next() % UInt64(bytes.count))
                let byte = interesting[Int(next() % UInt64(interesting.count))]
                switch next() % 3 {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: bytes.remove(at: position)
                }
                do {
                    let document = try TOMLDocument.parse(bytes)
                    #expect(document.printed() == bytes)
                    parsed += 1
                } catch {
                    #expect(error.span.start <= bytes.count && error.span.end <= bytes.count)
                    rejected += 1
                }
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }
}

extension Result {
    var failure: Failure? { if case .failure(let e) = self { return e } else { return nil } }
}
