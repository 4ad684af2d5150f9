/// Prefect 1.4.1's value conversions (prefect/configuration.py and client/secrets.py).
public enum PrefectValueConversion {
    /// `string_to_type(val)`: `TRUE`/`FALSE` in any case (Python `str.upper`) become bools, otherwise
    /// `ast.literal_eval`, otherwise the string itself.
    public static func stringToType(_ value: String) -> PyValue {
        if let known = PrefectDefaultConfig.convertedStrings[value] { return known }
        return convert(value)
    }

    static func convert(_ value: String) -> PyValue {
        let upper = value.uppercased()
        if upper == "TRUE" { return .bool(true) }
        if upper == "FALSE" { return .bool(false) }
        return PythonLiteral.literalEval(value) ?? .str(value)
    }

    /// `interpolate_env_vars(value)`: repeats `expanduser(expandvars(...))` until stable; after
    /// 10 changing rounds the result is `None`. When two or more rounds changed the text, the
    /// settled text goes through `string_to_type` here already. Non-strings and "" pass unchanged.
    public static func interpolateEnvVars(_ value: PyValue, in ctx: PathExpansionContext) -> PyValue {
        guard case .str(var text) = value, !text.isEmpty else { return value }
        // `expandvars` only acts on `$`, `expanduser` only on a leading `~`: most values pass as they are.
        if !text.utf8.contains(0x24), text.utf8.first != 0x7E { return value }
        var counter = 0
        while counter < 10 {
            let next = PathExpansion.expandUser(PathExpansion.expandVars(text, in: ctx), in: ctx)
            if next.unicodeScalars.elementsEqual(text.unicodeScalars) {
                return counter > 1 ? stringToType(next) : .str(next)
            }
            text = next
            counter += 1
        }
        return .none
    }

    /// What happens to an env var value on its way into the flat config (first pass):
    /// `string_to_type(interpolate_env_vars(value))`. Fails the way Prefect's import does when
    /// interpolation already produced a non-string (`'int' object has no attribute 'upper'`).
    public static func firstPassEnvValue(_ value: String, in ctx: PathExpansionContext) -> Result<PyValue, PrefectImportCrash> {
        let interpolated = interpolateEnvVars(.str(value), in: ctx)
        guard case .str(let s) = interpolated else {
            return .failure(PrefectImportCrash(
                exceptionType: "AttributeError",
                message: "'\(interpolated.typeName)' object has no attribute 'upper'",
                stage: .environmentVariables))
        }
        return .success(stringToType(s))
    }

    /// What an env var's text becomes in the config when nothing in it is interpolated: both
    /// passes' `string_to_type`, so one layer of quotes is evaluated away (`"['dev']"` is a list).
    public static func configValue(ofEnvText text: String) -> PyValue {
        let first = stringToType(text)
        if case .str(let s) = first { return stringToType(s) }
        return first
    }

    /// The second pass every flat config value gets: interpolate, then `string_to_type` if still a str.
    public static func secondPass(_ value: PyValue, in ctx: PathExpansionContext) -> PyValue {
        let v = interpolateEnvVars(value, in: ctx)
        if case .str(let s) = v { return stringToType(s) }
        return v
    }

    /// `Secret.get`'s final step: `json.loads(value)`, keeping the value on JSONDecodeError/TypeError.
    public static func secretGetDecode(_ value: PyValue) -> Result<PyValue, PythonJSON.Failure> {
        switch PythonJSON.loads(value) {
        case .success(let v): return .success(v)
        case .failure(.decodeError), .failure(.typeError): return .success(value)
        case .failure(let other): return .failure(other)
        }
    }

    /// `INTERPOLATION_REGEX = \${(.[^${}]*)}`: the first match as (range of the whole match in
    /// UTF-8 bytes, inner text). `$`, `{`, `}` and newline are ASCII: bytes match as code points do.
    static func firstReference(in text: String) -> (Range<Int>, String)? {
        let s = Array(text.utf8)
        var p = 0
        while p + 2 < s.count {
            // `.` is any code point but a newline; a multi-byte one is stepped over whole.
            if s[p] == 0x24, s[p + 1] == 0x7B, s[p + 2] != 0x0A {
                var e = p + 3
                while e < s.count, UTF8.isContinuation(s[e]) { e += 1 }
                while e < s.count, s[e] != 0x24, s[e] != 0x7B, s[e] != 0x7D { e += 1 }
                // `[^${}]*` is greedy and needs a `}` next; backtracking cannot help because
                // shorter runs end on a character that is not `}`.
                if e < s.count, s[e] == 0x7D {
                    return (p..<(e + 1), String(decoding: s[(p + 2)..<e], as: UTF8.self))
                }
            }
            p += 1
        }
        return nil
    }
}
