import CEditLine
import Foundation

/// Where the simulator's input lines come from.
protocol LineReader {
    /// The next line without its newline, or nil at the end of input (EOF, Ctrl-D).
    mutating func next() -> String?
}

/// Lines from a pipe or file: no prompt, no echo, no history.
struct PlainLineReader: LineReader {
    mutating func next() -> String? { readLine(strippingNewline: true) }
}

/// Lines typed at a terminal, through libedit: a prompt, line editing, and history kept in
/// a file between runs (non-blank lines, the latest 1,000).
struct EditLineReader: LineReader {
    let prompt: String
    let historyPath: String?

    init(prompt: String, historyPath: String?) {
        self.prompt = prompt
        self.historyPath = historyPath
        using_history()
        stifle_history(1_000)
        if let historyPath { _ = read_history(historyPath) }
    }

    mutating func next() -> String? {
        guard let pointer = readline(prompt) else {
            print() // Ctrl-D leaves the cursor after the prompt
            return nil
        }
        defer { free(pointer) }
        let line = String(cString: pointer)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(line)
            // Written at once: Ctrl-C ends the process without running any clean-up.
            if let historyPath { _ = write_history(historyPath) }
        }
        return line
    }
}
