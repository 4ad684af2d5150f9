import PrefectModel
import Testing

@Suite struct FileKindTests {
    @Test(arguments: [
        ("flows/etl.py", FileKind.python), ("a/B.YML", .yaml), ("start.sh", .shell), (".env", .dotenv),
        (".env.prod", .dotenv), ("deploy/agent.service", .systemd), ("Dockerfile", .dockerfile),
        ("x/api.Dockerfile", .dockerfile), ("Makefile", .makefile), ("Procfile.web", .procfile),
        ("..py", .text), ("a..py", .python), ("a.py.", .python), ("noext", .text), ("dir/.py", .text),
        ("deploy/supervisord.conf", .supervisord), ("etc/supervisor-agent.conf", .supervisord), ("build.mak", .makefile),
        ("crontab", .crontab), ("deploy/lab.cron", .crontab), ("etc/cron.d/agent", .crontab), ("cron.d", .text),
        ("Jenkinsfile", .jenkinsfile), ("ci/Jenkinsfile.deploy", .jenkinsfile), ("ci/release.jenkinsfile", .jenkinsfile), ("jenkins.groovy", .text),
        (".envrc", .shell), ("deploy/.envrc", .shell), (".envrc.bak", .text),
        ("justfile", .makefile), ("Justfile", .makefile), (".justfile", .makefile), ("deploy/agent.just", .makefile), ("justfile.md", .markdown),
        // Templates are what they render into, when a template's syntax leaves that readable.
        ("roles/agent/templates/prefect-agent.service.j2", .systemd), ("templates/agent.env.j2", .dotenv), ("start-agent.sh.tmpl", .shell),
        ("Dockerfile.j2", .dockerfile), ("crontab.jinja2", .crontab), ("supervisord.conf.tpl", .supervisord), (".env.template", .dotenv),
        ("k8s/agent.yaml.j2", .text), ("config.toml.j2", .text), ("flow.py.j2", .text), ("templates/_helpers.tpl", .text), (".j2", .text),
    ])
    func classifiesByName(path: String, kind: FileKind) {
        #expect(FileKind.classify(path: path, prefix: []) == kind)
    }

    /// `prefect agent local install` writes about a kilobyte of comments before `[program:`;
    /// the Scanner passes the first 4 KiB.
    @Test func supervisordConfAfterLongComments() {
        let text = String(repeating: "; a comment line of the kind supervisord's sample has\n", count: 24) + "[program:prefect-agent]\n"
        #expect(text.utf8.count > 1024)
        #expect(FileKind.classify(path: "agent.conf", prefix: Array(text.utf8)[...]) == .supervisord)
        #expect(FileKind.classify(path: "agent.conf", prefix: []) == .text)
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
