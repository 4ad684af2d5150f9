import PrefectModel
import Rules
import Spans
import Testing

/// Project rules on synthetic models; the fixture projects in testdata/projects/ cover them
/// end to end.
@Suite struct ModelRulesTests {
    static let catalogue = RuleCatalogue((try? BundledRules.load().map(\.description)) ?? [])

    static func agentFile(_ index: Int) -> FileFactsEntry {
        var facts = FileFacts()
        facts.agents = [Agent(type: .docker, labels: ["team-\(index)"], span: ByteSpan(0, 1))]
        return FileFactsEntry(path: "agents/start-\(index).sh", kind: .shell, facts: facts)
    }

    static func flowFile() -> FileFactsEntry {
        var facts = FileFacts()
        facts.flows = [Flow(name: "etl", span: ByteSpan(0, 1), labels: ["etl"], runConfigType: "DockerRun", storageType: "GitHub")]
        return FileFactsEntry(path: "flows/etl.py", kind: .python, facts: facts)
    }

    static func flowWithoutAgentMessages(agents: Int) -> [String] {
        let model = ProjectModel(files: [flowFile()] + (0..<agents).map(agentFile))
        var sink = FindingSink(catalogue: catalogue)
        FlowWithoutAgentRule().check(model, settings: RuleSettings(), into: &sink)
        return sink.findings.map(\.message)
    }

    /// The message names the agents that cannot run the flow, but only the first few: in a
    /// project with a thousand agents it would otherwise run to tens of kilobytes.
    @Test func flowWithoutAgentListsAFewAgents() {
        let few = Self.flowWithoutAgentMessages(agents: 3)
        #expect(few.count == 1)
        #expect(few.first?.contains("start-2.sh") == true)
        #expect(few.first?.contains("more agents") == false)

        let many = Self.flowWithoutAgentMessages(agents: 1000)
        #expect(many.count == 1)
        let message = many.first ?? ""
        #expect(message.contains("start-0.sh") && message.contains("start-2.sh") && !message.contains("start-3.sh"))
        #expect(message.contains("and 997 more agents"))
        #expect(message.utf8.count < 600)
    }
}
