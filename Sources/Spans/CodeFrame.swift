/// Renders a rustc/ruff-style code frame: the source line, a gutter, and a caret underline.
///
/// A frame can hide a secret: `redaction` replaces a byte range of the shown line with a
/// placeholder (for example `ghp_…(40 chars)`), and the underline follows the placeholder.
public struct CodeFrame: Sendable {
    /// A byte range to hide and the text shown in its place.
    public struct Redaction: Sendable {
        public var span: ByteSpan
        public var placeholder: String
        public init(span: ByteSpan, placeholder: String) {
            self.span = span
            self.placeholder = placeholder
        }
    }

    /// Lines longer than this are cut around the highlight so a minified file cannot flood a terminal.
    public static let maxShownCharacters = 160

    /// The bytes of `span`'s line a frame may show: only those around the highlight, so that a
    /// line of a minified file (and its thousands of hidden values) is not rendered whole for
    /// each of its findings. Redactions outside it do not matter.
    public static func shownBytes(file: SourceFile, span: ByteSpan) -> ByteSpan {
        let lineSpan = file.lines.lineContentSpan(line: file.lines.lineNumber(at: span.start) + 1)
        let reach = 4 * maxShownCharacters
        var start = max(lineSpan.start, span.start - reach)
        while start > lineSpan.start, start < file.bytes.count, file.bytes[start] & 0xC0 == 0x80 { start -= 1 }
        let end = min(lineSpan.end, min(max(span.end, span.start + 1), lineSpan.end) + reach)
        return ByteSpan(start, max(start, end))
    }

    public static func render(
        file: SourceFile, span: ByteSpan, redactions: [Redaction] = [], color: Bool = false
    ) -> String {
        let lineNumber = file.lines.lineNumber(at: span.start) + 1
        let lineSpan = file.lines.lineContentSpan(line: lineNumber)
        var shown = ""
        var caretStart = 0
        var caretLength = 0
        var column = 0
        let highlightEnd = min(max(span.end, span.start + 1), lineSpan.end)
        let window = shownBytes(file: file, span: span)
        var offset = window.start
        let cutLeft = offset > lineSpan.start
        let shownEnd = window.end
        let sortedRedactions = redactions.filter { $0.span.overlaps(window) || $0.span.contains(offset) }.sorted { $0.span < $1.span }
        var nextRedaction = 0
        func emit(_ text: String, highlighted: Bool) {
            let width = text.unicodeScalars.count
            if highlighted {
                if caretLength == 0 { caretStart = column }
                caretLength += width
            }
            shown += text
            column += width
        }
        while offset < shownEnd {
            // A redaction may have started on an earlier line (a multi-line value): it hides
            // this line's part too. Redactions are passed in order; one that ends before the
            // offset is done with.
            while nextRedaction < sortedRedactions.count, sortedRedactions[nextRedaction].span.end <= offset,
                sortedRedactions[nextRedaction].span.start != offset
            {
                nextRedaction += 1
            }
            if nextRedaction < sortedRedactions.count, case let redaction = sortedRedactions[nextRedaction],
                redaction.span.start == offset || redaction.span.contains(offset)
            {
                let highlighted = redaction.span.overlaps(ByteSpan(span.start, highlightEnd))
                emit(redaction.placeholder, highlighted: highlighted)
                // An empty value (`DB_PASSWORD = ""`) hides no byte: the closing quote stays.
                if !redaction.span.isEmpty || redaction.span.start != offset { offset = max(redaction.span.end, offset + 1) }
                nextRedaction += 1
                continue
            }
            var next = offset + 1
            while next < lineSpan.end, file.bytes[next] & 0xC0 == 0x80 { next += 1 }
            var piece = file.text(ByteSpan(offset, next))
            if piece == "\t" { piece = " " }
            if piece.unicodeScalars.first.map({ $0.value < 0x20 || $0.value == 0x7F }) == true { piece = " " }
            emit(piece, highlighted: offset >= span.start && offset < highlightEnd)
            offset = next
        }
        if caretLength == 0 {
            caretStart = span.start >= lineSpan.end ? column : 0
            caretLength = 1
        }
        // Cut very long lines to a window around the caret.
        var scalars = Array(shown.unicodeScalars)
        var prefix = ""
        var cut = cutLeft
        if scalars.count > maxShownCharacters {
            let windowStart = max(0, min(caretStart - 40, scalars.count - maxShownCharacters))
            let windowEnd = min(scalars.count, windowStart + maxShownCharacters)
            scalars = Array(scalars[windowStart..<windowEnd])
            caretStart -= windowStart
            caretLength = max(1, min(caretLength, scalars.count - caretStart))
            cut = cut || windowStart > 0
        }
        if cut {
            prefix = "…"
            caretStart += 1
        }
        var line = prefix
        line.unicodeScalars.append(contentsOf: scalars)
        let gutter = String(lineNumber)
        let pad = String(repeating: " ", count: gutter.count)
        let underline = String(repeating: " ", count: caretStart) + String(repeating: "^", count: caretLength)
        let bar = color ? "\u{1B}[34m|\u{1B}[0m" : "|"
        let carets = color ? "\u{1B}[31m\(underline)\u{1B}[0m" : underline
        return "\(pad) \(bar)\n\(gutter) \(bar) \(line)\n\(pad) \(bar) \(carets)"
    }
}
