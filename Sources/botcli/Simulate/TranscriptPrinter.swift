import Foundation

/// How `botcli simulate` prints: the conversation, and what the simulator itself says.
///
/// Plain (stdin is not a terminal): standard output holds exactly the conversation, one line
/// per thing shown (`TurnResult.plainLines`), without colour; everything else goes to standard
/// error. On a terminal: the same lines styled (buttons numbered, colour unless `NO_COLOR`),
/// and the simulator's notes on standard output too.
struct TranscriptPrinter {
    /// stdin is a terminal: a person is typing.
    let interactive: Bool
    /// ANSI colours on standard output.
    let colour: Bool
    /// ANSI colours on standard error.
    let errorColour: Bool

    static func forCurrentProcess(environment: [String: String] = ProcessInfo.processInfo.environment) -> TranscriptPrinter {
        let colourAllowed = (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
        let interactive = isatty(STDIN_FILENO) == 1
        return TranscriptPrinter(interactive: interactive,
                                 colour: interactive && colourAllowed && isatty(STDOUT_FILENO) == 1,
                                 errorColour: colourAllowed && isatty(STDERR_FILENO) == 1)
    }

    /// What the user is shown from one turn (plain-format lines).
    func show(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        let text = interactive ? styled(lines) : lines
        Prompt.printing {
            print(text.joined(separator: "\n"))
            fflush(nil)
        }
    }

    /// The simulator's own output: the banner, `:help`, `:state`.
    func note(_ text: String) {
        if interactive {
            print(paint(text, ANSI.dim))
            fflush(nil)
        } else {
            Self.writeError(text)
        }
    }

    /// A command that could not be done; the session goes on.
    func problem(_ text: String) {
        if interactive {
            print(paint("error: " + text, ANSI.red))
            fflush(nil)
        } else {
            Self.writeError("error: " + text)
        }
    }

    /// Always to standard error.
    func warning(_ text: String) {
        Self.writeError((errorColour ? ANSI.yellow + "warning:" + ANSI.reset : "warning:") + " " + text)
    }

    static func writeError(_ text: String) {
        fflush(nil)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    // MARK: Terminal styling

    /// Plain lines as shown on a terminal: `bot:` lines bold, buttons numbered on one line
    /// (`[1] Hardware  [2] Software`), status dimmed, agents in magenta, errors red.
    func styled(_ lines: [String]) -> [String] {
        var output: [String] = []
        var buttons: [String] = []
        var number = 0
        func flushButtons() {
            guard !buttons.isEmpty else { return }
            let width = buttons.reduce(0) { $0 + $1.count + 6 }
            let items = buttons.enumerated().map { offset, text -> String in
                paint("[\(number - buttons.count + offset + 1)]", ANSI.cyan) + " " + text
            }
            if width <= 72 {
                output.append("     " + items.joined(separator: "  "))
            } else {
                output.append(contentsOf: items.map { "     " + $0 })
            }
            buttons = []
        }
        for line in lines {
            if let text = line.removingPrefix("button: ") {
                number += 1
                buttons.append(text)
                continue
            }
            flushButtons()
            if line.hasPrefix("bot: ") {
                output.append(paint(line, ANSI.bold))
            } else if line.hasPrefix("status: ") {
                output.append(paint(line, ANSI.dim))
            } else if line.hasPrefix("error: ") {
                output.append(paint(line, ANSI.red))
            } else if line.hasPrefix("agent"), let colon = line.range(of: ": ") {
                output.append(paint(String(line[..<colon.lowerBound]) + ":", ANSI.magenta + ANSI.bold) + " "
                              + line[colon.upperBound...])
            } else {
                output.append(line)
            }
        }
        flushButtons()
        return output
    }

    func paint(_ text: String, _ style: String) -> String {
        guard colour else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : style + $0 + ANSI.reset }.joined(separator: "\n")
    }

    enum ANSI {
        static let reset = "\u{1B}[0m"
        static let bold = "\u{1B}[1m"
        static let dim = "\u{1B}[2m"
        static let red = "\u{1B}[31m"
        static let yellow = "\u{1B}[33m"
        static let magenta = "\u{1B}[35m"
        static let cyan = "\u{1B}[36m"
    }
}

private extension String {
    func removingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
