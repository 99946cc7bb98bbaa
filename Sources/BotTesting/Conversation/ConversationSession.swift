import BotRuntime
import FlowDSL

/// One case in progress: the shown lines not yet matched, and both transcripts so far.
struct ConversationSession {
    /// A line the user was shown and the flow step that emitted it.
    struct Shown {
        var text: String
        var origin: String?
        var line: ConversationTranscriptLine { .init(text, origin: origin) }
    }

    let client: BotTestClient
    let steps: [ConversationStep]
    var pending: [Shown] = []
    var offered: [Choice] = []
    var expected: [ConversationTranscriptLine] = []
    var actual: [ConversationTranscriptLine] = []
    /// Origin of the latest matched bot line (buttons belong to it).
    var lastOrigin: String?
    var index = 0
    /// What went wrong in the bot's turns without stopping them (`TurnResult.warnings`).
    var warnings: [String] = []

    init(client: BotTestClient, steps: [ConversationStep]) {
        self.client = client
        self.steps = steps
    }

    mutating func run(endPosition: SourcePosition) async -> ConversationFailure? {
        while index < steps.count {
            if let failure = await perform(steps[index]) { return failure }
            index += 1
        }
        guard let first = pending.first else { return nil }
        return failure("unexpected `\(first.text)` after the last step", at: endPosition, origin: first.origin,
                       expectedTail: [.note("end of test")], actualTail: pending.map(\.line))
    }

    /// What the user is shown after each input (by the input's step index), the expectations
    /// ignored: what `botcli test --update` writes. Nil when an input cannot be made (a click
    /// on a button that was not offered, a bot failure).
    mutating func record() async -> [Int: [String]]? {
        var shown: [Int: [String]] = [:]
        for (index, step) in steps.enumerated() {
            guard case .input(let input) = step.kind else { continue }
            pending = []
            if await send(input, step: step) != nil { return nil }
            shown[index] = pending.map(\.text)
        }
        return shown
    }

    private mutating func perform(_ step: ConversationStep) async -> ConversationFailure? {
        switch step.kind {
        case .input(let input):
            return await send(input, step: step)
        case .expect(let expectation):
            guard let first = pending.first else {
                return failure("missing `\(expectation.transcriptLine)`: nothing more was shown", at: step.position,
                               actualTail: [.note("nothing more was shown")])
            }
            guard expectation.matches(first.text) else {
                var caret: Int?
                if case .exact = expectation.text, Self.kind(of: first.text) == expectation.kind {
                    caret = Self.firstDifference(ConversationTranscriptLine(expectation.transcriptLine).description, first.line.description)
                }
                return failure("expected `\(expectation.transcriptLine)`, got `\(first.text)`", at: step.position,
                               origin: first.origin, actualTail: pending.map(\.line), caret: caret)
            }
            consume(1, step: step)
            return nil
        case .buttons(let texts):
            let shown = pending.prefix { $0.text.hasPrefix("button: ") }.map { String($0.text.dropFirst("button: ".count)) }
            if shown == texts {
                consume(shown.count, step: step)
                return nil
            }
            let at = zip(texts, shown).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(texts.count, shown.count)
            let origin = pending.first?.origin ?? lastOrigin
            let list = { (items: [String]) in "[" + items.joined(separator: ", ") + "]" }
            let message = shown.isEmpty
                ? "expected buttons \(list(texts)), but " + (pending.first.map { "got `\($0.text)`" } ?? "nothing more was shown")
                : "expected buttons \(list(texts)), got \(list(shown))"
            var expectedTail = step.transcriptLines.map { ConversationTranscriptLine($0) }
            if at >= texts.count { expectedTail.insert(.note("no more buttons"), at: at) }
            var actualTail = pending.map(\.line)
            if at >= actualTail.count { actualTail.append(.note(shown.isEmpty ? "nothing more was shown" : "no more buttons")) }
            var caret: Int?
            if at < texts.count, at < shown.count { caret = Self.firstDifference(expectedTail[at].description, actualTail[at].description) }
            return failure(message, at: step.position, origin: origin, expectedTail: expectedTail, expectedOffset: at,
                           actualTail: actualTail, actualOffset: at, caret: caret)
        case .scope(let scope, let values):
            let current: TemplateMap
            do {
                current = scope == .thread ? try await client.threadScope() : try await client.userScope()
            } catch {
                return failure("cannot read the \(scope.rawValue) scope: \(error)", at: step.position, actualTail: [.note("\(error)")])
            }
            var seen = TemplateMap()
            for key in values.keys { seen[key] = current[key] ?? TemplateValue.none }
            let line = ConversationScope.transcriptLine(scope, seen)
            guard let wrong = values.first(where: { !$0.value.matches(current[$0.key]) }) else {
                expected.append(.init(step.transcriptLines[0]))
                actual.append(.init(line))
                return nil
            }
            let found = current[wrong.key].map { "is `\($0.flowStyle)`" } ?? "is not set"
            return failure("`\(scope.rawValue).\(wrong.key)` \(found), expected `\(wrong.value.flowStyle)`", at: step.position,
                           actualTail: [.init(line)], caret: Self.firstDifference(ConversationTranscriptLine(step.transcriptLines[0]).description,
                                                                                             ConversationTranscriptLine(line).description))
        }
    }

