import Testing

@testable import PrefectModel

/// Python value semantics the model relies on: reprs, equality, big ints, hashing.
@Suite struct SemanticsPyValueTests {
    @Test func floatRepr() {
        let cases: [(Double, String)] = [
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (0.0001, "0.0001"), (0.00001, "1e-05"), (-0.0, "-0.0"),
            (.infinity, "inf"), (-.infinity, "-inf"), (.nan, "nan"), (Double.leastNonzeroMagnitude, "5e-324"), (0.1, "0.1"), (1.5e-7, "1.5e-07"),
            (123456789.12345679, "123456789.12345679"), (1e22, "1e+22"), (2.5, "2.5"),
        ]
        for (d, s) in cases { #expect(PyValue.float(d).pyRepr == s) }
    }

    @Test func complexAndStringRepr() {
        #expect(PyValue.complex(real: 1, imag: 2).pyRepr == "(1+2j)")
        #expect(PyValue.complex(real: 0, imag: 1.5).pyRepr == "1.5j")
        #expect(PyValue.complex(real: -0.0, imag: -0.0).pyRepr == "(-0-0j)")
        #expect(PyValue.str("it's").pyRepr == "\"it's\"")
        #expect(PyValue.str("a'b\"c\\\n\u{7}é\u{200B}").pyRepr == "'a\\'b\"c\\\\\\n\\x07é\\u200b'")
        #expect(PyValue.bytes([0, 39, 255]).pyRepr == "b\"\\x00'\\xff\"")
        #expect(PyValue.tuple([.int(1)]).pyRepr == "(1,)")
        #expect(PyValue.set([]).pyRepr == "set()")
    }

    @Test func bigIntegers() {
        let big = PythonLiteral.literalEval("-123456789012345678901234567890")
        #expect(big?.pyRepr == "-123456789012345678901234567890")
        #expect(PythonLiteral.literalEval("0xFFFFFFFFFFFFFFFFFFFF")?.pyRepr == "1208925819614629174706175")
        #expect(PyValue.int(PyInt(exactly: 1e20)!).pyEquals(.float(1e20)))
        #expect(!PyValue.int(PyInt(exactly: 1e20)!).pyEquals(.float(1e20 + 16384)))
        #expect(PyValue.bool(true).pyEquals(.int(1)))
        #expect(PyValue.float(0).pyEquals(.complex(real: 0, imag: 0)))
        #expect(PyInt(12345).int64Value == 12345 && PyInt(digits: "99999999999999999999", radix: 10)?.int64Value == nil)
    }

    @Test func canonicalHashIsSHA256OfCanonicalRepr() {
        // hashlib.sha256(b"str:''").hexdigest()
        #expect(PyValue.str("").canonicalHash == "ccaa6cb4e9b55132d885ffaf431a97a9903f316ced713bc3b680dd6eb6e6036b")
        let v = PyValue.dict(PyDict([(.str("a"), .list([.int(1), .none], boxed: true))]), boxed: true)
        #expect(v.canonicalRepr == "dict{str:'a':list[int:1,None]}")
        #expect(PyValue.set([.int(2), .int(1)]).canonicalRepr == "set{int:1,int:2}")
    }
}
