import Foundation
import Testing

@Suite("botcli simulate")
struct SimulateCommandTests {
    /// The repository's app template, copied to a temporary folder (so `.parley/` is not
    /// created in the repository); removed by the caller.
    static func copyOfTemplateApp() throws -> URL {
        let template = BotCLIRunner.templateApp
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("parley-simulate-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: template, to: copy)
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(".parley"))
        return copy
    }

    /// Runs `botcli simulate --app <copy of the template> ARGS` with `input` on stdin.
    static func simulate(_ input: String, _ arguments: [String] = [], app: URL? = nil) async throws -> BotCLIRunner.Output {
        let folder = try app ?? copyOfTemplateApp()
        defer { if app == nil { try? FileManager.default.removeItem(at: folder) } }
        return try await BotCLIRunner.run(["simulate", "--app", folder.path] + arguments, input: input)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }

    static let greeting = ["bot: Hi, I'm Parley Bot.", "bot: What's your name?"]
    static let issueQuestion = ["bot: What can I help you with?", "button: Hardware", "button: Software"]
    static let handoffQuestion = ["bot: Would you like to talk to a person now?", "button: Talk to an agent", "button: Not now"]
    static func thanks(_ issue: String) -> [String] { ["bot: Thanks! Someone who knows \(issue) can help with that."] }

