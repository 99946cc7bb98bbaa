import Foundation
import Hummingbird
import Synchronization

/// Steady REST traffic for the stop and crash tests: 40 senders on threads of their own and 8
/// workers sharing one thread, each message with a `message_id`, each worker sending one
/// message after the other on fresh connections (to each of the servers' ports in turn, when
/// replicas share one store). Once `acknowledgedBeforeSignal` messages got
/// a 200 the signal is sent — with about 48 requests in flight — and each worker stops at its
/// first failed request. Bounded: no worker sends more than `maxPerWorker`.
struct MessageLoad: Sendable {
    /// One message sent.
    struct Message: Hashable, Sendable {
        var sender: String
        var thread: String
        var id: String
        var text: String

        var body: String {
            #"{"sender": "\#(sender)", "message": "\#(text)", "message_id": "\#(id)"}"#
        }
    }

    static let acknowledgedBeforeSignal = 150
    static let maxPerWorker = 400
    static let ownThreads = 40
    static let sharedWorkers = 8
    static let sharedThread = "shared"

    /// Messages answered 200, with their answer's body.
    var acknowledged: [Message: String]
    /// Every thread written to.
    var threads: [String]

    /// Sends until the signal has been sent and every worker has seen the server go.
    static func run(ports: [Int], signal: @escaping @Sendable () -> Void) async throws -> MessageLoad {
        let count = AcknowledgedCount()
        let threads = (0..<ownThreads).map { "user-\($0)" } + [sharedThread]
        let acknowledged = await withTaskGroup(of: [(Message, String)].self) { group in
            for worker in 0..<(ownThreads + sharedWorkers) {
                group.addTask {
                    let sender = worker < ownThreads ? "user-\(worker)" : sharedThread
                    var answered: [(Message, String)] = []
                    for number in 0..<maxPerWorker {
                        let message = Message(sender: sender, thread: sender, id: "w\(worker)-m\(number)", text: "message \(number)")
                        let port = ports[(worker + number) % ports.count]
                        guard let reply = try? await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: message.body)
                        else { break }
                        guard reply.status == 200 else { continue }
                        answered.append((message, reply.body))
                        if count.increment() == acknowledgedBeforeSignal { signal() }
                    }
                    return answered
                }
            }
            return await group.reduce(into: [Message: String]()) { all, answered in
                for (message, body) in answered { all[message] = body }
            }
        }
        return MessageLoad(acknowledged: acknowledged, threads: threads)
    }

    /// The texts of a REST answer's messages.
    static func texts(of answer: String) -> [String] {
        guard let list = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [[String: Any]] else { return [] }
        return list.compactMap { $0["text"] as? String }
    }
}

/// How many messages were acknowledged so far, across workers.
private final class AcknowledgedCount: Sendable {
    private let value = Mutex(0)

    /// Adds one; the new count.
    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }
}
