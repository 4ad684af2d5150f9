/// The rules embedded in the binary: the text of every `rules/*.toml` file, kept in
/// `BundledRules+Generated.swift` so an installed binary needs no files beside it.
/// `GeneratedFilesTests` fails when that file is stale (`UPDATE_GENERATED=1 swift test`).
public enum BundledRules {
    /// Parses and validates every bundled rule file.
    public static func load() throws(RuleFile.LoadError) -> [RuleFile] {
        var rules: [RuleFile] = []
        for file in files {
            rules.append(try RuleFile.load(path: file.path, bytes: Array(file.text.utf8)))
        }
        return rules
    }

    /// The Swift source of the generated bundle for these rule files (path, text), sorted by path.
    public static func generatedSource(for files: [(path: String, text: String)]) -> String {
        var out = """
            // GENERATED from rules/*.toml by `UPDATE_GENERATED=1 swift test --filter GeneratedFilesTests`.
            // Do not edit: change the rule files and regenerate.

            extension BundledRules {
                static let files: [(path: String, text: String)] = [

            """
        for file in files.sorted(by: { $0.path < $1.path }) {
            var hashes = "#"
            while file.text.contains("\"\"\"" + hashes) { hashes += "#" }
            out += "(\(hashes)\"\(file.path)\"\(hashes), \(hashes)\"\"\"\n\(file.text)\n\"\"\"\(hashes)),\n"
        }
        out += "    ]\n}\n"
        return out
    }
}
