import Foundation
import Spans
import Testing

@Suite struct WhitespaceTests {
    /// The trim stands in for Foundation's `trimmingCharacters(in: .whitespaces)`: it must trim
    /// exactly what that does (tab and every Unicode space separator), and nothing else
    /// (line breaks, other control characters).
    @Test func trimsWhatFoundationTrims() {
        let edges = ["", " ", "\t", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}", "\u{202F}", "\u{205F}", "\u{3000}", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{200B}", "\u{FEFF}", "x"]
        let middles = ["", "value", "two words", "é", "\u{3000}in\u{A0}side", "😀"]
        for left in edges {
            for middle in middles {
                for right in edges {
                    let text = left + middle + right
                    #expect(Whitespace.trimmed(text) == text.trimmingCharacters(in: .whitespaces), "\(Array(text.unicodeScalars))")
                    #expect(Whitespace.trimmed(text[...]) == text.trimmingCharacters(in: .whitespaces))
                }
            }
        }
    }
}
