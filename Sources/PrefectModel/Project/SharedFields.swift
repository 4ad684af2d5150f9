/// A box of fields that the copies of a value share until one of them is written.
public final class SharedFieldsBox<Fields: Sendable>: @unchecked Sendable {
    // Written only through ``SharedFields``, which copies a box that is shared first: a box
    // another copy holds is never mutated, so it may be read from any thread.
    @usableFromInline var fields: Fields
    @usableFromInline init(_ fields: Fields) { self.fields = fields }
}

/// A value type whose fields are one ``SharedFieldsBox``, copied on write and read in place
/// by name (`agent.path`, `agent.runBy?.launcher`): the model's entities, which rules pass
/// around per flow and agent (600 flows run by 600 agents are 360,000 pairs), where copying
/// every field of each cost more than the checks.
@dynamicMemberLookup
public protocol SharedFields {
    associatedtype Fields: Sendable
    var box: SharedFieldsBox<Fields> { get set }
}

extension SharedFields {
    @inlinable public subscript<Value>(dynamicMember keyPath: WritableKeyPath<Fields, Value>) -> Value {
        _read { yield box.fields[keyPath: keyPath] }
        _modify {
            if !isKnownUniquelyReferenced(&box) { box = SharedFieldsBox(box.fields) }
            yield &box.fields[keyPath: keyPath]
        }
    }

    @inlinable public subscript<Value>(dynamicMember keyPath: KeyPath<Fields, Value>) -> Value {
        _read { yield box.fields[keyPath: keyPath] }
    }
}
