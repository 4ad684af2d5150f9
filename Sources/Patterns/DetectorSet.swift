import Spans

/// One finding of a detector in one file.
public struct CredentialMatch: Sendable, Hashable {
    /// Index into ``DetectorSet/detectors``.
    public var detectorIndex: Int
    /// The whole regex match.
    public var span: ByteSpan
    /// The secret itself (the detector's secret group).
    public var secret: ByteSpan

    public init(detectorIndex: Int, span: ByteSpan, secret: ByteSpan) {
        self.detectorIndex = detectorIndex
        self.span = span
        self.secret = secret
    }
}

/// A detector that could not be compiled; the message never contains a secret.
public struct DetectorSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending detector's id.
    public var detectorID: String
    /// What is wrong.
    public var message: String
    public var description: String { "detector \(detectorID): \(message)" }
}

/// Many detectors compiled once, scanned together with one keyword pass per file.
///
/// Shared between threads: all state is immutable after init and every scan keeps its own match
/// data.
public final class DetectorSet: Sendable {
    struct Compiled: Sendable {
        let regex: PCRERegex
        let allowRegexes: [PCRERegex]
        let pathRegexes: [PCRERegex]
        let stopwords: [[UInt8]]
        let validator: Validators.Check?
        let spansLines: Bool
        let linesAfter: Int?
    }

    /// The detectors, in the order given.
    public let detectors: [Detector]
    let compiled: [Compiled]
    let keywords: KeywordSet
    let keywordLengths: [Int]
    let keywordDetectors: [[Int]]
    let alwaysRun: [Int]
    let maxCaptures: Int

    /// Compiles every detector; throws naming the first detector with a bad regex, secret group,
    /// validator or allowlist regex.
    public init(_ detectors: [Detector]) throws(DetectorSetError) {
        self.detectors = detectors
        var compiled: [Compiled] = []
        var keywordIDs: [String: Int] = [:]
        var keywordList: [String] = []
        var keywordDetectors: [[Int]] = []
        var alwaysRun: [Int] = []
        var maxCaptures = 0
        var seen: Set<String> = []
        for (index, d) in detectors.enumerated() {
            func fail(_ message: String) -> DetectorSetError { DetectorSetError(detectorID: d.id, message: message) }
            guard seen.insert(d.id).inserted else { throw fail("duplicate detector id") }
            let regex: PCRERegex
            do {
                regex = try PCRERegex(d.regex, options: .multiline)
            } catch {
                throw fail("bad regex: \(error.description)")
            }
            guard d.secretGroup >= 0, d.secretGroup <= regex.captureCount else {
                throw fail("secret group \(d.secretGroup) does not exist (the regex has \(regex.captureCount) groups)")
            }
            var validator: Validators.Check?
            if let name = d.validator {
                guard let check = Validators.named(name) else {
                    throw fail("unknown validator \"\(name)\" (known: \(Validators.all.keys.sorted().joined(separator: ", ")))")
                }
                validator = check
            }
            func compileAll(_ sources: [String], _ what: String) throws(DetectorSetError) -> [PCRERegex] {
                var result: [PCRERegex] = []
                for s in sources {
                    do { result.append(try PCRERegex(s)) } catch { throw fail("bad \(what) regex: \(error.description)") }
                }
                return result
            }
            let allow = try compileAll(d.allowlist.regexes, "allowlist")
            let paths = try compileAll(d.allowlist.paths, "allowlist path")
            compiled.append(Compiled(
                regex: regex, allowRegexes: allow, pathRegexes: paths,
                stopwords: d.allowlist.stopwords.map { KeywordSet.lower(Array($0.utf8)) },
                validator: validator, spansLines: d.spansLines, linesAfter: d.linesAfter))
            maxCaptures = max(maxCaptures, regex.captureCount)
            let kws = Set(d.keywords.map { String(decoding: KeywordSet.lower(Array($0.utf8)), as: UTF8.self) }.filter { !$0.isEmpty })
            if kws.isEmpty {
                alwaysRun.append(index)
            }
            for k in kws.sorted() {
                let id: Int
                if let existing = keywordIDs[k] {
                    id = existing
                } else {
                    id = keywordList.count
                    keywordIDs[k] = id
                    keywordList.append(k)
                    keywordDetectors.append([])
                }
                keywordDetectors[id].append(index)
            }
        }
        self.compiled = compiled
        self.keywords = KeywordSet(keywordList)
        self.keywordLengths = keywordList.map { $0.utf8.count }
        self.keywordDetectors = keywordDetectors
        self.alwaysRun = alwaysRun
        self.maxCaptures = maxCaptures
    }

