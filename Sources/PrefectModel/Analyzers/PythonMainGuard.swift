import Spans

/// A script's `if __name__ == "__main__":` blocks: code that runs when the file is run
/// (`python flow.py`), not when `prefect register` loads it (`runpy.run_path(…,
/// run_name="<flow>")` in cli/build_register.py) or a module imports it.
public enum PythonMainGuard {
    /// The byte ranges of the blocks at column 0: from the header to the next line that
    /// starts at column 0 with code.
    public static func blocks(in bytes: [UInt8]) -> [Range<Int>] {
        // Most modules have none, which one search for the name settles.
        guard ByteSearch.firstIndex(of: mainName, in: bytes) != nil else { return [] }
        var blocks: [Range<Int>] = []
        var open: Int?
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let first = start < end ? bytes[start] : 0x0A
            let startsCode = first != 0x20 && first != 0x09 && first != 0x23 && first != 0x0D && first != 0x0A
            if startsCode {
                if let from = open { blocks.append(from..<start) }
                open = nil
                guard first == 0x69, start + 1 < end, bytes[start + 1] == 0x66 else {  // if
                    start = end + 1
                    continue
                }
                let words = String(decoding: bytes[start..<end], as: UTF8.self).filter { !$0.isWhitespace }
                if headers.contains(words) { open = start }
            }
            start = end + 1
        }
        if let from = open { blocks.append(from..<bytes.count) }
        return blocks
    }

    private static let mainName = Array("__main__".utf8)
    private static let headers: Set<String> = ["if__name__==\"__main__\":", "if__name__=='__main__':", "if\"__main__\"==__name__:", "if'__main__'==__name__:"]
}
