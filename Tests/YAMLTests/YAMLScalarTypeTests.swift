import Testing
import YAML

struct YAMLScalarTypeTests {
    func type(_ text: String, _ schema: YAMLSchema) throws -> YAMLScalarType? {
        try YAMLStream.parse(Array("v: \(text)\n".utf8)).documents.first?.root["v"]?.resolvedScalarType(schema: schema)
    }

    // Expected values for .yaml11 agree with PyYAML 6.0 (`yaml.safe_load`), except `! 42`: the
    // non-specific tag means a string (YAML spec, go-yaml); PyYAML resolves it like an untagged scalar.
    @Test(arguments: [
        ("yes", YAMLScalarType.bool, YAMLScalarType.string), ("On", .bool, .string), ("OFF", .bool, .string),
        ("no", .bool, .string), ("y", .string, .string), ("n", .string, .string),
        ("true", .bool, .bool), ("False", .bool, .bool), ("tRue", .string, .string),
        ("~", .null, .null), ("null", .null, .null), ("", .null, .null), ("nil", .string, .string),
        ("42", .int, .int), ("-7", .int, .int), ("0755", .int, .int), ("0o17", .string, .int),
        ("0x1F", .int, .int), ("1_000", .int, .string), ("0b101", .int, .string), ("1:30", .int, .string),
        ("1.5", .float, .float), ("1e3", .string, .float), ("1.0e+3", .float, .float), (".inf", .float, .float),
        ("-.Inf", .float, .float), (".NaN", .float, .float), ("1.2.3", .string, .string),
        ("2001-12-14", .timestamp, .string), ("2001-12-14t21:59:43.10-05:00", .timestamp, .string),
        ("'yes'", .string, .string), ("\"42\"", .string, .string), ("!!str 42", .string, .string),
        ("!!int '42'", .int, .int), ("! 42", .string, .string), ("!Ref x", .string, .string),
        ("|\n  yes", .string, .string), ("hello", .string, .string),
    ])
    func resolves(_ example: (String, YAMLScalarType, YAMLScalarType)) throws {
        #expect(try type(example.0, .yaml11) == example.1, "yaml11: \(example.0)")
        #expect(try type(example.0, .core12) == example.2, "core12: \(example.0)")
        let node = try YAMLStream.parse(Array("v: \(example.0)\n".utf8)).documents.first?.root["v"]
        #expect(node?.isNull == (example.1 == .null), "isNull: \(example.0)")
    }

    @Test func collectionsHaveNoScalarType() throws {
        let root = try #require(try YAMLStream.parse(Array("a: [1]\nb: &x yes\nc: *x\n".utf8)).documents.first?.root)
        #expect(root["a"]?.resolvedScalarType() == nil)
        #expect(root["c"]?.resolvedScalarType() == .bool)
    }
}
