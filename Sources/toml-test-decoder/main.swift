// The toml-test decoder protocol: TOML on stdin, tagged JSON on stdout, exit 1 on invalid TOML.
// `toml-test-decoder --bench FILE [N]` parses FILE N times and prints the best and mean times.
import Foundation
import Spans
import TOML

func writeJSONString(_ s: String, to out: inout [UInt8]) {
    out.append(0x22)
    for b in s.utf8 {
        switch b {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case 0..<0x20, 0x7F:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        default: out.append(b)
        }
    }
    out.append(0x22)
}

func writeTagged(_ type: String, _ value: String, to out: inout [UInt8]) {
    out.append(contentsOf: Array("{\"type\":\"\(type)\",\"value\":".utf8))
    writeJSONString(value, to: &out)
    out.append(0x7D)
}

func write(_ node: TOMLNode, to out: inout [UInt8]) {
    switch node.value {
    case .string(let s): writeTagged("string", s, to: &out)
    case .integer(let v): writeTagged("integer", String(v), to: &out)
    case .float(let d):
        let text = d.isNaN ? "nan" : d.isInfinite ? (d < 0 ? "-inf" : "inf") : "\(d)"
        writeTagged("float", text, to: &out)
    case .boolean(let b): writeTagged("bool", b ? "true" : "false", to: &out)
    case .datetime(let dt):
        let type: String
        switch dt.kind {
        case .offsetDateTime: type = "datetime"
        case .localDateTime: type = "datetime-local"
        case .localDate: type = "date-local"
        case .localTime: type = "time-local"
        }
        writeTagged(type, dt.raw, to: &out)
    case .array(let elements):
        out.append(0x5B)
        for (k, e) in elements.enumerated() {
            if k > 0 { out.append(0x2C) }
            write(e, to: &out)
        }
        out.append(0x5D)
    case .table(let table): write(table, to: &out)
    }
}

func write(_ table: TOMLTable, to out: inout [UInt8]) {
    out.append(0x7B)
    for (k, e) in table.entries.enumerated() {
        if k > 0 { out.append(0x2C) }
        writeJSONString(e.key, to: &out)
        out.append(0x3A)
        write(e.node, to: &out)
    }
    out.append(0x7D)
}

func readAll(_ handle: FileHandle) -> [UInt8] {
    [UInt8](handle.readDataToEndOfFile())
}

func bench(path: String, runs: Int) -> Int32 {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        return 2
    }
    let bytes = [UInt8](data)
    var times: [Double] = []
    var cpuTimes: [Double] = []
    var keys = 0
    for _ in 0..<max(1, runs) {
        let cpuStart = clock()
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let doc = try TOMLDocument.parse(bytes)
            keys = doc.root.entries.count
        } catch {
            FileHandle.standardError.write(Data((error.diagnostic.rendered(in: SourceFile(path: path, bytes: bytes)) + "\n").utf8))
            return 1
        }
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        cpuTimes.append(Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC) * 1000)
    }
    let best = times.min() ?? 0
    let bestCPU = cpuTimes.min() ?? 0
    let mb = Double(bytes.count) / 1_000_000
    // CPU time is the figure to compare on a shared machine; wall time is printed too.
    print(String(format: "swift TOML: %.2f MB, %d runs, best %.1f ms wall, best cpu %.1f ms (%.0f MB/s), %d top-level keys",
                 mb, times.count, best, bestCPU, mb / (max(bestCPU, 0.001) / 1000), keys))
    return 0
}

let arguments = CommandLine.arguments
if arguments.count >= 3, arguments[1] == "--bench" {
    exit(bench(path: arguments[2], runs: arguments.count >= 4 ? Int(arguments[3]) ?? 5 : 5))
}
let input = readAll(FileHandle.standardInput)
do {
    let document = try TOMLDocument.parse(input)
    var out: [UInt8] = []
    out.reserveCapacity(input.count * 2)
    write(document.root, to: &out)
    out.append(0x0A)
    FileHandle.standardOutput.write(Data(out))
    exit(0)
} catch {
    FileHandle.standardError.write(Data((error.diagnostic.rendered(in: SourceFile(path: "<stdin>", bytes: input)) + "\n").utf8))
    exit(1)
}
