// python-tokens: lists the string-literal tokens of Python files with CPython `tokenize` positions,
// so bench/python-tokenize-compare.py can check the tokenizer against CPython; `--bench` times it.
import Foundation
import PythonSource
import Spans

/// Line and column as Python's `tokenize` reports them: 1-based line (lines end at `\n`),
/// 0-based column counted in characters of the decoded line.
struct TokenizeColumns {
    let lineStarts: [Int]
    let bytes: [UInt8]
    let bomLength: Int
    /// Single-byte encodings (a `coding:` cookie naming latin-1 and the like) count bytes.
    let countBytes: Bool

    init(_ bytes: [UInt8]) {
        var starts = [0]
        for (i, byte) in bytes.enumerated() where byte == 0x0A { starts.append(i + 1) }
        self.lineStarts = starts
        self.bytes = bytes
        self.bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        self.countBytes = TokenizeColumns.declaresSingleByteEncoding(bytes, starts)
    }

    static func declaresSingleByteEncoding(_ bytes: [UInt8], _ starts: [Int]) -> Bool {
        for line in 0..<min(2, starts.count) {
            let end = line + 1 < starts.count ? starts[line + 1] : bytes.count
            let text = String(decoding: bytes[starts[line]..<end], as: UTF8.self)
            let trimmed = text.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{0C}" })
            guard trimmed.hasPrefix("#") else { continue }
            guard let range = text.range(of: #"coding[:=][ \t]*([-\w.]+)"#, options: .regularExpression) else {
                continue
            }
            let name = text[range].split(whereSeparator: { $0 == ":" || $0 == "=" }).last?
                .trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-") ?? ""
            return !(name.hasPrefix("utf-8") || name == "utf8" || name.hasPrefix("utf-8-"))
        }
        return false
    }

    func position(_ offset: Int) -> (Int, Int) {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        var start = lineStarts[low]
        if low == 0 { start = min(bomLength, offset) }
        if countBytes { return (low + 1, offset - start) }
        var column = 0
        var i = start
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (low + 1, column)
    }
}

func stringTokens(_ tokens: [PythonToken], all: Bool, parts: Bool) -> [(String, Int, Int, String?)] {
    var result: [(String, Int, Int, String?)] = []
    var fstringStart: [Int] = []
    for token in tokens {
        if parts {
            // CPython 3.12 tokenize's view: every STRING, and each f-string as FSTRING_START/FSTRING_END.
            switch token.kind {
            case .string: result.append(("STRING", token.span.start, token.span.end, nil))
            case .fstringStart: result.append(("FSTRING_START", token.span.start, token.span.end, nil))
            case .fstringEnd: result.append(("FSTRING_END", token.span.start, token.span.end, nil))
            case .error: result.append(("ERROR", token.span.start, token.span.end, token.error.description))
            default: break
            }
            continue
        }
        if all {
            result.append((token.kind.description, token.span.start, token.span.end,
                           token.kind == .error ? token.error.description : nil))
            continue
        }
        switch token.kind {
        case .string where token.fstringDepth == 0:
            result.append(("STRING", token.span.start, token.span.end, nil))
        case .fstringStart:
            fstringStart.append(token.span.start)
        case .fstringEnd:
            if let start = fstringStart.popLast(), fstringStart.isEmpty {
                result.append(("FSTRING", start, token.span.end, nil))
            }
        case .error:
            if token.error == .unterminatedFString { _ = fstringStart.popLast() }
            result.append(("ERROR", token.span.start, token.span.end, token.error.description))
        default:
            break
        }
    }
    return result
}

func readBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

var arguments = Array(CommandLine.arguments.dropFirst())
var json = false
var all = false
var parse = false
var parts = false
var callsOnly = false
var benchIterations: Int?
var paths: [String] = []
var index = 0
while index < arguments.count {
    let argument = arguments[index]
    switch argument {
    case "--format":
        index += 1
        json = index < arguments.count && arguments[index] == "json"
    case "--all":
        all = true
    case "--parse":
        parse = true
    case "--fstring-parts":
        parts = true
    case "--calls":
        callsOnly = true
    case "--bench":
        if index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
            benchIterations = count
            index += 1
        } else {
            benchIterations = 1
        }
    case "--files-from":
        index += 1
        if index < arguments.count, let data = readBytes(arguments[index]) {
            paths += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    case "-h", "--help":
        print("usage: python-tokens FILE... [--format json] [--all] [--fstring-parts] [--parse] [--calls] [--bench N] [--files-from LIST]")
        exit(0)
    default:
        paths.append(argument)
    }
    index += 1
}

if let iterations = benchIterations {
    let files = paths.compactMap(readBytes)
    let totalBytes = files.reduce(0) { $0 + $1.count }
    var tokenCount = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for _ in 0..<iterations {
            for file in files {
                if parse {
                    tokenCount &+= PythonModule.parse(file).calls.count
                } else {
                    tokenCount &+= PythonTokenizer.tokenize(file).count
                }
            }
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let mb = Double(totalBytes * iterations) / 1_000_000
    print("files: \(files.count)")
    print("bytes: \(totalBytes)")
    print("iterations: \(iterations)")
    print(parse ? "calls: \(tokenCount)" : "tokens: \(tokenCount)")
    print(String(format: "elapsed: %.3f s", seconds))
    print(String(format: "per iteration: %.3f s", seconds / Double(max(1, iterations))))
    print(String(format: "throughput: %.1f MB/s", mb / max(seconds, 1e-9)))
    exit(0)
}

var output = json ? "{\"files\":[" : ""
var firstFile = true
for path in paths {
    guard let bytes = readBytes(path) else {
        FileHandle.standardError.write(Data("python-tokens: cannot read \(path)\n".utf8))
        continue
    }
    if parse {
        output += "\(path)\n" + PythonModule.parse(bytes).debugDump(file: SourceFile(path: path, bytes: bytes))
        continue
    }
    if callsOnly {
        // The shallow parser's calls, positioned like Python's ast (0-based character columns).
        let columns = TokenizeColumns(bytes)
        output += "\(path)\n"
        for call in PythonModule.parse(bytes).calls {
            let s = columns.position(call.span.start)
            let e = columns.position(call.span.end)
            output += "  CALL \(s.0):\(s.1)-\(e.0):\(e.1)\n"
        }
        continue
    }
    let tokens = PythonTokenizer.tokenize(bytes)
    let columns = TokenizeColumns(bytes)
    let entries = stringTokens(tokens, all: all, parts: parts)
    if json {
        output += (firstFile ? "" : ",") + "\n{\"path\":\(JSONString.quote(path)),\"tokens\":["
        for (i, entry) in entries.enumerated() {
            let s = columns.position(entry.1)
            let e = columns.position(entry.2)
            output += (i == 0 ? "" : ",") + "{\"type\":\"\(entry.0)\",\"start\":[\(s.0),\(s.1)],\"end\":[\(e.0),\(e.1)]"
            if let detail = entry.3 { output += ",\"message\":\(JSONString.quote(detail))" }
            output += "}"
        }
        output += "]}"
    } else {
        output += "\(path)\n"
        for entry in entries {
            let s = columns.position(entry.1)
            let e = columns.position(entry.2)
            output += "  \(entry.0) \(s.0):\(s.1)-\(e.0):\(e.1)\(entry.3.map { " \($0)" } ?? "")\n"
        }
    }
    firstFile = false
    if output.utf8.count > 1 << 20 {
        FileHandle.standardOutput.write(Data(output.utf8))
        output = ""
    }
}
if json { output += "\n]}\n" }
FileHandle.standardOutput.write(Data(output.utf8))
