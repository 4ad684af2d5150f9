/// An arbitrary-precision Python `int`, so that literals such as `12345678901234567890`
/// keep their exact value and compare exactly with floats, as Python does.
public struct PyInt: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// True when the value is negative (never true for zero).
    public private(set) var isNegative: Bool
    /// Magnitude as base-2^32 limbs, least significant first, without trailing zero limbs.
    public private(set) var limbs: [UInt32]

    /// Zero.
    public static let zero = PyInt(isNegative: false, limbs: [])

    init(isNegative: Bool, limbs: [UInt32]) {
        var l = limbs
        while let last = l.last, last == 0 { l.removeLast() }
        self.limbs = l
        self.isNegative = l.isEmpty ? false : isNegative
    }

    /// Creates the value of a machine integer.
    public init(_ value: Int) {
        let mag = value.magnitude
        self.init(isNegative: value < 0, limbs: [UInt32(truncatingIfNeeded: mag), UInt32(truncatingIfNeeded: mag >> 32)])
    }

    /// Parses digits (no sign, no underscores) in the given radix; nil on any invalid digit or empty input.
    public init?(digits: Substring, radix: Int) {
        guard !digits.isEmpty, (2...36).contains(radix) else { return nil }
        var limbs: [UInt32] = []
        for ch in digits.unicodeScalars {
            guard let d = PyInt.digitValue(ch), d < radix else { return nil }
            PyInt.mulAdd(&limbs, UInt32(radix), UInt32(d))
        }
        self.init(isNegative: false, limbs: limbs)
    }

    static func digitValue(_ ch: Unicode.Scalar) -> Int? {
        switch ch.value {
        case 48...57: return Int(ch.value - 48)
        case 97...122: return Int(ch.value - 97 + 10)
        case 65...90: return Int(ch.value - 65 + 10)
        default: return nil
        }
    }

    static func mulAdd(_ limbs: inout [UInt32], _ mul: UInt32, _ add: UInt32) {
        var carry = UInt64(add)
        for i in limbs.indices {
            let v = UInt64(limbs[i]) * UInt64(mul) + carry
            limbs[i] = UInt32(truncatingIfNeeded: v)
            carry = v >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// Divides the magnitude in place by a small divisor and returns the remainder.
    static func divMod(_ limbs: inout [UInt32], _ divisor: UInt32) -> UInt32 {
        var rem: UInt64 = 0
        for i in limbs.indices.reversed() {
            let cur = (rem << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(cur / UInt64(divisor))
            rem = cur % UInt64(divisor)
        }
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        return UInt32(rem)
    }

    /// True for zero.
    public var isZero: Bool { limbs.isEmpty }

    /// The value negated.
    public var negated: PyInt { PyInt(isNegative: !isNegative, limbs: limbs) }

    var magnitudeDecimal: String {
        if limbs.isEmpty { return "0" }
        var l = limbs
        var chunks: [UInt32] = []
        while !l.isEmpty { chunks.append(PyInt.divMod(&l, 1_000_000_000)) }
        var s = String(chunks.last ?? 0)
        for c in chunks.dropLast().reversed() {
            let t = String(c)
            s += String(repeating: "0", count: 9 - t.count) + t
        }
        return s
    }

    /// Decimal representation, as Python's `repr(int)`.
    public var description: String { (isNegative ? "-" : "") + magnitudeDecimal }

    /// The value as Int64 when it fits.
    public var int64Value: Int64? {
        if limbs.count > 2 { return nil }
        var m: UInt64 = 0
        for (i, l) in limbs.enumerated() { m |= UInt64(l) << (32 * UInt64(i)) }
        if isNegative {
            if m <= UInt64(Int64.max) + 1 { return m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m) }
            return nil
        }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    /// Correctly rounded conversion to Double (Python's `float(int)`); nil on overflow
    /// (Python raises OverflowError there).
    public var doubleValue: Double? {
        guard let d = Double(description), d.isFinite else { return nil }
        return d
    }

    /// The exact integer value of a finite integral double.
    public init?(exactly d: Double) {
        guard d.isFinite, d == d.rounded(.towardZero) else { return nil }
        let neg = d < 0
        let m = abs(d)
        if m < 1 { self = .zero; return }
        let exponent = Int(m.exponent)  // m = significand * 2^exponent, significand in [1,2)
        let bits = m.significandBitPattern | (1 << 52)
        // value = bits * 2^(exponent-52)
        var limbs: [UInt32] = [UInt32(truncatingIfNeeded: bits), UInt32(truncatingIfNeeded: bits >> 32)]
        let shift = exponent - 52
        if shift >= 0 {
            limbs = PyInt.shiftLeft(limbs, shift)
        } else {
            let v = bits >> UInt64(-shift)
            limbs = [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)]
        }
        self.init(isNegative: neg, limbs: limbs)
    }

    static func shiftLeft(_ limbs: [UInt32], _ n: Int) -> [UInt32] {
        let whole = n / 32, bits = n % 32
        var out = [UInt32](repeating: 0, count: whole)
        var carry: UInt32 = 0
        for l in limbs {
            if bits == 0 { out.append(l) } else {
                out.append((l << UInt32(bits)) | carry)
                carry = l >> UInt32(32 - bits)
            }
        }
        if carry != 0 { out.append(carry) }
        return out
    }

    static func compareMagnitude(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for i in a.indices.reversed() where a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        return 0
    }

    /// Orders as the mathematical integers do.
    public static func < (lhs: PyInt, rhs: PyInt) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let c = compareMagnitude(lhs.limbs, rhs.limbs)
        return lhs.isNegative ? c > 0 : c < 0
    }

    /// Exact comparison with a double, as Python's `int == float`.
    public func equals(_ d: Double) -> Bool {
        guard let other = PyInt(exactly: d) else { return false }
        return self == other
    }
}
