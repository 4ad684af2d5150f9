import CLibYAML

/// Converts libyaml marks (character indexes) to UTF-8 byte offsets.
///
/// libyaml counts one per character (its `SKIP` adds 1 to `mark.index`; a CRLF counts 2), so the
/// byte offset of character `n` is found by walking lead bytes. Marks arrive almost in order, so a
/// cursor that walks forward (or back, for the rare earlier mark) from the last answer makes the
/// whole conversion one pass over the file, with no per-file table.
struct MarkConverter {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// Bytes before libyaml's input (a stripped BOM), added to every answer.
    let origin: Int
    private var character = 0
    private var byte = 0

    init(base: UnsafePointer<UInt8>, count: Int, origin: Int) {
        self.base = base
        self.count = count
        self.origin = origin
    }

    mutating func offset(ofCharacter index: Int) -> Int {
        while character < index {
            guard byte < count else { return origin + count }
            byte += 1
            while byte < count, base[byte] & 0xC0 == 0x80 { byte += 1 }
            character += 1
        }
        while character > index, byte > 0 {
            byte -= 1
            while byte > 0, base[byte] & 0xC0 == 0x80 { byte -= 1 }
            character -= 1
        }
        return origin + byte
    }

    mutating func offset(_ mark: yaml_mark_t) -> Int {
        offset(ofCharacter: Int(clamping: mark.index))
    }
}
