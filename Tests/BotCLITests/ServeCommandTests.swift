import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("botcli serve")
struct ServeCommandTests {
    @Test("--help documents the channel, the probes, the flags and their environment variables")
    func help() throws {
        let output = try BotCLIRunner.run(["serve", "--help"])
        #expect(output.status == 0)
        for text in ["/chat", "/ws?user=", "after=", "/webhooks/rest/webhook", "/healthz", "/readyz", "page_open", "message_id", "--host", "--port",
                     "--public-url", "PARLEY_HOST", "PARLEY_PORT", "PARLEY_PUBLIC_URL", "--max-body-size",
                     "parley_websockets_open", #"parley_turns_total{channel="rest"|"websocket"}"#, "--shutdown-timeout"] {
            #expect(output.stdout.contains(text), "missing \(text)")
        }
    }

    @Test("a bad port or public URL is refused before anything starts")
    func validation() throws {
        let port = try BotCLIRunner.run(["serve", "--app", BotCLIRunner.fixtureApp("conversation-tests").path],
                                        environment: ["PARLEY_PORT": "eighty"])
        #expect(port.status != 0 && port.stderr.contains("PARLEY_PORT must be a port number"))
        let url = try BotCLIRunner.run(["serve", "--public-url", "bot.example.com"])
        #expect(url.status != 0 && url.stderr.contains("--public-url must be an http:// or https:// URL"))
    }

    @Test("serves the app's store over HTTP and stops cleanly on SIGTERM")
    func serveAndStop() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        let errURL = app.appendingPathComponent("serve.stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = BotCLIRunner.executable
        process.arguments = ["serve", "--app", app.path, "--port", "0"]
        // Far from the sources: the chat page is built into the binary.
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PARLEY_LOG_LEVEL")
        process.environment = environment
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The listening address is logged at info level, with the port the system chose.
        var port: Int?
        for _ in 0..<200 where port == nil {
            let log = try String(contentsOf: errURL, encoding: .utf8)
            if let match = log.firstMatch(of: /address=http:\/\/127\.0\.0\.1:(\d+)/) { port = Int(match.1) }
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let port else {
            Issue.record("no listening line: \(try String(contentsOf: errURL, encoding: .utf8))")
            return
        }
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var ready = false
            for _ in 0..<100 where !ready {
                ready = try await client.get("/readyz").status == .ok
                if !ready { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(ready)
            let reply = try await client.post("/webhooks/rest/webhook", body: ByteBuffer(string: #"{"sender": "ana", "message": "hi"}"#))
            #expect(reply.status == .ok)
            #expect(reply.body.map { String(buffer: $0) }?.contains(#""title":"Good","payload":"flow.greet.steps.1.buttons.0""#) == true)
            for (path, type) in [("/chat", "text/html; charset=utf-8"), ("/chat/chat.js", "text/javascript; charset=utf-8")] {
                let file = try await client.get(path)
                #expect(file.status == .ok, "\(path)")
                #expect(file.headers[.contentType] == type, "\(path)")
            }
        }
        process.terminate()  // SIGTERM, as a process supervisor stops it
        process.waitUntilExit()
        try err.close()
        let log = try String(contentsOf: errURL, encoding: .utf8)
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(log.contains("stopped"))
        #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent(".parley/state.sqlite").path))
    }
}
