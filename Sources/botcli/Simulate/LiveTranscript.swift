import BotRuntime
import Synchronization

/// What the simulated user has been shown, from two sources that may race: the events of the
/// turns the simulator runs itself, and (with `--flex`) the thread's live events from turns
/// that webhooks started (an agent's message, a queue status). Each ledger event is printed
/// once, in sequence order, and the buttons last shown stay clickable by number or text.
final class LiveTranscript: Sendable {
    private struct State {
        var shownThrough = 0
        var offered = OfferedButtons()
        var lastShown = ContinuousClock.now
    }

    let printer: TranscriptPrinter
    private let state = Mutex(State())

    init(printer: TranscriptPrinter) {
        self.printer = printer
    }

    /// Prints the events not printed yet (later than the last one shown) and offers their
    /// buttons.
    func show(_ events: [Event]) {
        state.withLock { state in
            let fresh = events.filter { $0.sequence == 0 || $0.sequence > state.shownThrough }
            guard !fresh.isEmpty else { return }
            state.shownThrough = max(state.shownThrough, fresh.map(\.sequence).max() ?? 0)
            let shown = fresh.filter { !$0.plainLines.isEmpty }
            guard !shown.isEmpty else { return }
            state.offered.update(shown: shown)
            state.lastShown = .now
            // Inside the lock: two sources never interleave their lines.
            printer.show(shown.flatMap(\.plainLines))
        }
    }

    /// Prints lines that come from elsewhere than the ledger (what reaches a phone).
    func showLines(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        state.withLock { state in
            state.lastShown = .now
            printer.show(lines)
        }
    }

    /// A thread continued from the store: its events up to `sequence` were shown in an earlier
    /// run; `shown` are the last of them, whose buttons can be clicked again.
    func resume(after sequence: Int, offering shown: [Event]) {
        state.withLock { state in
            state.shownThrough = sequence
            state.offered.update(shown: shown)
        }
    }

    /// A new thread: nothing shown yet.
    func restart() {
        state.withLock { state in
            state.shownThrough = 0
            state.offered.clear()
        }
    }

    /// What a typed line does: click an offered button, or say the text.
    func reply(to line: String) -> OfferedButtons.Reply {
        state.withLock { $0.offered.reply(to: line) }
    }

    /// When something was last printed.
    var lastShown: ContinuousClock.Instant {
        state.withLock { $0.lastShown }
    }
}