    @Test("the template app greets, learns the name and offers the issue buttons, in the plain format")
    func templateConversation() async throws {
        let output = try await Self.simulate("start\nAna\n")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        // page_open greets; `start` (a keyword trigger) greets again; `Ana` answers.
        #expect(Self.lines(output.stdout) == Self.greeting + Self.greeting + ["bot: Nice to meet you, Ana!"] + Self.issueQuestion,
                "stdout: \(output.stdout)")
        #expect(!output.stdout.contains("\u{1B}"), "no ANSI escapes in plain mode")
        #expect(!output.stderr.contains("\u{1B}"))
        #expect(!output.stdout.contains("you>"), "no prompt in plain mode")
    }

    @Test("without Twilio values the simulator says, at start and when the handoff fails, that --flex plays it locally")
    func flexHint() async throws {
        let output = try await Self.simulate("agent\n")
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stderr.contains("Twilio Flex is not set up here (the Twilio Flex integration `integration.twilio.flex` has no value "
                                       + "for `account_sid`"), "\(output.stderr)")
        #expect(output.stdout.contains("bot: Sorry, I couldn't reach an agent right now."), "\(output.stdout)")
        #expect(output.stderr.contains("hint: `botcli simulate --flex` plays the handoff to a human with a local Flex emulator"),
                "\(output.stderr)")
        // With --flex it is played, and nothing suggests it.
        let flex = try await Self.simulate("", ["--flex", "--flex-port", "0"])
        #expect(!flex.stderr.contains("is not set up here"), "\(flex.stderr)")
    }

    /// The example virtual agent of docs/voice.md.
    static let softwareHelp = BotCLIRunner.templateApp.deletingLastPathComponent().appendingPathComponent("docs/examples/software-help.yaml").path

    @Test("--voice plays a call through the Twilio emulator: what the caller hears, keys and speech picking buttons, a silence asked again, the virtual agent's turns, the handoff to Flex")
    func voiceCall() async throws {
        let output = try await Self.simulate("Ana\n\n#2\nmy editor keeps crashing\n\nI want a person\n",
                                             ["--voice", "--flex-port", "0", "--virtual-agent", Self.softwareHelp])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let listening = "say something, #N presses key N, an empty line is silence"
        let question = ["voice: What can I help you with?", "voice: Press 1 or say Hardware. Press 2 or say Software.",
                        "listening (Hardware, Software): \(listening)"]
        let agent = "listening (virtual agent): say something, an empty line is silence"
        let lines = Self.lines(output.stdout)
        #expect(Array(lines.dropLast(2)) == [
            "voice: Hi, I'm Parley Bot.", "voice: What's your name?", "listening: \(listening)", "voice: Nice to meet you, Ana!",
        ] + question + ["voice: Sorry, I didn't catch that."] + question + [
            "voice: Our software assistant can help with that.", "call: connected to the virtual agent `software-help`",
            "virtual agent: Hi, I'm the software assistant. What's going on?", agent,
            "virtual agent: Sorry to hear that. Does it happen when you open a file?", agent,
            "virtual agent: Sorry, could you say that another way?", agent,
            "virtual agent: Let me find you a person who knows the editor.", "call: the virtual agent ended its session: live-agent-handoff",
        ], "stdout: \(output.stdout)")
        #expect(lines.suffix(2).first?.hasPrefix("call: on hold, waiting for an agent (task WT") == true && lines.last == "call: the caller hung up",
                "\(lines.suffix(2))")
        #expect(output.stderr.contains("on a call from +15555550100 to +15555550199 through the Twilio emulator"), "\(output.stderr)")
        // Its vault needs no Twilio values here.
        #expect(!output.stderr.contains("twilio.auth_token"), "\(output.stderr)")

        // Without the script, the connector is unknown (32601): the template finds a person instead.
        let alone = try await Self.simulate("Ana\nSoftware\n", ["--voice", "--flex-port", "0"])
        #expect(alone.stdout.contains("voice: Sorry, our assistant can't take your call right now. Let me find you a person."),
                "\(alone.stdout)")
        #expect(alone.stderr.contains("no virtual agent answers (--virtual-agent FILE adds one)"), "\(alone.stderr)")

        let mixed = try await Self.simulate("", ["--voice", "--sms"])
        #expect(mixed.status != 0 && mixed.stderr.contains("--voice plays a call on its own"), "\(mixed.stderr)")
    }

    @Test("a button's number or text clicks it")
    func clickByNumberAndText() async throws {
        let byNumber = try await Self.simulate("Ana\n2\n")
        #expect(Self.lines(byNumber.stdout).suffix(4) == Self.thanks("software") + Self.handoffQuestion,
                "stdout: \(byNumber.stdout)")
        let byText = try await Self.simulate("Ana\nhardware\n")
        #expect(Self.lines(byText.stdout).suffix(4) == Self.thanks("hardware") + Self.handoffQuestion,
                "stdout: \(byText.stdout)")
        // With no buttons offered, a number is just text: here it is the name.
        let plainNumber = try await Self.simulate("7\n")
        #expect(Self.lines(plainNumber.stdout).contains("bot: Nice to meet you, 7!"), "stdout: \(plainNumber.stdout)")
    }

    @Test(":state shows ids, mode, scopes and the waiting step")
    func state() async throws {
        let output = try await Self.simulate("Ana\n:state\n", ["--user", "user-state", "--thread", "thread-state"])
        #expect(output.status == 0)
        let state = Self.lines(output.stderr)
        #expect(state.contains("thread: thread-state"), "stderr: \(output.stderr)")
        #expect(state.contains("user: user-state"))
        #expect(state.contains("mode: bot"))
        #expect(state.contains("  name: Ana"), "stderr: \(output.stderr)")
        #expect(state.contains { $0.hasPrefix("waiting: flow.pre_chat step ") && $0.contains("flow/pre_chat.yaml:") })
        // The conversation alone is on standard output.
        #expect(Self.lines(output.stdout).allSatisfy { $0.hasPrefix("bot: ") || $0.hasPrefix("button: ") })
    }

    @Test(":event sends events by alias or full type, with JSON data; bad JSON is explained")
    func events() async throws {
        let output = try await Self.simulate("""
            :event page_open
            :event meya.session.event.chat.open {"x": 1}
            :event chat_open {"x": [1,
            :event chat_open [1]
            :event nonsense
            :bogus
            """ + "\n")
        #expect(output.status == 0)
        // page_open greets again (the name is not known yet); chat_open has no trigger here.
        #expect(Self.lines(output.stdout) == Self.greeting + Self.greeting, "stdout: \(output.stdout)")
        #expect(output.stderr.contains("error: the data of `:event` is not valid JSON: invalid JSON at byte"), "stderr: \(output.stderr)")
        #expect(output.stderr.contains("must be a JSON object"))
        #expect(output.stderr.contains("`nonsense` is not an event type"))
        #expect(output.stderr.contains("unknown command `:bogus`; the commands are :help, :reset, :state, :event, :agent, :quit"))
    }

    @Test(":agent writes as a human agent, named or not; `/` sends a command")
    func agent() async throws {
        let output = try await Self.simulate(":agent Hi there\n:agent(Sam) Hello\n:agent /transfer now\n")
        #expect(output.status == 0)
        #expect(Self.lines(output.stdout) == Self.greeting + ["agent: Hi there", "agent(Sam): Hello"], "stdout: \(output.stdout)")
    }

    @Test(":reset starts a new thread and opens the page again, for the same user")
    func reset() async throws {
        let output = try await Self.simulate("Ana\n:reset\n")
        #expect(output.status == 0)
        #expect(Self.lines(output.stdout) == Self.greeting + ["bot: Nice to meet you, Ana!"] + Self.issueQuestion
                + ["bot: Hi, I'm Parley Bot."] + Self.issueQuestion, "stdout: \(output.stdout)")
        #expect(output.stderr.contains("new thread thread-"))
    }

    @Test("--thread and --user continue a conversation in a later run, without greeting again")
    func continueConversation() async throws {
        let app = try Self.copyOfTemplateApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let ids = ["--thread", "thread-x", "--user", "user-y"]
        let first = try await Self.simulate("", ids, app: app)
        #expect(Self.lines(first.stdout) == Self.greeting, "stdout: \(first.stdout)")
        #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent(".parley/state.sqlite").path))
        let second = try await Self.simulate("Ana\n1\n", ids, app: app)
        #expect(Self.lines(second.stdout) == ["bot: Nice to meet you, Ana!"] + Self.issueQuestion
                + Self.thanks("hardware") + Self.handoffQuestion, "stdout: \(second.stdout)")
        #expect(second.stderr.contains("(continued)"))
        // The thread's user comes from the store when only --thread is given.
        let third = try await Self.simulate(":state\n", ["--thread", "thread-x"], app: app)
        #expect(third.stdout.isEmpty, "stdout: \(third.stdout)")
        #expect(third.stderr.contains("user: user-y"), "stderr: \(third.stderr)")
        #expect(third.stderr.contains("  issue: hardware"))
        // Buttons shown in an earlier run can be clicked by number in the next.
        let ids2 = ["--thread", "thread-z", "--user", "user-z"]
        _ = try await Self.simulate("Bo\n", ids2, app: app)
        let fourth = try await Self.simulate("2\n", ids2, app: app)
        #expect(Self.lines(fourth.stdout) == Self.thanks("software") + Self.handoffQuestion, "stdout: \(fourth.stdout)")
    }

    @Test("each run is a new visitor by default")
    func freshVisitor() async throws {
        let app = try Self.copyOfTemplateApp()
        defer { try? FileManager.default.removeItem(at: app) }
        _ = try await Self.simulate("Ana\n", app: app)
        let second = try await Self.simulate("", app: app)
        #expect(Self.lines(second.stdout) == Self.greeting, "stdout: \(second.stdout)")
    }

    @Test("an invalid app prints its diagnostics and exits 1")
    func invalidApp() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("ten-mistakes")
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await BotCLIRunner.run(["simulate", "--app", app.path], input: "hi\n")
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("flow/greet.yaml:5:5: error: unknown step `sya:`; did you mean `say`?"), "stderr: \(output.stderr)")
        #expect(output.stderr.contains("10 errors in \(app.path)"))
        #expect(!FileManager.default.fileExists(atPath: app.appendingPathComponent(".parley/state.sqlite").path))
    }

    @Test(":quit ends the session; lines after it are not read")
    func quit() async throws {
        let output = try await Self.simulate(":quit\nAna\n")
        #expect(output.status == 0)
        #expect(Self.lines(output.stdout) == Self.greeting)
    }

    @Test("--help teaches the command")
    func help() async throws {
        let output = try await BotCLIRunner.run(["simulate", "--help"])
        #expect(output.status == 0)
        for text in ["--app <dir>", "--user <id>", "--thread <id>", ":event", "NO_COLOR", "button: TEXT"] {
            #expect(output.stdout.contains(text), "missing \(text)")
        }
    }
}

