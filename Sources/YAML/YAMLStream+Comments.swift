import Spans

/// Finds `#` comments: a `#` at a line start or after a space or tab, outside quoted scalars and
/// block scalar bodies (plain scalars cannot hold such a `#`: it ends them). `skipping` is sorted.
func scanComments(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, skipping: [ByteSpan]) -> [YAMLComment] {
    var comments: [YAMLComment] = []
    var skip = 0
    var i = start
    let n = bytes.count
    while i < n {
        guard bytes[i] == 0x23 else {
            i += 1
            continue
        }
        let previous = i > start ? bytes[i - 1] : 0x0A
        guard previous == 0x20 || previous == 0x09 || previous == 0x0A || previous == 0x0D else {
            i += 1
            continue
        }
        while skip < skipping.count, skipping[skip].end <= i { skip += 1 }
        if skip < skipping.count, skipping[skip].start <= i {
            i = skipping[skip].end
            continue
        }
        var end = i
        while end < n, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        comments.append(
            YAMLComment(
                span: ByteSpan(i, end),
                text: String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)))
        i = end
    }
    return comments
}
