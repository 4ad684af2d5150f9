import Spans

/// The four string kinds and their escapes.
extension Parser {
    // MARK: Strings

    /// `"..."`, starting at the opening quote.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes, one copy.
        while i < n {
            let c = p[i]
            if c == QUOTE {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == BACKSLASH { break }
            if isForbiddenControl(c) { throw controlInString(at: i, open: open) }
            i += 1
        }
        guard i < n else { throw unterminated(open) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<i]))
        while i < n {
            let c = p[i]
            if c == QUOTE {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c == BACKSLASH {
                try parseEscape()
                continue
            }
            if isForbiddenControl(c) { throw controlInString(at: i, open: open) }
            scratch.append(c)
            i += 1
        }
        throw unterminated(open)
    }

    func unterminated(_ open: Int) -> TOMLError {
        TOMLError("unterminated string", span: ByteSpan(open, open + 1), expected: ["a closing quote"])
    }

    func controlInString(at offset: Int, open: Int) -> TOMLError {
        if p[offset] == LF || p[offset] == CR {
            return TOMLError("unterminated string: a line break is not allowed in a single-line string",
                             span: ByteSpan(open, offset), expected: ["a closing quote"])
        }
        return error("control characters must be escaped in strings", at: offset)
    }

    /// Handles one escape at `i` (the backslash), appending its bytes to `scratch`.
    mutating func parseEscape() throws(TOMLError) {
        let start = i
        guard i + 1 < n else { throw error("unterminated escape sequence", at: i) }
        let e = p[i + 1]
        i += 2
        switch e {
        case 0x62: scratch.append(0x08)  // b
        case 0x74: scratch.append(TAB)
        case 0x6E: scratch.append(LF)
        case 0x66: scratch.append(0x0C)  // f
        case 0x72: scratch.append(CR)
        case QUOTE: scratch.append(QUOTE)
        case BACKSLASH: scratch.append(BACKSLASH)
        case 0x75, 0x55:  // u, U
            let digits = e == 0x75 ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard i < n, let d = hexValue(p[i]) else {
                    throw TOMLError("invalid unicode escape: expected \(digits) hex digits",
                                    span: ByteSpan(start, min(i + 1, n)))
                }
                value = value << 4 | UInt32(d)
                i += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw TOMLError("invalid unicode escape: not a Unicode scalar value", span: ByteSpan(start, i))
            }
            appendUTF8(scalar)
        default:
            throw TOMLError("invalid escape sequence", span: ByteSpan(start, min(start + 2, n)),
                            expected: ["one of \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX"])
        }
    }

    @inline(__always)
    func hexValue(_ c: UInt8) -> UInt8? {
        if isDigit(c) { return c - 0x30 }
        let l = c | 0x20
        if l >= 0x61 && l <= 0x66 { return l - 0x61 + 10 }
        return nil
    }

    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        let v = scalar.value
        if v < 0x80 {
            scratch.append(UInt8(v))
        } else if v < 0x800 {
            scratch.append(UInt8(0xC0 | v >> 6))
            scratch.append(UInt8(0x80 | v & 0x3F))
        } else if v < 0x10000 {
            scratch.append(UInt8(0xE0 | v >> 12))
            scratch.append(UInt8(0x80 | (v >> 6) & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        } else {
            scratch.append(UInt8(0xF0 | v >> 18))
            scratch.append(UInt8(0x80 | (v >> 12) & 0x3F))
            scratch.append(UInt8(0x80 | (v >> 6) & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// `"""..."""`, starting at the first quote.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let open = i
        i += 3
        skipFirstNewline()
        scratch.removeAll(keepingCapacity: true)
        while i < n {
            let c = p[i]
            if c == QUOTE {
                var q = 0
                while i + q < n, p[i + q] == QUOTE { q += 1 }
                if q >= 3 {
                    if q > 5 { throw error("too many quotes at the end of a multi-line string", at: i + 5) }
                    for _ in 0..<(q - 3) { scratch.append(QUOTE) }
                    i += q
                    return String(decoding: scratch, as: UTF8.self)
                }
                for _ in 0..<q { scratch.append(QUOTE) }
                i += q
            } else if c == BACKSLASH {
                // A backslash ending a line trims the line break and following whitespace.
                var k = i + 1
                while k < n, p[k] == SPACE || p[k] == TAB { k += 1 }
                if k < n, p[k] == LF || (p[k] == CR && k + 1 < n && p[k + 1] == LF) {
                    i = k
                    while i < n {
                        let d = p[i]
                        if d == SPACE || d == TAB || d == LF {
                            i += 1
                        } else if d == CR, i + 1 < n, p[i + 1] == LF {
                            i += 2
                        } else {
                            break
                        }
                    }
                } else {
                    try parseEscape()
                }
            } else if c == LF || c == TAB {
                scratch.append(c)
                i += 1
            } else if c == CR {
                guard i + 1 < n, p[i + 1] == LF else {
                    throw error("a carriage return must be followed by a line feed", at: i, found: false)
                }
                scratch.append(CR)
                scratch.append(LF)
                i += 2
            } else if isForbiddenControl(c) {
                throw error("control characters must be escaped in strings", at: i)
            } else {
                // Copy a plain run at once.
                let runStart = i
                i += 1
                while i < n {
                    let d = p[i]
                    if d == QUOTE || d == BACKSLASH || d < 0x20 || d == 0x7F { break }
                    i += 1
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
            }
        }
        throw TOMLError("unterminated multi-line string", span: ByteSpan(open, open + 3), expected: ["`\"\"\"`"])
    }

    mutating func skipFirstNewline() {
        if i < n, p[i] == LF {
            i += 1
        } else if i + 1 < n, p[i] == CR, p[i + 1] == LF {
            i += 2
        }
    }

    /// `'...'`, starting at the opening apostrophe.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let open = i
        i += 1
        let start = i
        while i < n {
            let c = p[i]
            if c == APOS {
                let s = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if isForbiddenControl(c) { throw controlInString(at: i, open: open) }
            i += 1
        }
        throw unterminated(open)
    }

    /// `'''...'''`, starting at the first apostrophe.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let open = i
        i += 3
        skipFirstNewline()
        let start = i
        while i < n {
            let c = p[i]
            if c == APOS {
                var q = 0
                while i + q < n, p[i + q] == APOS { q += 1 }
                if q >= 3 {
                    if q > 5 { throw error("too many quotes at the end of a multi-line string", at: i + 5) }
                    let end = i + q - 3
                    i += q
                    return String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
                }
                i += q
            } else if c == CR {
                guard i + 1 < n, p[i + 1] == LF else {
                    throw error("a carriage return must be followed by a line feed", at: i, found: false)
                }
                i += 2
            } else if c != LF && isForbiddenControl(c) {
                throw error("control characters are not allowed in literal strings", at: i)
            } else {
                i += 1
            }
        }
        throw TOMLError("unterminated multi-line string", span: ByteSpan(open, open + 3), expected: ["`'''`"])
    }
}
