import PythonSource
import Spans

/// Secrets that cross modules: a task library or helper module references them inside its
/// functions and classes, a flow module imports those (`from flow_utilities.db import
/// get_connection_string`). The model joins the two (``ProjectModel``).
extension PythonFlowFactsBuilder {
    /// The module-level functions and classes whose bodies reference secrets. A function that
    /// calls one defined before it (`load()` calling `connection_string()`) references its
    /// secrets too: the prefilter parses a call of such a helper only once it has seen the
    /// helper, in source order.
    mutating func collectSecretUsingDefinitions() {
        guard !facts.secretReferences.isEmpty else { return }
        // Module-level definitions, by span: a nested def or a method counts for the outermost.
        var definitions: [(name: String, span: ByteSpan, isFunction: Bool)] = []
        for function in module.functions where function.context.function == nil && function.context.classIndex == nil {
            definitions.append((function.name, function.span, true))
        }
        for type in module.classes where type.context.function == nil && type.context.classIndex == nil {
            definitions.append((type.name, type.span, false))
        }
        guard !definitions.isEmpty else { return }
        func definition(containing span: ByteSpan) -> Int? {
            definitions.indices.first { definitions[$0].span.contains(span) }
        }
        var references: [[SecretReference]] = Array(repeating: [], count: definitions.count)
        for reference in facts.secretReferences where !reference.readAtBuildTime {
            if let index = definition(containing: reference.span) { references[index].append(reference) }
        }
        for call in module.calls.sorted(by: { $0.span.start < $1.span.start }) {
            guard case .name(let n) = call.callee, n.resolved == nil, !n.isDotted, let caller = definition(containing: call.span),
                let callee = definitions.indices.first(where: {
                    definitions[$0].isFunction && definitions[$0].name == n.text && definitions[$0].span.end <= call.span.start
                }),
                callee != caller, !references[callee].isEmpty
            else { continue }
            references[caller] += references[callee]
        }
        for (index, found) in references.enumerated() where !found.isEmpty {
            python.secretUsingDefinitions.append(SecretUsingDefinition(name: definitions[index].name, references: found))
        }
    }

    /// In a module with one flow, the names it imports from modules other than Prefect's: the
    /// model looks them up among the project's secret-using definitions.
    mutating func collectImportedNames() {
        guard facts.flows.count == 1 else { return }
        for imported in module.imports {
            guard let name = imported.name, name != "*", imported.module != "prefect", !imported.module.hasPrefix("prefect.") else { continue }
            // The imported name without its alias (`get_conn as conn`).
            let span = ByteSpan(imported.span.start, min(imported.span.end, imported.span.start + name.utf8.count))
            python.importedNames.append(ImportedName(module: imported.module, level: imported.level, name: name, span: span))
        }
    }
}