extension SimulateCommandTests {
    @Test("on a terminal: banner, `you> ` prompt, numbered buttons, colour; Ctrl-D quits")
    func terminal() async throws {
        let app = try Self.copyOfTemplateApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let session = try PseudoTerminalSession(BotCLIRunner.executable, ["simulate", "--app", app.path],
                                                environment: ["TERM": "xterm"])
        try session.waitFor("you> ")
        #expect(session.output.contains("Parley simulator"))
        #expect(session.output.contains("\u{1B}[1mbot: What's your name?\u{1B}[0m"), "\(session.output.debugDescription)")
        try session.type("Ana\r")
        try session.waitFor("you> ", count: 2)
        #expect(session.output.contains("\u{1B}[36m[1]\u{1B}[0m Hardware  \u{1B}[36m[2]\u{1B}[0m Software"),
                "\(session.output.debugDescription)")
        try session.type("2\r")
        try session.waitFor("you> ", count: 3)
        #expect(session.output.contains("Someone who knows software"))
        try session.type(":nope\r")
        try session.waitFor("you> ", count: 4)
        #expect(session.output.contains("\u{1B}[31merror: unknown command `:nope`"))
        try session.waitForLineEditing()
        try session.type("\u{4}")
        #expect(try session.waitForExit() == 0)
        let history = try String(contentsOf: app.appendingPathComponent(".parley/simulator_history"), encoding: .utf8)
        #expect(history.contains("Ana") && history.contains(":nope"), "history: \(history)")

