import FlowDSL
import Testing

/// The type a one-step flow's step resolves to.
func stepType(_ yaml: String) -> String? {
    let result = load(["flow/f.yaml": "steps:\n" + yaml.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"])
    guard let flow = result.app?.flows["flow.f"], case .component(let element)? = flow.steps.first else { return nil }
    return element.type
}

/// The type a one-trigger flow's trigger resolves to.
func triggerType(_ yaml: String) -> String? {
    let indented = yaml.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    return load(["flow/f.yaml": "triggers:\n\(indented)\nsteps:\n  - (target)\n  - end\n"]).app?.flows["flow.f"]?.triggers.first?.type
}

@Suite("Shorthand resolution by signature keys (spec §2)")
struct ShorthandTests {
    @Test("every built-in step kind", arguments: [
        ("- say: Hello", "meya.text.component.say"),
        ("- ask: Name?", "meya.text.component.ask"),
        ("- ask: Pick\n  buttons: [A, B]", "meya.button.component.ask"),
        ("- ask: Code?\n  regex: ^\\d{4}$", "meya.text.component.ask_regex"),
        ("- ask: Email?\n  expect: email_address", "meya.email.component.address.ask"),
        ("- ask: Photo?\n  expect: image", "meya.image.component.ask"),
        ("- ask_form: Name?\n  placeholder: Ana", "meya.text.component.ask.form"),
        ("- ask_form: Email?\n  expect: email_address", "meya.email.component.address.ask.form"),
        ("- buttons:\n    - text: A\n      result: a", "meya.button.component.ask"),
        ("- quick_replies: [Yes, No]", "meya.button.component.quick_replies"),
        ("- say: Hi\n  quick_replies: [Yes, No]", "meya.text.component.say"),
        ("- flow: flow.f\n  data: {a: 1}", "meya.flow.component"),
        ("- flow: flow.f\n  jump: target", "meya.flow.component"),
        ("- flow: flow.f\n  transfer: true", "meya.flow.component"),
        ("- jump: target", "meya.flow.component.jump"),
        ("- if: (@ user.vip )\n  then: next\n  else:\n    jump: target", "meya.flow.component.if"),
        ("- value: (@ flow.result )\n  case:\n    yes: next\n  default: end", "meya.flow.component.case"),
        ("- cond:\n    - (@ flow.n > 1 ): next\n  default: end", "meya.flow.component.cond"),
        ("- value: (@ flow.result )\n  match:\n    ^a.*$: next", "meya.flow.component.match"),
        ("- random:\n    - say: a\n    - say: b", "meya.flow.component.random"),
        ("- end", "meya.flow.component.end"),
        ("- end:\n    result: 1", "meya.flow.component.end"),
        ("- next", "meya.flow.component.next"),
        ("- flow_set: name", "meya.flow.component.set"),
        ("- flow_set:\n    a: 1", "meya.flow.component.set"),
        ("- user_set: name", "meya.user.component.set"),
        ("- thread_set:\n    topic: x", "meya.thread.component.set"),
        ("- status: Waiting", "meya.text.component.status"),
        ("- delay: 2", "meya.time.component.delay"),
        ("- typing: on", "meya.presence.component.typing"),
        ("- note: For agents", "meya.csp.component.note"),
        ("- mode: agent", "meya.thread.component.config.mode"),
        ("- event_user_id: (@ flow.event.data.user_id )\n  scope: flow", "meya.event.component.config.event_user_id"),
        ("- type: meya.text.component.say\n  say: typed", "meya.text.component.say"),
        ("- type: meya.flow.component.jump\n  jump: target", "meya.flow.component.jump"),
        ("- meya.flow.component.end", "meya.flow.component.end"),
    ] as [(String, String)])
    func steps(yaml: String, type: String) {
        // Every case lives in a flow with a `(target)` label so jumps resolve.
        let withLabel = yaml + "\n- (target)"
        #expect(stepType(withLabel) == type, "\(yaml)")
    }

    @Test("every built-in trigger kind", arguments: [
        ("- keyword: hi", "meya.text.trigger.keyword"),
        ("- keyword: hi\n  ignorecase: false", "meya.text.trigger.keyword"),
        ("- regex: ^hi (?P<name>\\w+)$", "meya.text.trigger.regex"),
        ("- catchall", "meya.text.trigger.catchall"),
        ("- page_open", "meya.session.trigger.page.open"),
        ("- type: page_open\n  when: true", "meya.session.trigger.page.open"),
        ("- chat_open", "meya.session.trigger.chat.open"),
        ("- chat_close", "meya.session.trigger.chat.close"),
        ("- event_type: meya.session.event.page.open", "meya.event.trigger.type"),
        ("- agent_command: verify", "meya.csp.trigger.agent.command"),
        ("- button_id: menu.help", "meya.button.trigger"),
        ("- lifecycle_id: welcome", "meya.lifecycle.trigger"),
        ("- keyword: x\n  when: (@ thread.mode == 'agent' )\n  confidence: 0.5\n  action:\n    jump: target", "meya.text.trigger.keyword"),
        ("- keyword: x\n  action:\n    data:\n      a: 1", "meya.text.trigger.keyword"),
        ("- keyword: x\n  action:\n    say: direct", "meya.text.trigger.keyword"),
        ("- media", "meya.media.trigger"),
    ] as [(String, String)])
    func triggers(yaml: String, type: String) {
        #expect(triggerType(yaml) == type, "\(yaml)")
    }

    @Test("a tie between unrelated specs is an error that suggests `type:`")
    func ambiguity() {
        var registry = ElementRegistry.standard
        for name in ["custom.one", "custom.two"] {
            registry.register(ElementSpec(name, kind: .component, parent: "meya.component.element",
                                          fields: [FieldSpec("shared", .string, signature: true)]))
        }
        let result = load(["flow/f.yaml": "steps:\n  - shared: x\n"], registry: registry)
        #expect(result.diagnostics.map(\.description) == [
            "flow/f.yaml:2:5: error: cannot tell which step this is: it fits `custom.one` and `custom.two`; add `type:` to choose",
        ])
    }

    @Test("between related specs of equal fit, the more derived one wins")
    func derivedWins() {
        var registry = ElementRegistry.standard
        registry.register(ElementSpec("custom.base", kind: .component, parent: "meya.component.element",
                                      fields: [FieldSpec("shout", .string, signature: true)]))
        registry.register(ElementSpec("custom.derived", kind: .component, parent: "custom.base"))
        let result = load(["flow/f.yaml": "steps:\n  - shout: x\n"], registry: registry)
        guard case .component(let element)? = result.app?.flows["flow.f"]?.steps.first else {
            Issue.record("\(result.diagnostics)")
            return
        }
        #expect(element.type == "custom.derived")
    }

    @Test("a module can register a component with its own fields, and it is validated")
    func registeredComponent() {
        var registry = ElementRegistry.standard
        registry.register(ElementSpec("acme.component.lookup", kind: .component, parent: "meya.component.element", fields: [
            FieldSpec("lookup", .string, required: true, signature: true),
            FieldSpec("limit", .integer),
        ]))
        #expect(load(["flow/f.yaml": "steps:\n  - lookup: orders\n    limit: 3\n"], registry: registry).app != nil)
        #expect(load(["flow/f.yaml": "steps:\n  - lookup: orders\n    limt: 3\n"], registry: registry).diagnostics.map(\.description) == [
            "flow/f.yaml:3:5: error: unknown field `limt` in `lookup` step; did you mean `limit`?",
        ])
    }
}
