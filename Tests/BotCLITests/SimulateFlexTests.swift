import Foundation
import Testing
import SharedTestFixtures

/// `botcli simulate --flex`: the whole handoff in one scripted run, through the real Flex
/// emulator, the bot's webhook server and the Flex integration — no Twilio account, no vault.
@Suite("Simulate with a local Flex")
struct SimulateFlexTests {
    /// A listening socket on 127.0.0.1 (`port` 0: any free port) and its port; nil when taken.
    static func listening(port: Int) -> (socket: Int32, port: Int)? {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && listen(socket, 1) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            return nil
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("hand over, queue and accept statuses, the agent's message, an agent command with buttons")
    func handoff() async throws {
        let output = try await SimulateCommandTests.simulate("""
            Ana
            1
            Talk to an agent
            my screen is blank
            :agent Hi Ana, I'm Alice.
            :agent /ask_issue_frequency
            Every day
            :state
            """ + "\n", ["--flex", "--flex-port", "0"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(SimulateCommandTests.lines(output.stdout).drop { $0 != "bot: Would you like to talk to a person now?" } == [
            "bot: Would you like to talk to a person now?", "button: Talk to an agent", "button: Not now",
            "status: Connecting you with an agent…",
            "status: You're in the queue. An agent will be with you shortly.",
            // `:agent` accepts the waiting task first, as the agent in the console would.
            "status: Alice E. joined the chat.",
            "agent(Alice E.): Hi Ana, I'm Alice.",
            // The command itself is not shown; the bot asks while the agent keeps the chat.
            "bot: How often does the issue occur?", "button: Once a week", "button: Several times a week", "button: Every day",
        ], "stdout: \(output.stdout)")
        // `--flex-port 0`: a free port, named in the console's URL.
        let port = output.stderr.firstMatch(of: /agent console at http:\/\/127\.0\.0\.1:(\d+)\//).flatMap { Int($0.1) }
        #expect((port ?? 0) > 0, "stderr: \(output.stderr)")
        #expect(output.stderr.contains("mode: agent"), "stderr: \(output.stderr)")
        #expect(output.stderr.contains("issue_frequency: daily"), "stderr: \(output.stderr)")
    }

    @Test(":agent before any handoff says what to do; a busy port is named")
    func problems() async throws {
        let early = try await SimulateCommandTests.simulate(":agent hello\n", ["--flex", "--flex-port", "0"])
        #expect(early.status == 0)
        #expect(early.stderr.contains("error: no agent has this chat: hand it over first"), "stderr: \(early.stderr)")

        var found: (socket: Int32, port: Int)?
        for candidate in 40_000..<40_100 where found == nil { found = Self.listening(port: candidate) }
        let taken = try #require(found)
        defer { close(taken.socket) }
        let port = taken.port
        let busy = try await SimulateCommandTests.simulate("", ["--flex", "--flex-port", "\(port)"])
        #expect(busy.status == 1)
        #expect(busy.stderr.contains("the Twilio emulator could not listen on 127.0.0.1:\(port)"), "stderr: \(busy.stderr)")
    }

    @Test("--sms: texts through the emulator's number, buttons as numbered lines answered by number, the conversation handed to Flex, a command kept off the phone, back to the bot")
    func sms() async throws {
        let output = try await SimulateCommandTests.simulate("""
            start
            Ana
            2
            1
            :agent Hi Ana, I'm Alice.
            my screen is blank
            :agent /ask_issue_frequency
            3
            :agent /bot
            :state
            """ + "\n", ["--sms", "--flex-port", "0"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        // The agent writes straight to the phone; the bot's status follows its webhook: either may come first.
        let joining: Set = ["sms: Hi Ana, I'm Alice.", "sms: Alice E. joined the chat."]
        let lines = SimulateCommandTests.lines(output.stdout)
        #expect(joining.isSubset(of: lines), "stdout: \(output.stdout)")
        #expect(lines.filter { !joining.contains($0) } == [
            "sms: Hi, I'm Parley Bot.", "sms: What's your name?",
            "sms: Nice to meet you, Ana!", "sms: What can I help you with?", "sms: 1. Hardware", "sms: 2. Software",
            "sms: Thanks! Someone who knows software can help with that.",
            "sms: Would you like to talk to a person now?", "sms: 1. Talk to an agent", "sms: 2. Not now",
            "sms: Connecting you with an agent…", "sms: You're in the queue. An agent will be with you shortly.",
            // The command itself never reaches the phone; the bot asks while the agent keeps the chat.
            "sms: How often does the issue occur?", "sms: 1. Once a week", "sms: 2. Several times a week", "sms: 3. Every day",
            "sms: Handed back to the bot.", "sms: Alice E. handed you back to the bot.",
            "sms: You're back with the bot. Type `help` to see what I can do.",
        ], "stdout: \(output.stdout)")
        #expect(output.stderr.contains("by SMS as +15555550100"), "stderr: \(output.stderr)")
        #expect(output.stderr.contains("channel: sms") && output.stderr.contains("issue_frequency: daily"), "stderr: \(output.stderr)")
    }

    @Test("--sms on an app without a Conversations integration says what to add")
    func smsWithoutIntegration() async throws {
        let app = try SimulateCommandTests.copyOfTemplateApp()
        defer { try? FileManager.default.removeItem(at: app) }
        try FileManager.default.removeItem(at: app.appendingPathComponent("integration/twilio/conversations.yaml"))
        let output = try await SimulateCommandTests.simulate("start\n", ["--sms", "--flex-port", "0"], app: app)
        #expect(output.status == 1)
        #expect(output.stderr.contains("--sms needs an app with a Twilio Conversations integration"), "stderr: \(output.stderr)")
    }

    /// Drives `botcli simulate --flex` in a pseudo-terminal: the person has typed `hel` at the
    /// prompt when the agent's lines arrive; prints what the terminal received from then on.
    static let terminalScript = #"""
import json, os, pty, re, select, sys, time, urllib.request
botcli, app = sys.argv[1:3]
pid, fd = pty.fork()
if pid == 0:
    os.execve(botcli, [botcli, "simulate", "--app", app, "--flex", "--flex-port", "0"],
              dict(os.environ, NO_COLOR="1", TERM="xterm"))
out = b""
def read_until(text, timeout=30):
    global out
    deadline = time.time() + timeout
    while text not in out.decode("utf-8", "replace"):
        if time.time() > deadline:
            os.kill(pid, 9)
            raise SystemExit("timed out waiting for %r; the terminal showed:\n%s" % (text, out.decode("utf-8", "replace")))
        if select.select([fd], [], [], 0.1)[0]:
            out += os.read(fd, 65536)
def api(base, path, body=None):
    request = urllib.request.Request(base + path, method="GET" if body is None else "POST",
                                     data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())
read_until("What's your name?")
base = re.search(r"agent console at (http://127\.0\.0\.1:\d+)/", out.decode()).group(1)
os.write(fd, b"Ana\r")
read_until("What can I help you with?")
os.write(fd, b"agent\r")
read_until("in the queue")
time.sleep(0.5)
mark = len(out)
os.write(fd, b"hel")
read_until("you> hel")
task = api(base, "/emulator/api/tasks")["tasks"][-1]
api(base, "/emulator/api/tasks/%s/accept" % task["sid"], {})
api(base, "/emulator/api/channels/%s/messages" % task["channel_sid"], {"body": "Hi, I'm Alice."})
read_until("Hi, I'm Alice.")
time.sleep(1)
while select.select([fd], [], [], 0.1)[0]:
    out += os.read(fd, 65536)
os.kill(pid, 9)
print(json.dumps(out[mark:].decode("utf-8", "replace")))
"""#

    @Test("on a terminal, lines that arrive while the person types clear the prompt line, print, and draw the prompt and their text again")
    func promptRedrawn() async throws {
        guard let python = try await ProjectScripts.python() else {
            print("skipped: python3 is not installed, so no pseudo-terminal can drive the simulator")
            return
        }
        let app = try SimulateCommandTests.copyOfTemplateApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await ProjectScripts.run(python, ["-c", Self.terminalScript, BotCLIRunner.executable.path, app.path])
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8), options: .fragmentsAllowed) as? String)
        let clear = "\r\u{1B}[2K"
        #expect(shown.contains(clear + "agent(Alice E.): Hi, I'm Alice.\r\n"), "\(shown.debugDescription)")
        #expect(shown.contains(clear + "status: Alice E. joined the chat.\r\n"), "\(shown.debugDescription)")
        // The typed text is drawn again after each line, and nothing printed lands after it.
        #expect(shown.hasSuffix("you> hel"), "\(shown.debugDescription)")
        #expect(!shown.contains("helagent") && !shown.contains("helstatus"), "\(shown.debugDescription)")
    }
}

