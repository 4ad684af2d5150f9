import Foundation
import Spans
import TestSupport
import Testing

@testable import PythonSource

func parse(_ source: String) -> PythonModule { PythonModule.parse(Array(source.utf8)) }

@Suite struct PythonModuleTests {
    /// Every fixture in testdata/python/parser has a `.dump` golden file next to it.
    @Test(arguments: ["imports_and_calls", "flow", "strings", "broken", "statements"])
    func goldenDump(name: String) throws {
        let url = TestPaths.testdata.appendingPathComponent("python/parser/\(name).py")
        let bytes = try [UInt8](Data(contentsOf: url))
        let file = SourceFile(path: "\(name).py", bytes: bytes)
        let dump = PythonModule.parse(bytes).debugDump(file: file)
        let mismatch = snapshotMismatch(dump, path: "testdata/python/parser/\(name).py.dump")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func importAliasesResolveCallees() {
        let module = parse(
            """
            from prefect.tasks.secrets import PrefectSecret as PS
            import prefect.client as pc
            import prefect
            a = PS("X")
            b = pc.Secret("Y").get()
            c = prefect.client.Secret("Z")
            d = unknown("W")
            """)
        #expect(module.imports.map(\.boundName) == ["PS", "pc", "prefect"])
        let resolved = module.calls.map { $0.resolvedName ?? "-" }
        #expect(resolved == ["prefect.tasks.secrets.PrefectSecret", "-", "prefect.client.Secret", "prefect.client.Secret", "-"])
        let chain = module.calls[1]
        #expect(chain.methodName == "get")
        #expect(chain.receiverCall?.resolvedName == "prefect.client.Secret")
        #expect(chain.receiverCall?.positional(0)?.value.stringLiteral?.value?.text == "Y")
        #expect(module.resolve("PS.run") == "prefect.tasks.secrets.PrefectSecret.run")
    }

    /// Names resolve through imports as Python compares identifiers: a name spelled with
    /// other bytes that are canonically the same (decomposed `é`, the Kelvin sign for `K`)
    /// is the bound name, and names no import bound resolve to nothing.
    @Test func importedNamesResolveWhateverBytesSpellThem() {
        let module = parse(
            "from prefect.client import Secret as caf\u{E9}\nfrom prefect.client import Secret as \u{212A}s\n"
                + "a = cafe\u{301}(\"X\")\nb = Ks(\"Y\")\nc = caf(\"Z\")\nd = kS(\"W\")\n")
        #expect(module.calls.map { $0.resolvedName ?? "-" } == ["prefect.client.Secret", "prefect.client.Secret", "-", "-"])
    }

    @Test func argumentSpans() {
        let source = #"f(1, name="X", *a, **k)"#
        let call = parse(source).calls[0]
        #expect(call.span == ByteSpan(0, 23))
        #expect(call.argumentsSpan == ByteSpan(1, 23))
        #expect(call.arguments.map(\.kind) == [.positional, .keyword, .star, .doubleStar])
        #expect(call.arguments.map(\.span) == [ByteSpan(2, 3), ByteSpan(5, 13), ByteSpan(15, 17), ByteSpan(19, 22)])
        #expect(call.keyword("name")?.keywordSpan == ByteSpan(5, 9))
        #expect(call.keyword("name")?.value.stringLiteral?.span == ByteSpan(10, 13))
    }

    @Test func contextOfNodes() {
        let module = parse(
            """
            x = S("module")
            def f():
                y = S("function")
                with Flow("a") as flow:
                    z = S("with-in-function")
            with Flow("b") as flow:
                w = S("with")
            class C:
                v = S("class")
            """)
        let contexts = module.calls.filter { $0.calleeName == "S" }.map { call -> String in
            let value = call.positional(0)?.value.stringLiteral?.value?.text ?? "?"
            return "\(value):\(call.context.isModuleLevel ? "module" : "function"):\(call.context.withBlock.map(String.init) ?? "-")"
        }
        #expect(contexts == ["module:module:-", "function:function:-", "with-in-function:function:0", "with:module:1", "class:module:-"])
        #expect(module.functions[0].bodySpan.start == Array("x = S(\"module\")\ndef f():\n    ".utf8).count)
    }

    @Test func assignmentForms() {
        let module = parse("a, b = c = 1\nx: int = 2\nn += 3\nself.k = 'v'\nd['k'] = 4\n")
        #expect(module.assignments.map(\.op) == ["=", ":", "+=", "=", "="])
        #expect(module.assignments[0].targetNames.map(\.text) == ["a", "b", "c"])
        #expect(module.assignments[1].annotation?.dottedName?.text == "int")
        #expect(module.assignments[3].targetNames.map(\.text) == ["self.k"])
        if case .subscript = module.assignments[4].targets[0] {} else { Issue.record("subscript target expected") }
    }

    @Test func dictLiteralsWithSpans() {
        let module = parse(#"env = {"A": "x", 'B': f"{y}", **rest}"#)
        let dict = module.dicts[0]
        #expect(dict.span == ByteSpan(6, 37))
        #expect(dict.entries.count == 3)
        #expect(dict.entries[0].key?.stringLiteral?.value?.text == "A")
        #expect(dict.entries[0].span == ByteSpan(7, 15))
        #expect(dict.entries[1].value.stringLiteral?.isFString == true)
        #expect(dict.entries[2].key == nil)
    }

    @Test func stringsInCommentsAndDocstringsAreNotCalls() {
        let module = parse("# PrefectSecret('A')\n'''PrefectSecret(\"B\")'''\nf'{Secret(\"C\")}'\n")
        #expect(module.calls.map(\.calleeName) == ["Secret"])
    }

    @Test func deepNestingDoesNotOverflowTheStack() {
        let deep = String(repeating: "(", count: 20000) + "x" + String(repeating: ")", count: 20000) + "\n"
        #expect(parse("a = " + deep).assignments.count == 1)
        let callCount = parse(String(repeating: "f(", count: 5000)).calls.count
        #expect(callCount > 0 && callCount <= 200)
        var blocks = ""
        for level in 0..<300 { blocks += String(repeating: " ", count: level) + "if x:\n" }
        blocks += String(repeating: " ", count: 300) + "y = S('deep')\nz = 1\n"
        let module = parse(blocks)
        #expect(module.assignments.last?.targetNames.first?.text == "z")
    }

    /// `a + b + …` with no other operator keeps its operands; any other operator, or a sign
    /// before an operand, makes the expression "other".
    @Test func sumsKeepTheirOperands() {
        let module = parse("a = x + 'y' + f(1)\nb = x + y * z\nc = -x + y\nd = x + -y\ne = x - y\ng = x + y if c else z\n")
        guard case .sum(let operands, let span)? = module.assignments[0].value else {
            Issue.record("a sum expected, got \(String(describing: module.assignments[0].value))")
            return
        }
        #expect(operands.map(\.span) == [ByteSpan(4, 5), ByteSpan(8, 11), ByteSpan(14, 18)])
        #expect(span == ByteSpan(4, 18))
        #expect(operands[2].span == module.calls[0].span, "a call among the operands is still a call of the module")
        for assignment in module.assignments.dropFirst() {
            if case .other? = assignment.value {} else { Issue.record("other expected at \(assignment.span)") }
        }
    }

    @Test func compoundOperatorsKeepReadingTheRightOperand() {
        let module = parse("a = x not in (f(1), g(2))\nb = y is not h(3)\n")
        #expect(module.calls.compactMap(\.calleeName) == ["f", "g", "h"])
    }

    @Test func casePatternsAreNotCallsButGuardsAre() {
        let module = parse(
            """
            match v:
                case Point(x=0) | {"k": Point()} if check(v):
                    run()
            """)
        #expect(module.calls.compactMap(\.calleeName) == ["check", "run"])
        #expect(module.dicts.isEmpty)
    }

    /// A body the caller does not need is stepped over whole: its function keeps the spans a
    /// full parse gives, nothing inside it is listed, and what follows parses as before.
    @Test func skippedFunctionBodiesKeepTheirSpans() {
        let source = """
            import os
            def outer(a, b=make()):
                x = call_one(a)
                def inner():
                    return call_two({"k": 1})
                with open(a) as f:
                    pass
                return inner  # last

            class C:
                def method(self):
                    return call_three()

            after = call_four()

            """
        let bytes = Array(source.utf8)
        let full = PythonModule.parse(bytes)
        var asked: [String] = []
        let skipped = PythonModule.parse(tokens: PythonTokenizer.tokenize(bytes), of: bytes) { span in
            let text = String(decoding: bytes[span.range], as: UTF8.self)
            asked.append(text)
            return text.hasPrefix("def outer")
        }
        #expect(asked.count == 5, "a module-level statement, two def headers, two bodies")
        #expect(asked[0] == "import os", "assignments to plain names are always read")
        #expect(asked[1] == "def outer(a, b=make()):")
        #expect(asked[2].hasPrefix("x = call_one(a)") && asked[2].contains("return inner"))
        #expect(asked[3] == "def method(self):")
        #expect(skipped.imports.isEmpty && full.imports.count == 1)
        #expect(full.calls.compactMap(\.calleeName) == ["make", "call_one", "call_two", "open", "call_three", "call_four"])
        #expect(skipped.calls.compactMap(\.calleeName) == ["make", "call_four"])
        #expect(skipped.functions.map(\.name) == ["outer", "method"])
        #expect(skipped.functions.map(\.parameters.count) == [2, 0], "a header not needed keeps no parameters")
        #expect(skipped.dicts.isEmpty && skipped.withBlocks.isEmpty)
        #expect(skipped.classes.map(\.bodySpan) == full.classes.map(\.bodySpan))
        for function in skipped.functions {
            let twin = full.functions.first { $0.name == function.name }
            #expect(function.span == twin?.span && function.bodySpan == twin?.bodySpan, "\(function.name)")
        }
        #expect(skipped.assignments.map(\.span) == full.assignments.filter { $0.context.function == nil }.map(\.span))
    }

    /// A decorator the caller does not need is stepped over; the function keeps its span.
    @Test func skippedDecoratorsKeepTheFunctionSpan() {
        let bytes = Array("@dec(one())\n@keep(two())\ndef f():\n    return 1\n".utf8)
        let full = PythonModule.parse(bytes)
        let skipped = PythonModule.parse(tokens: PythonTokenizer.tokenize(bytes), of: bytes) { span in
            String(decoding: bytes[span.range], as: UTF8.self).contains("keep") || String(decoding: bytes[span.range], as: UTF8.self).hasPrefix("return")
        }
        #expect(full.functions.first?.decorators.count == 2)
        #expect(skipped.functions.first?.decorators.count == 1)
        #expect(skipped.calls.compactMap(\.calleeName) == ["keep", "two"])
        #expect(skipped.functions.first?.span == full.functions.first?.span)
        #expect(skipped.functions.first?.bodySpan == full.functions.first?.bodySpan)
    }
}
