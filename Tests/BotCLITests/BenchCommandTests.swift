import Testing

@Suite("botcli bench")
struct BenchCommandTests {
    /// The benchmark itself is run by hand in release mode; here we only check that it works
    /// end to end and prints its figures (no timing assertions).
    @Test("bench load prints load and render figures")
    func benchLoadPrintsFigures() throws {
        let output = try BotCLIRunner.run(["bench", "load", "--flows", "20", "--runs", "1", "--seconds", "0.01"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("load+validate 20 flows (20 flows, 40 triggers,"))
        #expect(output.stdout.contains("render Hello (@ user.name ):"))
        #expect(output.stdout.contains("renders/s"))
    }
}
