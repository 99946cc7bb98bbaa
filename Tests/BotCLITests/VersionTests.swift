import Foundation
import Testing

@Suite("botcli --version")
struct VersionTests {
    @Test("prints the version and exits 0")
    func version() async throws {
        let output = try await BotCLIRunner.run(["--version"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines).wholeMatch(of: /\d+\.\d+\.\d+/) != nil, "\(output.stdout)")
    }
}