    /// Scans `bytes` (the contents of the file at `path`) and returns the findings sorted by
    /// position, then detector index.
    public func scan(bytes: [UInt8], path: String) -> [CredentialMatch] {
        bytes.withUnsafeBufferPointer { scan(bytes: $0, path: path) }
    }

    /// Scans `bytes` (the contents of the file at `path`) and returns the findings sorted by
    /// position, then detector index.
    public func scan(bytes: UnsafeBufferPointer<UInt8>, path: String) -> [CredentialMatch] {
        let n = bytes.count
        guard n > 0 else { return [] }
        // Which detectors run, and on which line windows.
        var whole = [Bool](repeating: false, count: detectors.count)
        var windows = [[Range<Int>]](repeating: [], count: detectors.count)
        // Where the line of each detector's latest hit ends: a later hit up to there is on the
        // same line and has the same window, which is not looked for again (on one huge
        // minified line that would cost the rest of the line for every hit).
        var hitLineEnds = [Int](repeating: -1, count: detectors.count)
        for d in alwaysRun { whole[d] = true }
        keywords.scan(bytes) { kw, end in
            for d in keywordDetectors[kw] {
                if whole[d] { continue }
                let after = compiled[d].linesAfter ?? 0
                if compiled[d].spansLines, compiled[d].linesAfter == nil { whole[d] = true; continue }
                let start = end - keywordLengths[kw]
                if let last = windows[d].last, start < last.upperBound, after == 0 { continue }
                if end <= hitLineEnds[d] { continue }
                var windowEnd = lineEnd(bytes, end)
                hitLineEnds[d] = windowEnd
                for _ in 0..<after where windowEnd < n { windowEnd = lineEnd(bytes, windowEnd + 1) }
                // A hit inside the last window (`key: token`, then `- name: DB_PASSWORD` on the
                // next line) extends it to the lines after this hit's line.
                if let last = windows[d].last, start < last.upperBound {
                    windows[d][windows[d].count - 1] = last.lowerBound..<max(last.upperBound, windowEnd)
                } else {
                    windows[d].append(lineStart(bytes, start)..<windowEnd)
                }
            }
        }
        var results: [CredentialMatch] = []
        let scratch = PCREMatchScratch(captureCount: maxCaptures)
        let pathBytes = Array(path.utf8)
        for d in 0..<detectors.count where whole[d] || !windows[d].isEmpty {
            let c = compiled[d]
            if !c.pathRegexes.isEmpty {
                let skip = pathBytes.withUnsafeBufferPointer { p in c.pathRegexes.contains { $0.isMatch(p) } }
                if skip { continue }
            }
            let ranges = whole[d] ? [0..<n] : windows[d]
            for range in ranges {
                c.regex.forEachMatch(in: bytes, range: range, scratch: scratch) { m in
                    if let secret = m[detectors[d].secretGroup], !secret.isEmpty,
                        accept(detector: d, secret: secret, in: bytes)
                    {
                        results.append(CredentialMatch(detectorIndex: d, span: m.span, secret: secret))
                    }
                    return true
                }
            }
        }
        return Self.resolveOverlaps(results, detectors: detectors)
    }