    private mutating func send(_ input: ConversationInput, step: ConversationStep) async -> ConversationFailure? {
        if let first = pending.first {
            return failure("unexpected `\(first.text)` before `\(input.transcriptLine)`", at: step.position, origin: first.origin,
                           actualTail: pending.map(\.line))
        }
        let result: TurnResult
        do {
            switch input {
            case .user(let text):
                result = try await client.turn(EventTypes.say, data: ["text": .string(text)])
            case .click(let text):
                guard let choice = offered.first(where: { $0.text == text }) ?? offered.first(where: { $0.text.lowercased() == text.lowercased() }) else {
                    let message = BotTestError.noSuchButton(text, offered: offered.map(\.text)).description
                    return failure(message, at: step.position, actualTail: [.note(message)])
                }
                if let id = choice.buttonID {
                    result = try await client.turn(EventTypes.click, data: ["button_id": .string(id), "text": .string(choice.text)])
                } else {
                    result = try await client.turn(EventTypes.say, data: ["text": .string(choice.text)])
                }
            case .event(let type, var data, let sender):
                if type == EventTypes.pageOpen, data["url"] == nil { data["url"] = .string("http://localhost/chat") }
                result = try await client.turn(type, data: data, sender: sender)
            case .agent(let text):
                if text.hasPrefix("/") {
                    result = try await client.turn(EventTypes.agentCommand, data: ["text": .string(text)], sender: .agent)
                } else {
                    result = try await client.turn(EventTypes.say, data: ["text": .string(text)], sender: .agent)
                }
            }
        } catch {
            return failure("the bot failed: \(error)", at: step.position,
                           actualTail: [.init(input.transcriptLine), .note("the bot failed: \(error)")], actualOffset: 1)
        }
        let line = ConversationTranscriptLine(input.transcriptLine)
        expected.append(line)
        actual.append(line)
        warnings += result.warnings
        let choices = result.outputs.flatMap(\.choices)
        if !choices.isEmpty { offered = choices }
        // An agent's own message is the `agent:` step itself: only the bot's answer is shown.
        for event in result.outputs {
            pending += event.plainLines.map { Shown(text: $0, origin: event.origin) }
        }
        return nil
    }

    /// Moves `count` matched shown lines into both transcripts.
    private mutating func consume(_ count: Int, step: ConversationStep) {
        let lines = step.transcriptLines
        for (offset, shown) in pending.prefix(count).enumerated() {
            expected.append(.init(offset < lines.count ? lines[offset] : shown.text))
            actual.append(shown.line)
            lastOrigin = shown.origin ?? lastOrigin
        }
        pending.removeFirst(count)
    }

    /// A failure at the current step: the expected transcript continues with this step's lines
    /// (or `expectedTail`) and the rest of the test; the actual one with `actualTail`.
    private func failure(_ message: String, at position: SourcePosition, origin: String? = nil,
                         expectedTail: [ConversationTranscriptLine]? = nil, expectedOffset: Int = 0,
                         actualTail: [ConversationTranscriptLine], actualOffset: Int = 0, caret: Int? = nil) -> ConversationFailure {
        let current = index < steps.count ? steps[index].transcriptLines.map { ConversationTranscriptLine($0) } : []
        var tail = expectedTail ?? current
        if index < steps.count {
            tail += steps[(index + 1)...].flatMap(\.transcriptLines).map { ConversationTranscriptLine($0) }
        }
        if expectedTail == nil, tail.isEmpty { tail = [.note("end of test")] }
        return ConversationFailure(message: message, position: position, origin: origin,
                                   expected: expected + tail, expectedMark: min(expected.count + expectedOffset, expected.count + tail.count - 1),
                                   actual: actual + actualTail, actualMark: min(actual.count + actualOffset, actual.count + actualTail.count - 1),
                                   caret: caret)
    }

    /// `bot` for `bot: Hi`.
    static func kind(of line: String) -> String {
        line.firstRange(of: ": ").map { String(line[..<$0.lowerBound]) } ?? line
    }

    /// The offset of the first character where two lines differ.
    static func firstDifference(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        return zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    }
}
