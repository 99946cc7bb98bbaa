import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TwilioEmulator

/// The durable outbox through the real `botcli serve`: messages the agent must see, committed
/// while Twilio was out, survive `kill -9` and reach the agent after a restart, each once and
/// in the user's order.
@Suite("Outbox: botcli serve killed with work queued")
struct OutboxCrashTests {
    /// Stands between the bot and the Twilio emulator on 127.0.0.1: forwards every request, or,
    /// while `down`, answers 503 as Twilio does during an outage.
    final class OutageProxy: Sendable {
        let target: String
        let down = Mutex(false)
        /// What came through, for a failure's message: method, path, answer.
        let log = Mutex<[String]>([])

        init(target: String) {
            self.target = target
        }

        func application(port: Int) -> some ApplicationProtocol {
            let router = Router()
            for method in [HTTPRequest.Method.get, .post] {
                router.on("**", method: method) { request, _ -> Response in
                    if self.down.withLock({ $0 }) {
                        self.log.withLock { $0.append("\(request.method) \(request.uri.path) 503 (down)") }
                        return Response(status: .serviceUnavailable, headers: [.contentType: "application/json"],
                                        body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"code": 20503, "message": "Service unavailable", "status": 503}"#)))
                    }
                    var forwarded = HTTPClientRequest(url: self.target + request.uri.description)
                    forwarded.method = .init(rawValue: request.method.rawValue)
                    for field in request.headers { forwarded.headers.add(name: field.name.rawName, value: field.value) }
                    forwarded.body = .bytes(try await request.body.collect(upTo: 1 << 20))
                    let answer: HTTPClientResponse
                    do {
                        answer = try await HTTPClient.shared.execute(forwarded, timeout: .seconds(10))
                    } catch {
                        self.log.withLock { $0.append("\(request.method) \(request.uri.path) failed: \(error)") }
                        throw error
                    }
                    self.log.withLock { $0.append("\(request.method) \(request.uri.path) \(answer.status.code)") }
                    let body = try await answer.body.collect(upTo: 1 << 20)
                    var headers = HTTPFields()
                    if let type = answer.headers.first(name: "Content-Type") { headers[.contentType] = type }
                    return Response(status: .init(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: body))
                }
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        }
    }

    @Test("kill -9 while Twilio is out: after a restart every relayed message reaches the agent once, in order")
    func killedWithRelaysQueued() async throws {
        let app = try SimulateCommandTests.copyOfTemplateApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let servePort = try SimulateFlexTests.freePort(), proxyPort = try SimulateFlexTests.freePort()
        var configuration = TwilioEmulator.Configuration(port: 0)
        configuration.chatWebhookURL = "http://127.0.0.1:\(servePort)/webhooks/integration.twilio.flex"
        configuration.taskRouterCallbackURL = configuration.chatWebhookURL
        let emulator = try await TwilioEmulator.start(configuration)
        let proxy = OutageProxy(target: emulator.baseURL)
        let proxyServer = Task { try await proxy.application(port: proxyPort).runService() }
        defer { proxyServer.cancel() }
        do {
            try FlexHandoffServeTests.pointTemplate(app, at: "http://127.0.0.1:\(proxyPort)", configuration: configuration)
            let environment = ["PARLEY_ADMIN_TOKEN": FlexHandoffServeTests.token, "PARLEY_REST_AUTH": "open"]
            let texts = (1...5).map { "message \($0) while Twilio is out" }

            let first = try BotCLIProcess(["serve", "--app", app.path, "--port", "\(servePort)"], environment: environment)
            try await first.waitUntilReady(port: servePort)
            let channel = try await TestClient.withClient(host: "127.0.0.1", port: servePort) { client in
                let handoff = FlexHandoffServeTests.Handoff(emulator: emulator, client: client)
                let task = try await FlexHandoffServeTests.handOver(handoff)
                try await handoff.agent.accept(task.sid)
                try await handoff.waitForLedger("status: Alice E. joined the chat.")
                proxy.down.withLock { $0 = true }
                // Each acknowledged: committed, with its relay in the outbox.
                for text in texts { #expect(try await handoff.message(text) == []) }
                return task.channelSid
            }
            // Long enough for the first tries to fail; then the process dies with the work queued.
            try await Task.sleep(for: .seconds(2))
            first.send(SIGKILL)
            _ = try await first.waitForExit()
            proxy.down.withLock { $0 = false }
            #expect(try await emulator.agent.messages(channel: channel, wait: .zero).value.messages.allSatisfy { !texts.contains($0.body) })

            let second = try BotCLIProcess(["serve", "--app", app.path, "--port", "\(servePort)"], environment: environment)
            defer { second.send(SIGTERM) }
            try await second.waitUntilReady(port: servePort)
            _ = try await emulator.agent.waitForMessages(channel: channel, timeout: .seconds(30)) { messages in
                messages.filter { texts.contains($0.body) }.count >= texts.count
            }
            // A moment more: nothing is delivered twice.
            try await Task.sleep(for: .seconds(1))
            let messages = try await emulator.agent.messages(channel: channel, wait: .zero).value.messages
            let bodies = messages.map(\.body)
            let sent = messages.filter { texts.contains($0.body) }.map { "\($0.sid) \($0.body) \($0.attributes) \($0.dateCreated)" }
            #expect(bodies.filter { texts.contains($0) } == texts,
                    "\(sent.joined(separator: "\n"))\nproxy: \(proxy.log.withLock { $0 }.joined(separator: "\n"))\nfirst: \(first.output)\nsecond: \(second.output)")
            #expect(second.output.contains("resumed outbound work"), "\(second.output)")
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
