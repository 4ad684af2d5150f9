import Spans
import Testing

@testable import PrefectModel

/// Jenkinsfiles: the env of `environment` blocks, `withEnv` and `env.NAME =`, where each
/// applies, and the `sh` steps read as shell scripts in that env.
@Suite struct JenkinsfileAnalyzerTests {
    static func facts(_ text: String) -> (SourceFile, FileFacts) {
        let file = SourceFile(path: "Jenkinsfile", text: text)
        return (file, JenkinsfileAnalyzer().analyze(file, kind: .jenkinsfile).facts)
    }

    static func text(_ span: ByteSpan?, in file: SourceFile) -> String? {
        span.map { String(decoding: file.bytes[$0.range], as: UTF8.self) }
    }

    /// Each value's origin and exact spans: single quotes are literal, `credentials(…)` and an
    /// interpolating double-quoted string are references, another expression is unknown.
    @Test func environmentValuesAndTheirSpans() {
        let (file, facts) = Self.facts(
            """
            pipeline {
                environment {
                    A = 'lit$eral'
                    B = credentials('b-id')
                    C = "${env.C_SOURCE}"
                    D = "plain \\"quoted\\""
                    E = sh(script: 'cat e', returnStdout: true).trim()
                }
            }

            """)
        let env = facts.envAssignments
        #expect(env.map(\.name) == ["A", "B", "C", "D", "E"])
        #expect(env.map(\.origin) == [.literal, .reference, .reference, .literal, .unknown])
        #expect(env.map(\.context) == Array(repeating: .ciEnv, count: 5))
        #expect(env.map { Self.text($0.nameSpan, in: file) } == ["A", "B", "C", "D", "E"])
        #expect(env[0].value == "lit$eral" && Self.text(env[0].valueSpan, in: file) == "lit$eral")
        #expect(env[3].value == "plain \"quoted\"" && Self.text(env[3].valueSpan, in: file) == "plain \\\"quoted\\\"")
        #expect(Self.text(env[1].valueSpan, in: file) == "credentials('b-id')")
    }

    /// A step runs with the pipeline's env, its own stage's (not another's), `withEnv`'s
    /// inside its block only, and `env.NAME =` set before it.
    @Test func stepsRunWithTheEnvInEffectThere() {
        let (_, facts) = Self.facts(
            """
            pipeline {
                agent any
                environment { PREFECT__BACKEND = 'server' }
                stages {
                    stage('one') {
                        environment {
                            ONE = '1'
                        }
                        steps {
                            withEnv(['INNER=1']) {
                                sh 'prefect agent local start -l inner'
                            }
                            sh "prefect agent local start -l one"
                        }
                    }
                    stage('two') {
                        steps {
                            script { env.LATER = 'x' }
                            sh(script: '''
                                export OWN=1
                                prefect agent local start -l two
                            ''', returnStdout: true)
                            sh label: 'named', script: 'prefect agent local start -l named'
                            // sh 'prefect agent local start -l commented'
                            x.sh 'prefect agent local start -l member'
                        }
                    }
                }
            }

            """)
        let agents = facts.agents.map { agent in "\(agent.labels.joined(separator: ",")): \(agent.processEnv.map(\.name).joined(separator: ","))" }
        #expect(
            agents == [
                "inner: PREFECT__BACKEND,ONE,INNER",
                "one: PREFECT__BACKEND,ONE",
                "two: PREFECT__BACKEND,LATER,OWN",
                "named: PREFECT__BACKEND,LATER",
            ])
        #expect(facts.agents.allSatisfy { $0.backend == "server" })
    }

    /// `prefect register` in a step gives the registration its labels, `$NAME` ones from the
    /// env in effect; the step's escapes are decoded as Groovy does (`\$` is the shell's
    /// `$`), with spans in the file.
    @Test func registrationsAndEscapes() {
        let (file, facts) = Self.facts(
            """
            node {
                withEnv(['EXTRA=blue']) {
                    sh "prefect register --project etl -p flows/ --label prod --label \\$EXTRA --label \\$OTHER"
                }
            }

            """)
        #expect(facts.registrations.count == 1)
        #expect(facts.registrations.first?.labels.known == ["prod", "blue"])
        #expect(facts.registrations.first?.labels.unknown == ["$OTHER"])
        #expect(facts.registrations.first.map { Self.text($0.span, in: file)?.hasPrefix("prefect register") } == true)
    }

    /// `withCredentials` bindings set their variables inside the block, from the credential.
    @Test func credentialBindings() {
        let (file, facts) = Self.facts(
            """
            node {
                withCredentials([string(credentialsId: 'prefect-key', variable: 'PREFECT__CLOUD__API_KEY'),
                                 usernamePassword(credentialsId: 'db', usernameVariable: 'DB_USER', passwordVariable: 'PREFECT__CONTEXT__SECRETS__DB_PASSWORD')]) {
                    sh 'prefect agent local start -l creds'
                }
                sh 'prefect agent local start -l outside'
            }

            """)
        #expect(facts.envAssignments.map(\.name) == ["PREFECT__CLOUD__API_KEY", "DB_USER", "PREFECT__CONTEXT__SECRETS__DB_PASSWORD"])
        #expect(facts.envAssignments.allSatisfy { $0.origin == .reference })
        #expect(facts.envAssignments.map(\.value) == ["credentials('prefect-key')", "credentials('db')", "credentials('db')"])
        #expect(facts.envAssignments.map { Self.text($0.valueSpan, in: file) } == ["prefect-key", "db", "db"])
        #expect(facts.provisions.map(\.name) == ["DB_PASSWORD"])
        #expect(facts.agents.map { $0.processEnv.count } == [3, 0])

        // An empty variable name binds nothing, whichever key gives it.
        let (_, empty) = Self.facts(
            "withCredentials([usernamePassword(credentialsId: 'db', usernameVariable: '', passwordVariable: 'DB_PASSWORD'), string(credentialsId: 'k', variable: '')]) { sh 'true' }\n")
        #expect(empty.envAssignments.map(\.name) == ["DB_PASSWORD"])
    }

    /// Broken text (unclosed strings, braces and comments) gives what it can and no crash.
    @Test func brokenPipelines() {
        for text in ["pipeline { environment { A = 'x", "sh '''never closed", "/* open comment", "}}}{{{", "sh(script:", "withEnv(['A=1'", "env.", "env.A ="] {
            _ = Self.facts(text)
        }
        let (_, facts) = Self.facts("pipeline {\n  environment {\n    A = 'closed'\n    B = 'open\n  }\n")
        #expect(facts.envAssignments.map(\.name) == ["A", "B"])
    }
}
