import ArgumentParser
import BotRuntime
import FlowDSL
import Foundation
import Logging
import ParleyApp
import TwilioEmulator
import TwilioIntegration
import Vault

/// `botcli simulate`: talk to the bot in the terminal.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Talk to the bot in the terminal, as a visitor of its chat page would.",
        discussion: """
            Loads the app (exiting 1 with `botcli check`'s diagnostics when it has errors) and \
            its vault, and runs the real engine on the app's store, .parley/state.sqlite. Each \
            run is a new visitor on a new thread, and the chat page opens first: page_open \
            triggers fire as on a website (with url simulator://<app folder>). To come back to \
            a conversation, pass the ids printed at the start: `--thread ID` (its user is \
            taken from the store) or also `--user ID`; a stored thread continues where it \
            stopped, without page_open. `--user ID` alone is a returning visitor on a new \
            thread: their user scope is remembered.

            Type a message and press Enter. A button's number (1 is the first shown) or its \
            text clicks it. Commands: :help, :reset (new thread), :state (ids, mode, scopes, \
            the waiting step; vault values appear as [vault.KEY]), :event TYPE [JSON] (e.g. \
            `:event chat_open` or `:event meya.session.event.chat.open {"x": 1}`), :agent TEXT \
            (a human agent writes; `:agent(Ana) Hi`, `:agent /command`), :quit or Ctrl-D. \
            `delay:` steps really wait (20 s at most).

            On a terminal: a `you> ` prompt with line editing and history \
            (.parley/simulator_history), numbered buttons, colour unless NO_COLOR is set. \
            With input from a pipe or file, standard output holds the conversation only, one \
            line per thing shown: `bot: TEXT`, `button: TEXT`, `status: TEXT`, `agent: TEXT` \
            or `agent(NAME): TEXT`, `error: TEXT`; everything else goes to standard error. So \
            `printf 'hi\\n1\\n' | botcli simulate --app DIR` gives a transcript to compare.

            Human handoff: with --flex, a local Twilio Flex emulator starts beside the bot \
            (a development stand-in; no Twilio account, and the vault needs no Twilio values: \
            the app's Flex integration talks to the emulator with the emulator's own account). \
            The agent console's URL is printed: open it to see the waiting task, accept it, \
            read the transcript, chat, type /commands and complete or cancel. Or stay in the \
            terminal: `:agent TEXT` is the agent writing in Flex (accepting the task first), \
            and what the agent and TaskRouter do reaches you as it happens. Without --flex the \
            integration calls the Flex its settings name (api_base_url).

            Text messages: with --sms you are a customer texting the business's number \
            (+15555550199) from +15555550100, through the same local emulator: its Address \
            Configuration puts your texts in a Twilio conversation and calls the app's \
            Conversations integration, and you see what reaches your phone, one `sms: TEXT` \
            line per line of a text, buttons as numbered lines; answer with the number or the \
            text. Saying `agent` hands the very conversation to Flex as on a real number \
            (with a Flex integration in the app): :agent and the agent console work as with \
            --flex, and an agent's /command never reaches the phone.

            Phone calls: with --voice you are a caller (+15555550100) calling the business's \
            number (+15555550199) through the same local emulator, which calls the app's Twilio \
            Voice integration with signed webhooks and plays its TwiML as Twilio would: \
            `voice: TEXT` lines are what you hear, `listening (HINTS): …` when the bot waits for \
            you, `virtual agent: TEXT` what a --virtual-agent script (a scripted Dialogflow CX \
            agent, see docs/voice.md) says, `call: TEXT` what happens on the line. Type what \
            you say; `#2` presses key 2, an empty line is silence, :hangup hangs up. A handoff \
            puts you on hold until an agent answers in the console.
            """
    )

    @Flag(help: "Run a local Flex emulator and hand chats to its agent console (no Twilio account needed).")
    var flex = false

    @Flag(help: "Be a customer texting the bot by SMS through a local Twilio emulator (no Twilio account needed).")
    var sms = false

    @Flag(help: "Be a caller on a phone call to the bot, through the app's Twilio Voice integration (no Twilio account needed).")
    var voice = false

    @Option(help: ArgumentHelp("The Twilio emulator's port on 127.0.0.1, with --flex, --sms or --voice (0: any free port).", valueName: "port"))
    var flexPort = 5055

    @Option(name: .customLong("virtual-agent"), parsing: .singleValue,
            help: ArgumentHelp("With --voice: a scripted Dialogflow CX agent (YAML, see docs/voice.md) the call's <Connect><VirtualAgent> "
                               + "reaches; repeat for several.", valueName: "file"))
    var virtualAgentFiles: [String] = []

    @OptionGroup var options: AppOptions

    @Option(help: ArgumentHelp("Speak as this user id (default: a new visitor, user-XXXXXXXX).", valueName: "id"))
    var user: String?

    @Option(help: ArgumentHelp("Use this thread id: continue it if stored, else start it (default: a new thread-XXXXXXXX).",
                               valueName: "id"))
    var thread: String?

    func run() async throws {
        let app = try options.loadApp(toDo: "simulate the bot")
        let printer = TranscriptPrinter.forCurrentProcess()

        let vault: VaultScope
        do {
            vault = try await VaultSource(vault: AppVault(app: options.url), placeholders: app.vaultKeys.keys).load()
        } catch {
            Terminal.error("error: cannot open the vault of \(options.name): \(error)")
            Terminal.error("hint: `botcli vault check --app \(options.app)` compares the vault with the app")
            throw ExitCode(1)
        }
        let uses = app.vaultKeys.map { VaultKeyUse(key: $0.key, location: $0.value.description) }
            + app.vaultReferences.map { VaultKeyUse(key: $0.key, location: $0.position.description) }
        if let stored = try? await AppVault(app: options.url).entries().map(\.key) {
            var missing = VaultCoverage(uses: uses, storedKeys: stored).missing.map(\.key)
                .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            if flex || sms || voice {
                // The emulator or the simulated call brings its own account: keys only the Twilio integrations read do not matter.
                let twilioTypes = [FlexElements.integrationType, ConversationsElements.integrationType, VoiceElements.integrationType]
                let flexFiles = Set(app.integrations.values.filter { twilioTypes.contains($0.type) }.map(\.position.file))
                let usedElsewhere = Set(app.vaultReferences.filter { !flexFiles.contains($0.position.file) }.map(\.key))
                let usedByFlex = Set(app.vaultReferences.filter { flexFiles.contains($0.position.file) }.map(\.key))
                missing.removeAll { usedByFlex.contains($0) && !usedElsewhere.contains($0) }
            }
            if !missing.isEmpty {
                printer.warning("the vault lacks \(missing.map { "`\($0)`" }.joined(separator: ", ")); "
                                + "\(missing.count == 1 ? "it reads" : "they read") as [vault.KEY] until uploaded (see `botcli vault upload`)")
            }
        }
        let storePath = SQLiteStore.defaultPath(forApp: options.app)
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: storePath)
        } catch {
            Terminal.error("error: cannot open the store \(storePath): \(error)")
            throw ExitCode(1)
        }
        var localFlex: SimulatedTwilio?
        let integrations: AppIntegrations
        if flex || sms || voice {
            do {
                let mode: SimulatedTwilio.Mode = voice ? .voice(try virtualAgentFiles.map(VirtualAgentScript.init(contentsOfFile:))) : sms ? .sms : .flex
                let started = try await SimulatedTwilio.start(app: app, port: flexPort, mode: mode, logger: ParleyLogging.logger("parley.flex"))
                localFlex = started
                let botURL = started.botURL
                integrations = AppIntegrations(setup: IntegrationSetup(logger: ParleyLogging.logger,
                                                                       settingsOverride: started.target.settingsOverride,
                                                                       publicURL: { botURL }))
            } catch {
                Terminal.error("error: \(error)")
                throw ExitCode(1)
            }
        } else {
            integrations = AppIntegrations(setup: IntegrationSetup(logger: ParleyLogging.logger))
        }
        let engine = BotEngine(app: app, store: store, vault: vault, components: integrations.components, integrations: integrations.all,
                               options: EngineOptions(realDelays: true), logger: ParleyLogging.logger("parley.simulate"))
        // Work stored by an earlier run, then the webhook events it accepted and did not handle,
        // before the first turn (see resumeOutbox).
        _ = try? await engine.resumeOutbox()
        _ = try? await engine.resumeInbox()
        localFlex?.serve(engine)
        if voice, let localFlex {
            await playCall(localFlex, printer: printer, appName: URL(fileURLWithPath: app.root).standardizedFileURL.lastPathComponent)
            await engine.stop()
            await integrations.shutdown()
            await localFlex.stop()
            return
        }
        // An app that hands off to Flex, without the account to do it here: say how to play it locally.
        if localFlex == nil, let flexIntegration = integrations.all.lazy.compactMap({ $0 as? FlexIntegration }).first,
           let problem = flexIntegration.configurationProblems(in: engine).first {
            printer.note("Twilio Flex is not set up here (\(problem)), so handing over to an agent will fail. "
                         + "`botcli simulate --flex` plays the handoff with a local Flex emulator.")
        }
        let unhandled = engine.unhandledTypes.sorted()
        if !unhandled.isEmpty {
            printer.warning("no handler runs \(unhandled.map { "`\($0)`" }.joined(separator: ", ")) here; "
                            + "steps of \(unhandled.count == 1 ? "that type" : "those types") will show an error")
        }

        let threadID = thread ?? SimulatorSession.freshID("thread")
        var userID = localFlex?.phone?.customer ?? user ?? SimulatorSession.freshID("user")
        let stored = try? await engine.thread(threadID)
        if let stored, stored.userID != userID {
            if user != nil {
                printer.warning("thread \(threadID) belongs to user \(stored.userID); continuing as \(stored.userID), not \(userID)")
            }
            userID = stored.userID
        }

        let appName = URL(fileURLWithPath: app.root).standardizedFileURL.lastPathComponent
        var session = SimulatorSession(engine: engine, printer: printer, pageURL: "simulator://\(appName)",
                                       threadID: threadID, userID: userID, twilio: localFlex)
        let continuing = stored == nil ? "" : " (continued)"
        if let phone = localFlex?.phone {
            printer.note("simulating \(appName) by SMS as \(phone.customer)")
        } else if printer.interactive {
            printer.note("""
                Parley simulator — \(appName): \(app.summary)
                thread \(threadID)\(continuing), user \(userID); come back with --thread \(threadID)
                Type a message, a button's number, or :help. Ctrl-D quits.
                """)
        } else {
            printer.note("simulating \(appName) on thread \(threadID)\(continuing) as user \(userID)")
        }
        if let phone = localFlex?.phone, let localFlex {
            printer.note("""
                Twilio emulator (development only): you are \(phone.customer) texting \(phone.business); \
                agent console at \(localFlex.emulator.consoleURL)
                Text the bot (try `start`); answer buttons by number. Say `agent` to hand the conversation to Flex.
                """)
        } else if let localFlex {
            printer.note("""
                Flex emulator (development only): agent console at \(localFlex.emulator.consoleURL)
                Say `agent` to hand the chat over; then accept it in the console, or write as the agent with :agent TEXT.
                """)
        }
        await session.open()
        var reader = lineReader(prompt: "you> ", interactive: printer.interactive)
        await session.run(reading: &reader)
        await engine.stop()
        await integrations.shutdown()
        await localFlex?.stop()
    }
}

