import FlowDSL
import Foundation
import Testing

/// Loads an app from in-memory files with the standard registry.
func load(_ files: [String: String], registry: ElementRegistry = .standard) -> AppLoadResult {
    AppLoader(registry: registry).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
}

/// The diagnostics of loading `files`, as printed by `botcli check`.
func problems(_ files: [String: String]) -> [String] {
    load(files).diagnostics.map(\.description)
}

@Suite("App loading")
struct AppLoadingTests {
    @Test("ids come from paths, `id:` overrides, multi-document files need ids")
    func ids() throws {
        let result = load([
            "flow/twilio/flex/start_chat.yaml": "steps:\n  - say: hi\n",
            "flow/custom.yml": "id: flow.renamed\nsteps:\n  - end\n",
            "flow/status.yaml": "id: flow.a\nsteps:\n  - say: a\n---\nid: flow.b\nsteps:\n  - say: b\n",
            "integration/twilio/flex.yaml": "type: meya.bot.element\nname: Not really an integration\n",
        ])
        let app = try #require(result.app, "\(result.diagnostics)")
        #expect(Set(app.flows.keys) == ["flow.twilio.flex.start_chat", "flow.renamed", "flow.a", "flow.b"])
        #expect(app.bot?.id == "integration.twilio.flex")
    }

    @Test("files are found on disk with Meya's rules, and .gitignore / .meyaignore are honoured")
    func discovery() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-discovery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "flow/a.yaml": "steps:\n  - say: a\n",
            "flow/deep/b.yml": "steps:\n  - say: b\n",
            "flow/.hidden.yaml": "not: an element\n",
            ".parley/state.yaml": "not: an element\n",
            "config.yaml": "greeting: hi\n",
            "config.prod.yaml": "not: an element\n",
            "vault.yaml": "twilio.sid: xxx\n",
            "vault.secret.yaml": "twilio.sid: real\n",
            "tests/pre_chat.yaml": "- not an element\n",
            "scratch/notes.yaml": "not: an element\n",
            "drafts/c.yaml": "not: an element\n",
            "drafts/keep.yaml": "steps:\n  - say: kept\n",
            "flow/readme.txt": "not yaml",
            ".gitignore": "vault.secret.yaml\n/scratch/\n",
            ".meyaignore": "# drafts, but one\ndrafts/*.yaml\n!drafts/keep.yaml\n",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let appFiles = try AppFiles(root: root)
        #expect(appFiles.elementFiles == ["drafts/keep.yaml", "flow/a.yaml", "flow/deep/b.yml"])
        let app = try #require(AppLoader().load(root).app)
        #expect(Array(app.flows.keys) == ["drafts.keep", "flow.a", "flow.deep.b"])
        #expect(app.config == .map(["greeting": .string("hi")]))
        #expect(Array(app.vaultKeys.keys) == ["twilio.sid"])
    }

    @Test("labels, triggers and steps are indexed; `start` means step 0")
    func flowStructure() throws {
        let app = try #require(load(["flow/f.yaml": """
            triggers:
              - keyword: go
              - regex: ^order (?P<n>\\d+)$
                action:
                  jump: lookup
            steps:
              - say: hi
              - (lookup)
              - (done check)
              - say: looking
              - jump: start
            """]).app)
        let flow = try #require(app.flows["flow.f"])
        #expect(flow.triggers.map(\.type) == ["meya.text.trigger.keyword", "meya.text.trigger.regex"])
        #expect(flow.index(ofLabel: "lookup") == 1)
        #expect(flow.index(ofLabel: "done check") == 2)
        #expect(flow.index(ofLabel: "start") == 0)
        #expect(app.summary == BotApp.Summary(flows: 1, triggers: 2, steps: 3, integrations: 0))
        // A trigger action `{jump: L}` becomes a call of this flow at label L (spec §3.1).
        let action = try #require(flow.triggers[1]["action"]?.element)
        #expect(action.type == "meya.flow.component")
        #expect(action["flow"]?.constantText == "flow.f")
        #expect(action["jump"]?.constantText == "lookup")
        #expect(action.id == "flow.f.triggers.1.action")
    }

    @Test("config.yaml is the config scope and its values keep their YAML types")
    func configScope() throws {
        let app = try #require(load([
            "config.yaml": "hours: 9\nopen: true\nname: Parley\nrate: 1.5\nnothing: ~\nlist: [a, 1]\n",
            "flow/a.yaml": "steps:\n  - end\n",
        ]).app)
        #expect(app.config == .map([
            "hours": .int(9), "open": .bool(true), "name": .string("Parley"), "rate": .double(1.5),
            "nothing": .none, "list": .list([.string("a"), .int(1)]),
        ]))
    }

    @Test("an empty app is valid and empty")
    func emptyApp() throws {
        let app = try #require(load([:]).app)
        #expect(app.summary == BotApp.Summary(flows: 0, triggers: 0, steps: 0, integrations: 0))
    }
}
