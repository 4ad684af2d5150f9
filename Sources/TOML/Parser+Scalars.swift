import Spans

/// Integers, floats and the four date-time kinds.
extension Parser {
    // MARK: Numbers

    mutating func parseNumber() throws(TOMLError) -> TOMLNode {
        let start = i
        var end = i
        while end < n {
            let c = p[end]
            if isBareKeyByte(c) || c == DOT || c == PLUS { end += 1 } else { break }
        }
        i = end
        let span = ByteSpan(start, end)
        var k = start
        var negative = false
        if p[k] == PLUS || p[k] == MINUS {
            negative = p[k] == MINUS
            k += 1
        }
        func invalid(_ why: String) -> TOMLError { TOMLError("invalid number: \(why)", span: span) }
        guard k < end else { throw invalid("missing digits") }
        // Prefixed integers.
        if p[k] == 0x30, k + 1 < end, p[k + 1] == 0x78 || p[k + 1] == 0x6F || p[k + 1] == 0x62 {
            if k != start { throw invalid("a sign is not allowed on hexadecimal, octal or binary integers") }
            let radix: UInt64 = p[k + 1] == 0x78 ? 16 : p[k + 1] == 0x6F ? 8 : 2
            k += 2
            var value: UInt64 = 0
            var lastWasDigit = false
            guard k < end else { throw invalid("missing digits") }
            while k < end {
                let c = p[k]
                if c == UNDERSCORE {
                    guard lastWasDigit else { throw invalid("an underscore must sit between digits") }
                    lastWasDigit = false
                } else {
                    guard let d = hexValue(c), UInt64(d) < radix else { throw invalid("invalid digit") }
                    let (m, o1) = value.multipliedReportingOverflow(by: radix)
                    let (s, o2) = m.addingReportingOverflow(UInt64(d))
                    if o1 || o2 || s > UInt64(Int64.max) { throw invalid("out of range for a 64-bit integer") }
                    value = s
                    lastWasDigit = true
                }
                k += 1
            }
            guard lastWasDigit else { throw invalid("an underscore must sit between digits") }
            return TOMLNode(value: .integer(Int64(value)), span: span)
        }
        // Decimal integer part.
        let intStart = k
        var value: UInt64 = 0
        var overflow = false
        var lastWasDigit = false
        while k < end {
            let c = p[k]
            if isDigit(c) {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
                if o1 || o2 { overflow = true }
                value = s
                lastWasDigit = true
            } else if c == UNDERSCORE {
                guard lastWasDigit else { throw invalid("an underscore must sit between digits") }
                lastWasDigit = false
            } else {
                break
            }
            k += 1
        }
        guard lastWasDigit else {
            throw invalid(k == intStart ? "missing digits" : "an underscore must sit between digits")
        }
        if p[intStart] == 0x30, k - intStart > 1 { throw invalid("leading zeros are not allowed") }
        if k == end {
            let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
            if overflow || value > limit { throw invalid("out of range for a 64-bit integer") }
            let result = negative ? Int64(truncatingIfNeeded: 0 &- value) : Int64(value)
            return TOMLNode(value: .integer(result), span: span)
        }
        // Float: fraction and/or exponent.
        if p[k] == DOT {
            k += 1
            try digitRun(&k, end: end, span: span)
        }
        if k < end, p[k] | 0x20 == 0x65 {
            k += 1
            if k < end, p[k] == PLUS || p[k] == MINUS { k += 1 }
            try digitRun(&k, end: end, span: span)
        }
        guard k == end else { throw invalid("unexpected character") }
        var text = ""
        text.reserveCapacity(end - start)
        for j in start..<end where p[j] != UNDERSCORE { text.unicodeScalars.append(Unicode.Scalar(p[j])) }
        guard let d = Double(text) else { throw invalid("not a float") }
        return TOMLNode(value: .float(d), span: span)
    }