extension SimulateCommand {
    func validate() throws {
        if voice, flex || sms { throw ValidationError("--voice plays a call on its own: leave out --flex and --sms") }
        if !virtualAgentFiles.isEmpty, !voice { throw ValidationError("--virtual-agent is for calls: add --voice") }
    }

    /// `--voice`: the terminal is a caller (`SimulatedCall`) on the emulator's number.
    func playCall(_ twilio: SimulatedTwilio, printer: TranscriptPrinter, appName: String) async {
        guard let numbers = twilio.phone else { return }
        let agents = twilio.emulator.configuration.virtualAgents.map(\.connectorName)
        printer.note("simulating \(appName) on a call from \(numbers.customer) to \(numbers.business) through the Twilio emulator "
                     + "(development only; agent console at \(twilio.emulator.consoleURL))"
                     + (agents.isEmpty ? "; no virtual agent answers (--virtual-agent FILE adds one)" : "; virtual agents: \(agents.joined(separator: ", "))"))
        var reader = lineReader(prompt: "caller> ", interactive: printer.interactive)
        await SimulatedCall(twilio: twilio, printer: printer).run(reading: &reader)
    }

    /// What is typed: on a terminal with `prompt`, line editing and the app's history
    /// (.parley/simulator_history), else plain lines.
    func lineReader(prompt: String, interactive: Bool) -> any LineReader {
        guard interactive else { return PlainLineReader() }
        return EditLineReader(prompt: prompt, historyPath: URL(fileURLWithPath: options.app)
            .appendingPathComponent(".parley/simulator_history").path)
    }
}
