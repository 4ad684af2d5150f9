import PrefectModel
import Testing

@Suite struct FileKindTests {
    @Test(arguments: [
        ("flows/etl.py", FileKind.python), ("a/B.YML", .yaml), ("start.sh", .shell), (".env", .dotenv),
        (".env.prod", .dotenv), ("deploy/agent.service", .systemd), ("Dockerfile", .dockerfile),
        ("x/api.Dockerfile", .dockerfile), ("Makefile", .makefile), ("Procfile.web", .procfile),
        ("..py", .text), ("a..py", .python), ("a.py.", .python), ("noext", .text), ("dir/.py", .text),
    ])
    func classifiesByName(path: String, kind: FileKind) {
        #expect(FileKind.classify(path: path, prefix: []) == kind)
    }

    /// The extension is the last part of `name.split(separator: ".")` when there are two or
    /// more, for every name made of a few letters, dots and slashes (ASCII names take a byte
    /// path, the others a `Character` one).
    @Test func extensionAgreesWithSplit() {
        // Upper case, a non-ASCII letter, and the Kelvin sign, which lower-cases to `k`.
        let alphabet: [Character] = ["p", "Y", ".", "/", "s", "h", "\u{E9}", "\u{212A}"]
        var names = [""]
        for _ in 0..<5 { names = names.flatMap { name in alphabet.map { name + String($0) } } + names }
        for path in Set(names) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let parts = name.lowercased().split(separator: ".")
            let ext = parts.count > 1 ? String(parts.last ?? "") : ""
            let expected: FileKind = ext == "py" ? .python : ext == "sh" || ext == "ksh" ? .shell : .text
            #expect(FileKind.classify(path: path, prefix: []) == expected, "\(path)")
        }
    }
}
