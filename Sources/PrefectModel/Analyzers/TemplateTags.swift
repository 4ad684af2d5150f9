/// Jinja and Go template tags (`{{ venv }}`, `{% if x %}`, Helm's `{{- if … }}`) in files that
/// are rendered before anything reads them: Ansible's and envsubst's templates, Helm charts,
/// the commands of Ansible tasks and Taskfiles.
enum TemplateTags {
    /// Whether the text holds a `{{ … }}` tag on one line (a Helm chart template). A CI
    /// expression (`${{ secrets.X }}`) is no tag: the workflow is read as YAML before it is
    /// evaluated, so it must parse as written.
    static func occur(in bytes: [UInt8]) -> Bool {
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x7B, bytes[i + 1] == 0x7B, i == 0 || bytes[i - 1] != 0x24 {
                var k = i + 2
                while k + 1 < bytes.count, bytes[k] != 0x0A {
                    if bytes[k] == 0x7D, bytes[k + 1] == 0x7D { return true }
                    k += 1
                }
            }
            i += 1
        }
        return false
    }

    /// `bytes` with the blanks inside their tags made `_`: `{{ venv }}/bin/prefect` is one word
    /// of a command, as the rendered text's is. Offsets stay the same.
    static func joined(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        var k = 0
        while k + 1 < bytes.count {
            guard bytes[k] == 0x7B, bytes[k + 1] == 0x7B || bytes[k + 1] == 0x25 else {
                k += 1
                continue
            }
            let close: UInt8 = bytes[k + 1] == 0x7B ? 0x7D : 0x25
            var end = k + 2
            while end + 1 < bytes.count, bytes[end] != 0x0A, !(bytes[end] == close && bytes[end + 1] == 0x7D) { end += 1 }
            guard end + 1 < bytes.count, bytes[end] == close else {
                k = end
                continue
            }
            for j in (k + 2)..<end where bytes[j] == 0x20 || bytes[j] == 0x09 { bytes[j] = 0x5F }
            k = end + 2
        }
        return bytes
    }
}
