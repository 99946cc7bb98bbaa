import BotRuntime
import FlowDSL
import Foundation
import TwilioIntegration

/// One `botcli simulate` conversation: reads lines, sends events to the engine, prints what
/// the user would see.
///
/// With a local Twilio (`--flex`), what webhooks bring later (an agent's message, a queue
/// status) is printed as it is committed, and `:agent` speaks through the emulator. With its
/// phone (`--sms`), lines are texts to the emulator's number and what reaches the phone is
/// printed; the thread is the conversation's, known from the first text.
struct SimulatorSession {
    let engine: BotEngine
    let printer: TranscriptPrinter
    /// `simulator://<app folder name>`, the page the simulated visitor opens.
    let pageURL: String
    private(set) var threadID: String
    let userID: String
    let twilio: SimulatedTwilio?
    private let transcript: LiveTranscript
    private var watcher: Task<Void, Never>?

    init(engine: BotEngine, printer: TranscriptPrinter, pageURL: String, threadID: String, userID: String, twilio: SimulatedTwilio? = nil) {
        self.engine = engine
        self.printer = printer
        self.pageURL = pageURL
        self.threadID = threadID
        self.userID = userID
        self.twilio = twilio
        transcript = LiveTranscript(printer: printer)
    }

    /// A fresh id such as `thread-3f9a1c2e`.
    static func freshID(_ prefix: String) -> String {
        "\(prefix)-" + UUID().uuidString.lowercased().prefix(8)
    }

    /// Opens the page on a thread with nothing stored yet, as a web chat would; a thread that
    /// exists is continued where it stopped.
    mutating func open() async {
        watch()
        guard !texting else { return }
        do {
            guard let stored = try await engine.thread(threadID) else {
                await send(EventTypes.pageOpen, data: ["url": .string(pageURL)])
                return
            }
            // What the bot showed after the user's last event, so its buttons can be clicked
            // again (and, on a terminal, so the person sees where the conversation stopped).
            let recent = try await engine.events(thread: threadID, after: max(0, stored.lastSequence - 200), limit: 200)
            let shown = recent.reversed().prefix { $0.sender != .user }.reversed().filter { !$0.plainLines.isEmpty }
            transcript.resume(after: stored.lastSequence, offering: Array(shown))
            if printer.interactive, !shown.isEmpty {
                printer.note("the bot last showed:")
                printer.show(shown.flatMap(\.plainLines))
            }
        } catch {
            printer.show(["error: \(error)"])
        }
    }

    /// Whether lines are texts from a phone (`--sms`).
    private var texting: Bool { twilio?.phone != nil }

    /// With `--flex`, prints the thread's events that other turns commit (webhooks'), as they
    /// come, the previous thread's watcher stopping; with `--sms`, what reaches the phone.
    private mutating func watch() {
        if texting {
            if watcher == nil { watcher = twilio?.watchPhone(transcript) }
            return
        }
        watcher?.cancel()
        guard twilio != nil else { return }
        let events = engine.subscribe(thread: threadID), transcript = transcript
        watcher = Task {
            for await event in events { transcript.show([event]) }
        }
    }

    /// Reads and handles lines until `:quit` or the end of input. Scripted (not a terminal)
    /// with `--flex`, each line waits for what its webhooks bring before the next is read.
    mutating func run(reading reader: inout some LineReader) async {
        while let line = reader.next() {
            let going = await handle(SimulatorInput(line: line))
            if twilio != nil, !printer.interactive { await settle() }
            guard going else { break }
        }
        watcher?.cancel()
    }

