/// Quoting of values for writing them back into shell text (used by fixes).
public enum ShellQuoting {
    /// `value` in single quotes, each `'` written as `'\''`; the shell reads back exactly `value`.
    public static func singleQuoted(_ value: String) -> String {
        var out = "'"
        for ch in value.unicodeScalars {
            if ch == "'" { out += "'\\''" } else { out.unicodeScalars.append(ch) }
        }
        out += "'"
        return out
    }

    /// `value` unchanged when it holds only characters no shell treats specially, else ``singleQuoted(_:)``.
    public static func quotedIfNeeded(_ value: String) -> String {
        if !value.isEmpty, value.utf8.allSatisfy({ isSafe($0) }) { return value }
        return singleQuoted(value)
    }

    private static func isSafe(_ c: UInt8) -> Bool {
        switch c {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case 0x5F, 0x2D, 0x2E, 0x2F, 0x3A, 0x2C, 0x40, 0x25, 0x2B: return true  // _ - . / : , @ % +
        default: return false
        }
    }
}
