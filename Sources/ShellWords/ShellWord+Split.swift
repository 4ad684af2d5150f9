import Spans

extension ShellWord {
    /// Splits the word at value byte `offset`, dropping `drop` value bytes there (e.g. the `=`).
    ///
    /// Returns nil when the cut would fall inside a reference or an escape sequence, so a
    /// caller never gets a span that cuts through `${…}`, or inside a UTF-8 sequence.
    /// The tail's `span` runs to the end of the word (closing quotes included); use
    /// `contentSpan` for the text alone. Quote characters next to the cut
    /// stay with the head or tail word they are written in.
    public func split(atValueOffset offset: Int, dropping drop: Int = 0) -> (head: ShellWord, tail: ShellWord)? {
        var head: [ShellWordPart] = []
        var tail: [ShellWordPart] = []
        var position = 0
        var headEnd: Int? = nil
        var tailStart: Int? = nil
        let cutTo = offset + drop
        // Never cut inside a UTF-8 sequence.
        let all = Array(value.utf8)
        guard offset >= 0, drop >= 0, cutTo <= all.count else { return nil }
        for cut in [offset, cutTo] where cut < all.count && all[cut] & 0xC0 == 0x80 { return nil }
        for part in parts {
            let count = part.text.utf8.count
            let ps = position
            let pe = position + count
            position = pe
            if pe <= offset && !(count == 0 && ps == offset && headEnd != nil) && tailStart == nil {
                head.append(part)
                continue
            }
            if ps >= cutTo && (count > 0 || ps > offset || drop == 0 || tailStart != nil) {
                if headEnd == nil { headEnd = head.last?.span.end ?? span.start }
                if tailStart == nil { tailStart = part.span.start }
                tail.append(part)
                continue
            }
            switch part.kind {
            case .literal:
                let bytes = Array(part.text.utf8)
                let a = max(0, offset - ps)
                let z = min(count, cutTo - ps)
                // A literal maps byte for byte onto its span; guard anyway against odd input.
                let exact = part.span.length == count
                func at(_ k: Int) -> Int { exact ? part.span.start + k : (k == 0 ? part.span.start : part.span.end) }
                if a > 0 {
                    head.append(
                        ShellWordPart(
                            kind: .literal, quoting: part.quoting, span: ByteSpan(part.span.start, at(a)),
                            text: String(decoding: bytes[0..<a], as: UTF8.self)))
                }
                if headEnd == nil { headEnd = at(a) }
                if z < count {
                    if tailStart == nil { tailStart = at(z) }
                    tail.append(
                        ShellWordPart(
                            kind: .literal, quoting: part.quoting, span: ByteSpan(at(z), part.span.end),
                            text: String(decoding: bytes[z...], as: UTF8.self)))
                } else if pe >= cutTo, tailStart == nil {
                    tailStart = at(z)
                }
            case .escaped:
                // An escape is one unit: it may only be dropped whole.
                guard offset <= ps && cutTo >= pe else { return nil }
                if headEnd == nil { headEnd = part.span.start }
                if pe == cutTo && tailStart == nil { tailStart = part.span.end }
            default:
                return nil
            }
        }
        guard position >= cutTo else { return nil }
        let hEnd = min(max(headEnd ?? span.end, span.start), span.end)
        let tStart = min(max(tailStart ?? span.end, hEnd), span.end)
        let h = ShellWord(span: ByteSpan(span.start, hEnd), parts: head, hasUnquotedPattern: hasUnquotedPattern)
        let t = ShellWord(span: ByteSpan(tStart, span.end), parts: tail, hasUnquotedPattern: hasUnquotedPattern)
        return (h, t)
    }

    /// Value offset of the first `=` in a literal part, if any comes before the first reference.
    public var firstEqualsOffset: Int? {
        var position = 0
        for part in parts {
            guard part.isLiteral else { return nil }
            if let idx = part.text.utf8.firstIndex(of: 0x3D) {
                return position + part.text.utf8.distance(from: part.text.utf8.startIndex, to: idx)
            }
            position += part.text.utf8.count
        }
        return nil
    }

    /// `NAME=value` split on the first `=`: the name part and the value part, or nil without `=`.
    public func splitAtFirstEquals() -> (name: ShellWord, value: ShellWord)? {
        guard let k = firstEqualsOffset, let (h, t) = split(atValueOffset: k, dropping: 1) else { return nil }
        return (h, t)
    }

    /// From the first part to the last (quotes around the whole word left out).
    public var contentSpan: ByteSpan {
        guard let first = parts.first, let last = parts.last else { return span }
        return ByteSpan(first.span.start, max(first.span.start, last.span.end))
    }
}