    /// Whether a regex match is a finding: entropy, validator, allowlist and heuristics.
    func accept(detector d: Int, secret span: ByteSpan, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let detector = detectors[d]
        let c = compiled[d]
        let secret = Array(bytes[span.range])
        if let minimum = detector.minimumEntropy, Entropy.shannon(secret) < minimum { return false }
        if let validator = c.validator, !validator(secret[...]) { return false }
        if SecretHeuristics.isNotASecret(secret) { return false }
        if !c.stopwords.isEmpty {
            let lowered = KeywordSet.lower(Array(secret))
            if c.stopwords.contains(where: { ByteSearch.contains($0, in: lowered) }) { return false }
        }
        if !c.allowRegexes.isEmpty {
            let allowed = secret.withUnsafeBufferPointer { s in c.allowRegexes.contains { $0.isMatch(s) } }
            if allowed { return false }
        }
        if !detector.tokenFormat {
            if SecretHeuristics.isUUID(secret) { return false }
            // Context is bounded so that many matches on one huge (minified) line stay linear.
            let ls = lineStart(bytes, span.start, limit: contextLimit)
            let line = bytes[ls..<lineEnd(bytes, span.end, limit: contextLimit)]
            if SecretHeuristics.hasHashContext(line: line) { return false }
            if SecretHeuristics.isInCommentLine(lineBeforeMatch: bytes[ls..<span.start]) { return false }
        }
        return true
    }

    /// Keeps one finding per group of overlapping secrets and sorts by position.
    ///
    /// Within a group, a token-format detector beats a context-based one and an earlier
    /// detector beats a later one, so `token = "ghp_..."` is one GitHub token rather than also a
    /// generic secret, and rule files list specific detectors before generic ones.
    static func resolveOverlaps(_ matches: [CredentialMatch], detectors: [Detector]) -> [CredentialMatch] {
        guard matches.count > 1 else { return matches }
        let bySecret = matches.sorted { ($0.secret.start, $0.secret.end) < ($1.secret.start, $1.secret.end) }
        func rank(_ m: CredentialMatch) -> (Int, Int) { (detectors[m.detectorIndex].tokenFormat ? 0 : 1, m.detectorIndex) }
        var kept: [CredentialMatch] = []
        var i = 0
        while i < bySecret.count {
            // A cluster: matches connected by overlapping secrets.
            var j = i + 1
            var end = bySecret[i].secret.end
            while j < bySecret.count, bySecret[j].secret.start < end {
                end = max(end, bySecret[j].secret.end)
                j += 1
            }
            var chosen: [CredentialMatch] = []
            for m in bySecret[i..<j].sorted(by: { rank($0) < rank($1) })
            where !chosen.contains(where: { $0.secret.overlaps(m.secret) }) {
                chosen.append(m)
            }
            kept.append(contentsOf: chosen)
            i = j
        }
        return kept.sorted { ($0.span.start, $0.detectorIndex, $0.span.end) < ($1.span.start, $1.detectorIndex, $1.span.end) }
    }
}

/// How far (in bytes) the context checks look before and after a secret on its line.
let contextLimit = 256

/// Offset of the first byte of the line holding `offset`, looking back at most `limit` bytes.
@inline(__always)
func lineStart(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, limit: Int = .max) -> Int {
    var i = min(max(0, offset), bytes.count)
    let stop = offset > limit ? offset - limit : 0
    while i > stop, bytes[i - 1] != 0x0A { i -= 1 }
    return i
}

/// Offset of the newline ending the line holding `offset - 1` (or the end of the text), looking
/// ahead at most `limit` bytes.
@inline(__always)
func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int, limit: Int = .max) -> Int {
    var i = min(max(0, offset), bytes.count)
    let stop = bytes.count - i > limit ? i + limit : bytes.count
    while i < stop, bytes[i] != 0x0A { i += 1 }
    return i
}
