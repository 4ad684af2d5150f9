/// What Foundation's `trimmingCharacters(in: .whitespaces)` trims — tab, the Unicode space
/// separators (category Zs) and, as Foundation has it, the zero width space — without its
/// detour through NSString, which on Linux costs more than most of the checks that trim a value.
public enum Whitespace {
    /// Whether `scalar` is in `CharacterSet.whitespaces`.
    public static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || scalar == "\t" }
        return scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// `text` without leading and trailing blanks.
    public static func trimmed(_ text: String) -> String { trimmed(text[...]) }

    /// `text` without leading and trailing blanks.
    public static func trimmed(_ text: Substring) -> String {
        let utf8 = text.utf8
        // Most values have none: no scalar walk.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return String(text) }
        return trimmed(text, while: isBlank)
    }

    /// `text` without the scalars at either end for which `isEdge` holds.
    public static func trimmed(_ text: Substring, while isEdge: (Unicode.Scalar) -> Bool) -> String {
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isEdge($0) }), let end = scalars.lastIndex(where: { !isEdge($0) }) else { return "" }
        return String(scalars[start...end])
    }
}