    /// One or more digits with single underscores between them.
    func digitRun(_ k: inout Int, end: Int, span: ByteSpan) throws(TOMLError) {
        var lastWasDigit = false
        let begin = k
        while k < end {
            let c = p[k]
            if isDigit(c) {
                lastWasDigit = true
            } else if c == UNDERSCORE {
                guard lastWasDigit else { throw TOMLError("invalid number: an underscore must sit between digits", span: span) }
                lastWasDigit = false
            } else {
                break
            }
            k += 1
        }
        guard lastWasDigit, k > begin else { throw TOMLError("invalid number: missing digits", span: span) }
    }

    // MARK: Date-times

    @inline(__always)
    func twoDigits(_ at: Int) -> Int? {
        guard at + 1 < n, isDigit(p[at]), isDigit(p[at + 1]) else { return nil }
        return Int(p[at] - 0x30) * 10 + Int(p[at + 1] - 0x30)
    }

    mutating func parseDateTime() throws(TOMLError) -> TOMLNode {
        let start = i
        func bad(_ why: String) -> TOMLError {
            var end = i
            while end < n, isBareKeyByte(p[end]) || p[end] == COLON || p[end] == DOT || p[end] == PLUS { end += 1 }
            return TOMLError("invalid date-time: \(why)", span: ByteSpan(start, max(end, start + 1)))
        }
        var dt = TOMLDateTime(kind: .localTime, raw: "")
        var hasDate = false
        if i + 4 < n, p[i + 4] == MINUS {
            guard let y1 = twoDigits(i), let y2 = twoDigits(i + 2) else { throw bad("expected YYYY-MM-DD") }
            guard let month = twoDigits(i + 5), i + 7 < n, p[i + 7] == MINUS, let day = twoDigits(i + 8) else {
                throw bad("expected YYYY-MM-DD")
            }
            let year = y1 * 100 + y2
            guard (1...12).contains(month) else { throw bad("month out of range") }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            guard day >= 1, day <= days else { throw bad("day out of range") }
            dt.year = year
            dt.month = month
            dt.day = day
            hasDate = true
            i += 10
            // A time follows after `T`, `t`, or a space followed by a time.
            if i < n, p[i] == 0x54 || p[i] == 0x74 {
                i += 1
            } else if i < n, p[i] == SPACE, twoDigits(i + 1) != nil, i + 3 < n, p[i + 3] == COLON {
                i += 1
            } else {
                dt.kind = .localDate
                dt.raw = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                return TOMLNode(value: .datetime(dt), span: ByteSpan(start, i))
            }
        }
        guard let hour = twoDigits(i), i + 2 < n, p[i + 2] == COLON, let minute = twoDigits(i + 3),
              i + 5 < n, p[i + 5] == COLON, let second = twoDigits(i + 6)
        else { throw bad("expected HH:MM:SS") }
        guard hour < 24 else { throw bad("hour out of range") }
        guard minute < 60 else { throw bad("minute out of range") }
        guard second <= 60 else { throw bad("second out of range") }
        dt.hour = hour
        dt.minute = minute
        dt.second = second
        i += 8
        if i < n, p[i] == DOT {
            i += 1
            var digits = 0
            var nanos = 0
            while i < n, isDigit(p[i]) {
                if digits < 9 { nanos = nanos * 10 + Int(p[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { throw bad("missing fractional digits") }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
            dt.nanosecond = nanos
        }
        if hasDate {
            dt.kind = .localDateTime
            if i < n, p[i] == 0x5A || p[i] == 0x7A {
                i += 1
                dt.kind = .offsetDateTime
                dt.offsetMinutes = 0
            } else if i < n, p[i] == PLUS || p[i] == MINUS {
                let sign = p[i] == MINUS ? -1 : 1
                guard let oh = twoDigits(i + 1), i + 3 < n, p[i + 3] == COLON, let om = twoDigits(i + 4) else {
                    throw bad("expected an offset like +HH:MM")
                }
                guard oh < 24, om < 60 else { throw bad("offset out of range") }
                i += 6
                dt.kind = .offsetDateTime
                dt.offsetMinutes = sign * (oh * 60 + om)
            }
        } else {
            dt.kind = .localTime
        }
        dt.raw = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
        return TOMLNode(value: .datetime(dt), span: ByteSpan(start, i))
    }
}
