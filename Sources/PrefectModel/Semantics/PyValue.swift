/// A Python value as Prefect 1.4.1's config loading and `Secret.get` can produce it.
///
/// `list` and `dict` carry `boxed`: python-box converts values stored in a `Config` into
/// `BoxList` / `Config`, while `json.loads` returns plain `list` / `dict`. The difference shows
/// in type names (and is what a user sees in a traceback), not in behaviour.
public indirect enum PyValue: Sendable, Equatable {
    case none
    case ellipsis
    case bool(Bool)
    case int(PyInt)
    case float(Double)
    case complex(real: Double, imag: Double)
    case str(String)
    case bytes([UInt8])
    case tuple([PyValue])
    case list([PyValue], boxed: Bool)
    case dict(PyDict, boxed: Bool)
    case set([PyValue])
    /// A value of a type the model does not compute with (e.g. a TOML datetime), kept by type name and repr.
    case opaque(typeName: String, repr: String)

    /// Convenience for `.int` from a machine integer.
    public static func int(_ v: Int) -> PyValue { .int(PyInt(v)) }

    /// Python's `type(value).__name__`.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .ellipsis: return "ellipsis"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .complex: return "complex"
        case .str: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list(_, let boxed): return boxed ? "BoxList" : "list"
        case .dict(_, let boxed): return boxed ? "Config" : "dict"
        case .set: return "set"
        case .opaque(let t, _): return t
        }
    }

    /// The string, when this is a `str`.
    public var stringValue: String? { if case .str(let s) = self { return s } else { return nil } }

    /// Whether Python could use the value as a dict key / set element.
    public var isHashable: Bool {
        switch self {
        case .list, .dict, .set: return false
        case .tuple(let items): return items.allSatisfy(\.isHashable)
        default: return true
        }
    }

    /// The value after python-box stored it in a `Config`: dicts become `Config`, lists `BoxList`,
    /// recursively through dicts and lists (not through tuples or sets).
    public var boxed: PyValue {
        switch self {
        case .dict(let d, _): return .dict(PyDict(d.entries.map { ($0.key, $0.value.boxed) }), boxed: true)
        case .list(let l, _): return .list(l.map(\.boxed), boxed: true)
        default: return self
        }
    }

    /// Python `==` (numbers compare across bool/int/float/complex; containers elementwise).
    public func pyEquals(_ other: PyValue) -> Bool {
        if let a = numericParts, let b = other.numericParts {
            return PyValue.numbersEqual(a, b)
        }
        switch (self, other) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.str(let a), .str(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case (.bytes(let a), .bytes(let b)): return a == b
        case (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pyEquals($1) }
        case (.list(let a, _), .list(let b, _)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.pyEquals($1) }
        case (.dict(let a, _), .dict(let b, _)):
            return a.count == b.count && a.entries.allSatisfy { e in b[e.key].map { $0.pyEquals(e.value) } ?? false }
        case (.set(let a), .set(let b)):
            return a.count == b.count && a.allSatisfy { x in b.contains { $0.pyEquals(x) } }
        case (.opaque(let t1, let r1), .opaque(let t2, let r2)): return t1 == t2 && r1 == r2
        default: return false
        }
    }

    enum Numeric { case int(PyInt), float(Double), complex(Double, Double) }

    var numericParts: Numeric? {
        switch self {
        case .bool(let b): return .int(PyInt(b ? 1 : 0))
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .complex(let r, let i): return .complex(r, i)
        default: return nil
        }
    }

    static func numbersEqual(_ a: Numeric, _ b: Numeric) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return x.equals(y)
        case (.float(let x), .float(let y)): return x == y
        case (.complex(let r, let i), .complex(let r2, let i2)): return r == r2 && i == i2
        case (.complex(let r, let i), let other), (let other, .complex(let r, let i)):
            guard i == 0 else { return false }
            return numbersEqual(.float(r), other)
        }
    }
}

/// An insertion-ordered Python dict with Python key equality (so `{1: 'a', 1.0: 'b'}` has one key).
public struct PyDict: Sendable, Equatable {
    /// Entries in insertion order.
    public private(set) var entries: [(key: PyValue, value: PyValue)]

    /// An empty dict.
    public init() { entries = [] }

    /// Builds a dict as `dict(pairs)` does: a repeated key keeps its first position and takes the last value.
    public init(_ pairs: [(PyValue, PyValue)]) {
        entries = []
        for (k, v) in pairs { self[k] = v }
    }

    /// Number of keys.
    public var count: Int { entries.count }
    /// Keys in order.
    public var keys: [PyValue] { entries.map(\.key) }

    /// Looks up or assigns a key (assignment keeps an existing key's position).
    public subscript(key: PyValue) -> PyValue? {
        get { entries.first { $0.key.pyEquals(key) }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key.pyEquals(key) }) {
                if let v = newValue { entries[i].value = v } else { entries.remove(at: i) }
            } else if let v = newValue {
                entries.append((key, v))
            }
        }
    }

    /// String-keyed lookup (only `str` keys can equal a string).
    public subscript(string key: String) -> PyValue? {
        get { index(ofString: key).map { entries[$0].value } }
        set {
            if let i = index(ofString: key) {
                if let v = newValue { entries[i].value = v } else { entries.remove(at: i) }
            } else if let v = newValue {
                entries.append((.str(key), v))
            }
        }
    }

    /// Where the `str` key equal to `key` is. Python compares code points: equal UTF-8 bytes.
    func index(ofString key: String) -> Int? {
        entries.firstIndex { entry in
            guard case .str(let k) = entry.key else { return false }
            return k.utf8.count == key.utf8.count && k.utf8.elementsEqual(key.utf8)
        }
    }

    /// Changes the value under a `str` key in place, adding `absent` first when there is none.
    /// The value is moved out while `change` runs, so that changing a nested dict copies nothing.
    mutating func updateValue<Result>(forString key: String, absent: @autoclosure () -> PyValue, _ change: (inout PyValue) -> Result) -> Result {
        let i: Int
        if let found = index(ofString: key) {
            i = found
        } else {
            entries.append((.str(key), absent()))
            i = entries.count - 1
        }
        var value = entries[i].value
        entries[i].value = .none
        defer { entries[i].value = value }
        return change(&value)
    }

    public static func == (lhs: PyDict, rhs: PyDict) -> Bool {
        lhs.count == rhs.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