        // NO_COLOR keeps the layout and drops the colour.
        let plain = try PseudoTerminalSession(BotCLIRunner.executable, ["simulate", "--app", app.path],
                                              environment: ["TERM": "xterm", "NO_COLOR": "1"])
        try plain.waitFor("you> ")
        try plain.type("Ana\r")
        try plain.waitFor("you> ", count: 2)
        try plain.waitForLineEditing()
        try plain.type("\u{4}")
        #expect(try plain.waitForExit() == 0)
        #expect(plain.output.contains("     [1] Hardware  [2] Software"), "\(plain.output.debugDescription)")
        #expect(!plain.output.contains("\u{1B}[1m") && !plain.output.contains("\u{1B}[36m"))
    }
}

/// Runs a program with a pseudo-terminal as its standard input, output and error, and lets
/// a test type into it and read what it shows (carriage returns removed).
final class PseudoTerminalSession {
    private let master: Int32
    private let terminalPath: String
    private let process = Process()
    private var bytes: [UInt8] = []
    private var finished = false
    let timeout: Double

    var output: String { String(decoding: bytes.filter { $0 != 13 }, as: UTF8.self) }

    init(_ executable: URL, _ arguments: [String], environment extra: [String: String], timeout: Double = 20) throws {
        self.timeout = timeout
        #if canImport(Glibc)
        // posix_openpt, unlockpt and ptsname as Linux's ioctls (Swift's Glibc module hides
        // them); TIOCSPTLCK and TIOCGPTN are _IOW/_IOR macros, written out for x86_64/arm64.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0, number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw CocoaError(.fileReadUnknown)
        }
        let name = "/dev/pts/\(number)"
        #else
        master = posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, grantpt(master) == 0, unlockpt(master) == 0, let path = ptsname(master) else {
            throw CocoaError(.fileReadUnknown)
        }
        let name = String(cString: path)
        #endif
        var size = winsize(ws_row: 30, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        terminalPath = name
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw CocoaError(.fileReadUnknown) }
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = nil
        environment.merge(extra) { _, new in new }
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    func type(_ text: String) throws {
        let data = Array(text.utf8)
        guard write(master, data, data.count) == data.count else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Reads until `text` has appeared `count` times in the output.
    func waitFor(_ text: String, count: Int = 1) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while output.components(separatedBy: text).count - 1 < count {
            guard !finished, Date() < deadline else {
                Issue.record("timed out waiting for \(text.debugDescription) ×\(count); output: \(output.debugDescription)")
                throw CancellationError()
            }
            readSome(until: deadline)
        }
    }

    /// Waits until the program reads keys one by one (libedit sets raw mode after printing the
    /// prompt; a Ctrl-D typed while the terminal is still in canonical mode is not a key).
    func waitForLineEditing() throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = open(terminalPath, O_RDWR | O_NOCTTY)
            var settings = termios()
            let canonical = fd >= 0 && tcgetattr(fd, &settings) == 0 && settings.c_lflag & tcflag_t(ICANON) != 0
            if fd >= 0 { close(fd) }
            if !canonical { return }
            usleep(10_000)
        }
        Issue.record("the terminal never left canonical mode; output: \(output.debugDescription)")
        throw CancellationError()
    }

    /// Reads to the end of output and returns the exit status.
    func waitForExit() throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while !finished, Date() < deadline { readSome(until: deadline) }
        guard finished else {
            Issue.record("the program did not exit; output: \(output.debugDescription)")
            throw CancellationError()
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func readSome(until deadline: Date) {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(max(0, min(deadline.timeIntervalSinceNow, 1)) * 1000)
        guard poll(&poller, 1, milliseconds) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        // Linux answers EIO once the program has exited and closed the terminal.
        if count <= 0 { finished = true } else { bytes += buffer[0..<count] }
    }
}
