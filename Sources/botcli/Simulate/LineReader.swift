import CEditLine
import Foundation
import Synchronization

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

    /// Whether `readline` is waiting for a line now: text printed meanwhile (what webhooks bring
    /// with `--flex`) must clear the prompt line first and draw it again after (`Prompt`).
    static let reading = Mutex(false)

    mutating func next() -> String? {
        Self.reading.withLock { $0 = true }
        let read = readline(prompt)
        Self.reading.withLock { $0 = false }
        guard let pointer = read else {
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

/// Printing while the person is typing at the prompt: the prompt line (and what they typed so
/// far) is cleared, the text printed, and the prompt drawn again with their text, so lines that
/// arrive on their own never land in the middle of what is being typed.
enum Prompt {
    static func printing(_ body: () -> Void) {
        EditLineReader.reading.withLock { reading in
            guard reading else { return body() }
            // Carriage return and erase-line (ANSI), then libedit redraws the prompt and buffer.
            FileHandle.standardOutput.write(Data("\r\u{1B}[2K".utf8))
            body()
            rl_forced_update_display()
        }
    }
}
