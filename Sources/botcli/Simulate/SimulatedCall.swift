import Foundation
import Synchronization
import TwilioEmulator

/// `botcli simulate --voice`: the terminal is a caller. The local Twilio emulator
/// (`SimulatedTwilio`) calls the app's voice integration as Twilio would — signed webhooks in,
/// TwiML out — and plays its TwiML: what the caller hears is printed as it is said
/// (`voice: …` for the bot, `virtual agent: …` for a scripted Dialogflow CX agent, `call: …`
/// for what happens on the line), and each line typed is what they say (`#2` presses key 2,
/// an empty line is silence, `:hangup` hangs up). A handoff puts the caller on hold for the
/// agent console, where an agent answers and hangs up.
struct SimulatedCall {
    let twilio: SimulatedTwilio
    let printer: TranscriptPrinter

    /// What is printed of the call, once each, whether the caller's own action or the agent's
    /// (in the console) brought it.
    final class Transcript: Sendable {
        let printer: TranscriptPrinter
        private let shown = Mutex(0)

        init(printer: TranscriptPrinter) { self.printer = printer }

        func show(_ call: PhoneCall) {
            shown.withLock { shown in
                guard call.lines.count > shown else { return }
                let fresh = call.lines[shown...]
                shown = call.lines.count
                // Inside the lock: the two sources never interleave their lines.
                printer.show(fresh.compactMap(Self.line))
            }
        }

        static func line(_ line: PhoneCall.Line) -> String? {
            switch line.speaker {
            case .bot: "voice: \(line.text)"
            case .virtualAgent: "virtual agent: \(line.text)"
            case .system: "call: \(line.text)"
            case .caller: nil
            }
        }
    }

    /// Plays the call: it comes in, then each line is what the caller does, until the call
    /// ends or the input does (which hangs up).
    func run(reading reader: inout some LineReader) async {
        guard let numbers = twilio.phone else { return }
        let agent = twilio.emulator.agent, transcript = Transcript(printer: printer)
        var call: PhoneCall
        do {
            call = try await agent.call(from: numbers.customer, to: numbers.business)
        } catch {
            printer.problem("the call could not be placed: \(error)")
            return
        }
        let sid = call.sid
        // What happens while the caller is silent: an agent answering or hanging up in the console.
        let watcher = Task {
            var version: Int?
            while !Task.isCancelled {
                guard let snapshot = try? await agent.phoneCall(sid, after: version, wait: .seconds(10)) else {
                    try? await Task.sleep(for: .milliseconds(200))
                    continue
                }
                version = snapshot.version
                transcript.show(snapshot.value)
                if snapshot.value.state == "ended" { return }
            }
        }
        defer { watcher.cancel() }
        transcript.show(call)
        prompt(call, before: nil)
        while call.state != "ended" {
            guard let line = reader.next() else {
                call = (try? await agent.hangUp(sid)) ?? call
                break
            }
            let typed = line.trimmingCharacters(in: .whitespaces), before = call.state
            do {
                if typed == ":hangup" {
                    call = try await agent.hangUp(sid)
                } else if typed.hasPrefix("#"), typed.count > 1 {
                    call = try await agent.press(String(typed.dropFirst()), on: sid)
                } else if typed.isEmpty {
                    call = try await agent.staySilent(on: sid)
                } else {
                    call = try await agent.speak(typed, on: sid)
                }
            } catch AgentClientError.refused(_, let message) {
                printer.problem(message)
                continue
            } catch {
                printer.problem("the emulator did not answer: \(error)")
                break
            }
            transcript.show(call)
            prompt(call, before: before)
        }
        transcript.show(call)
        for error in call.errors { printer.problem("Twilio: \(error)") }
    }

    /// What the caller may do now (`before`: the call's state before their last action).
    private func prompt(_ call: PhoneCall, before: String?) {
        switch call.state {
        case "listening":
            printer.show(["listening\(call.hints.map { " (\($0))" } ?? ""): say something, #N presses key N, an empty line is silence"])
        case "virtual_agent":
            printer.show(["listening (virtual agent): say something, an empty line is silence"])
        case "queued" where before != "queued":
            printer.note("on hold: an agent answers in the console, \(twilio.emulator.consoleURL); :hangup hangs up")
        default:
            break
        }
    }
}
