import Spans

/// PEP 263: the encoding a Python file declares in a comment on its first or second line
/// (`# -*- coding: latin-1 -*-`), which CPython decodes the file with instead of UTF-8.
///
/// The tokenizer works on bytes, so a file in an ASCII-compatible legacy encoding tokenizes as
/// it is: its non-ASCII bytes stand in comments, strings and (rarely) names.
public enum PythonSourceEncoding {
    /// The declared encoding, lower-cased with `_` read as `-` (`iso-8859-1`), or nil when
    /// neither line declares one. As CPython's tokenizer (and `tokenize.detect_encoding`) reads
    /// it: the second line counts only when the first is blank or a comment; the declaration
    /// matches `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
    public static func declared(in bytes: [UInt8]) -> String? {
        var start = 0
        for lineNumber in 0..<2 {
            guard start < bytes.count else { return nil }
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            let line = bytes[start..<end]
            if let name = declaration(in: line) { return name }
            // Only a blank or comment line lets the next one declare.
            guard lineNumber == 0, isBlankOrComment(line) else { return nil }
            start = end + 1
        }
        return nil
    }

    /// Whether a file that declares `name` may hold bytes that are not UTF-8: a legacy
    /// encoding CPython ships a codec for (Latin, Windows and Mac code pages, KOI8, and the
    /// CJK multi-byte ones), not a UTF-8 or ASCII alias nor a name CPython does not know.
    public static func allowsNonUTF8Bytes(_ name: String) -> Bool {
        if utf8Names.contains(name) || name.hasPrefix("utf-8-") || name.hasPrefix("utf8-") { return false }
        if legacyNames.contains(name) { return true }
        let families = ["iso-8859-", "iso8859-", "cp", "windows-", "mac-", "koi8-", "euc-", "shift-jis", "big5", "gb"]
        guard let family = families.first(where: { name.hasPrefix($0) }) else { return false }
        let rest = name.dropFirst(family.count)
        switch family {
        case "iso-8859-", "iso8859-", "cp", "windows-": return !rest.isEmpty && rest.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        default: return true
        }
    }

    static let utf8Names: Set<String> = ["utf-8", "utf8", "u8", "utf", "cp65001"]
    static let legacyNames: Set<String> = [
        "latin-1", "latin1", "latin", "l1", "iso-latin-1", "8859", "ibm437", "ibm850", "ibm852", "ibm866",
        "sjis", "s-jis", "johab", "hz", "ptcp154", "tis-620", "hp-roman8", "palmos", "kz1048",
    ]

    /// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on one line, normalized.
    static func declaration(in line: ArraySlice<UInt8>) -> String? {
        var k = line.startIndex
        while k < line.endIndex, line[k] == 0x20 || line[k] == 0x09 || line[k] == 0x0C { k += 1 }
        guard k < line.endIndex, line[k] == 0x23 else { return nil }
        let coding = Array("coding".utf8)
        var at = k + 1
        while at + coding.count < line.endIndex {
            if line[at..<(at + coding.count)].elementsEqual(coding), line[at + coding.count] == 0x3A || line[at + coding.count] == 0x3D {
                var n = at + coding.count + 1
                while n < line.endIndex, line[n] == 0x20 || line[n] == 0x09 { n += 1 }
                let first = n
                while n < line.endIndex, isNameByte(line[n]) { n += 1 }
                // Without a name here, the pattern tries a later `coding`.
                if n > first { return String(decoding: line[first..<n].map { $0 == 0x5F ? 0x2D : $0 }, as: UTF8.self).lowercased() }
            }
            at += 1
        }
        return nil
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        ASCIIBytes.isWordByte(byte) || byte == 0x2D || byte == 0x2E
    }

    static func isBlankOrComment(_ line: ArraySlice<UInt8>) -> Bool {
        let first = line.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0C }
        return first == nil || first == 0x23 || first == 0x0D
    }
}