    /// Waits until nothing new was shown for a moment (at most a few seconds).
    private func settle() async {
        let quiet = Duration.milliseconds(500), limit = ContinuousClock.now + .seconds(5)
        var since = ContinuousClock.now
        while ContinuousClock.now < limit {
            since = max(since, transcript.lastShown)
            if ContinuousClock.now - since >= quiet { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Handles one input; false when the session should end.
    mutating func handle(_ input: SimulatorInput) async -> Bool {
        switch input {
        case .empty:
            break
        case .message(let text) where texting:
            switch await twilio?.text(text) {
            case .success(let conversation)?: threadID = ConversationsIntegration.threadID(conversation: conversation)
            case .failure(let problem)?: printer.problem(problem.description)
            case nil: break
            }
        case .message(let text):
            switch transcript.reply(to: text) {
            case .click(let id, let label):
                await send(EventTypes.click, data: ["button_id": .string(id), "text": .string(label)])
            case .say(let said):
                await send(EventTypes.say, data: ["text": .string(said)])
            }
        case .help:
            printer.note(Self.help)
        case .reset where texting:
            printer.problem("`:reset` opens a new web chat; with --sms your texts stay in one conversation (:quit and start again for another)")
        case .reset:
            threadID = Self.freshID("thread")
            transcript.restart()
            printer.note("new thread \(threadID) (user \(userID))")
            await open()
        case .state:
            do {
                let report = StateReport(threadID: threadID, userID: userID, thread: try await engine.thread(threadID),
                                         userScope: try await engine.userScope(userID), app: engine.app)
                printer.note(report.lines.joined(separator: "\n"))
            } catch {
                printer.problem("cannot read the state: \(error)")
            }
        case .event(let type, var data):
            if type == EventTypes.pageOpen, data.isEmpty { data["url"] = .string(pageURL) }
            await send(type, data: data)
        case .agent(let text, _) where twilio != nil:
            await agentThroughFlex(text)
        case .agentCommand(let text) where twilio != nil:
            await agentThroughFlex(text)
        case .agent(let text, let name):
            var data: TemplateMap = ["text": .string(text)]
            if let name { data["agent_name"] = .string(name) }
            await send(EventTypes.say, data: data, sender: .agent)
        case .agentCommand(let text):
            await send(EventTypes.agentCommand, data: ["text": .string(text)], sender: .agent)
        case .unknownCommand(let name):
            printer.problem("unknown command `\(name)`; the commands are "
                            + SimulatorInput.commandNames.joined(separator: ", ") + " (`:help` explains them)")
        case .invalid(let problem):
            printer.problem(problem)
        case .quit:
            return false
        }
        return true
    }

    /// Sends one event and prints what the user sees; an engine error is printed as
    /// `error: …` and the session goes on.
    private func send(_ type: String, data: TemplateMap, sender: Sender = .user) async {
        let event = Event(type: type, threadID: threadID, sender: sender,
                          userID: sender == .user ? userID : "\(sender.rawValue)-simulator", data: data)
        do {
            let result = try await engine.handle(event)
            // On a phone, what the customer sees arrives as texts.
            if !texting { transcript.show(result.shownEvents) }
            if twilio == nil, result.outputs.contains(where: { $0.type == FlexEventTypes.error }) { printer.note(Self.flexHint) }
        } catch {
            printer.show(["error: \(error)"])
        }
    }

    /// `:agent` with `--flex`: the agent writes in the emulator, which sends the bot the signed
    /// webhook a real Flex would; what follows is printed as it comes.
    private func agentThroughFlex(_ text: String) async {
        guard let twilio else { return }
        let thread = try? await engine.thread(threadID)
        if let problem = await twilio.agentSays(text, thread: thread) { printer.problem(problem) }
    }

    /// What to do when a handoff fails for want of a Twilio account.
    static let flexHint = "hint: `botcli simulate --flex` plays the handoff to a human with a local Flex emulator (no Twilio account)"

    static let help = """
        Type a message for the bot. A button's number (1 is the first shown) or its text clicks it.
          :help                this list
          :reset               start a new thread as the same user; the page opens again
          :state               thread and user ids, mode, thread and user scopes, the waiting step
          :event TYPE [JSON]   send an event; TYPE is a Meya type (meya.session.event.chat.open)
                               or page_open, chat_open, chat_close; a JSON object is its data
          :agent TEXT          a human agent writes TEXT; :agent(NAME) TEXT names the agent;
                               :agent /command sends an agent command; with --flex the
                               agent who has the chat writes it in the Flex emulator
          :quit                leave (Ctrl-D and Ctrl-C too)
        Start a line with :: to send text that begins with a colon.
        """
}
