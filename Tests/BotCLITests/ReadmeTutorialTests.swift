import Foundation
import SharedTestFixtures
import Testing

/// The README's "Your first bot" commands, taken from README.md itself (so the two cannot
/// drift) and run in order, as pasted, in a fresh folder with `botcli` on PATH.
@Suite("README tutorial")
struct ReadmeTutorialTests {
    /// The `sh` blocks of the README section titled `title`, in order.
    static func shellBlocks(of title: String) throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n## ").first { $0.hasPrefix(title + "\n") }, "no section \(title)")
        return section.components(separatedBy: "```sh\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }

    @Test("Your first bot: every command works when pasted in order, and the piped simulator greets once")
    func firstBot() async throws {
        let blocks = try Self.shellBlocks(of: "Your first bot")
        #expect(blocks.count >= 2, "the section's sh blocks: \(blocks)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = BotCLIRunner.executable.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "")
        // -e: the first command that fails fails the tutorial; stdin is empty, as for a script.
        let run = try await ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-e", "-c", blocks.joined(separator: "\n")],
                                             in: folder, environment: environment, combiningOutput: true)
        let text = run.stdout
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("passed, 0 failed"), "\(text)")
        #expect(text.contains("bot: Nice to meet you, Ana!"), "\(text)")
        // The piped run greets once (the interactive one before it greets on its own thread).
        let piped = text.components(separatedBy: "simulating").last ?? ""
        #expect(piped.components(separatedBy: "bot: What's your name?").count == 2, "\(piped)")
    }
}
