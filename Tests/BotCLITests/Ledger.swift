import Foundation
import Hummingbird

/// A thread's ledger as the admin API reads it (`GET /admin/threads/{id}`), every page of it.
struct Ledger: Sendable {
    /// One ledger event: what the guarantee tests compare.
    struct Entry: Sendable {
        var sequence: Int
        var type: String
        var sender: String
        var text: String?
        var idempotencyKey: String?
        /// The event's data, as JSON text with sorted keys.
        var data: String
    }

    var events: [Entry]
    /// The thread row's `last_sequence`.
    var lastSequence: Int
    /// The thread scope's `count`.
    var scopeCount: Int?
    /// `bot` or `agent`.
    var mode: String?
    /// The element of the step waiting for the user, if one is.
    var waitingElement: String?

    /// The events of `type`, in order.
    func events(_ type: String) -> [Entry] { events.filter { $0.type == type } }

    /// The ledgers of `threads`; a thread that does not exist reads as empty.
    static func read(_ threads: [String], port: Int, token: String) async throws -> [String: Ledger] {
        var ledgers: [String: Ledger] = [:]
        for thread in threads { ledgers[thread] = try await read(thread, port: port, token: token) }
        return ledgers
    }

    static func read(_ thread: String, port: Int, token: String) async throws -> Ledger {
        var ledger = Ledger(events: [], lastSequence: 0, scopeCount: 0)
        var after = 0
        while true {
            let reply = try await LoopbackHTTP.request(port: port, .get, "/admin/threads/\(thread)?after=\(after)&limit=1000",
                                                       headers: [.authorization: "Bearer \(token)"])
            if reply.status == 404, after == 0 { return ledger }
            guard reply.status == 200, let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any],
                  let events = object["events"] as? [[String: Any]], let last = object["last_sequence"] as? Int else {
                throw LedgerError.unreadable(thread: thread, status: reply.status, body: reply.body)
            }
            ledger.lastSequence = last
            ledger.scopeCount = (object["scope"] as? [String: Any])?["count"] as? Int
            ledger.mode = object["mode"] as? String
            ledger.waitingElement = (object["waiting"] as? [String: Any])?["element"] as? String
            for event in events {
                let data = event["data"] as? [String: Any] ?? [:]
                let json = (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) }
                ledger.events.append(Entry(sequence: event["sequence"] as? Int ?? -1, type: event["type"] as? String ?? "",
                                           sender: event["sender"] as? String ?? "", text: data["text"] as? String,
                                           idempotencyKey: event["idempotency_key"] as? String, data: json ?? "{}"))
            }
            guard let next = object["next_after"] as? Int else { return ledger }
            after = next
        }
    }
}

/// The admin API did not answer with a thread.
enum LedgerError: Error, CustomStringConvertible {
    case unreadable(thread: String, status: Int, body: String)

    var description: String {
        switch self {
        case let .unreadable(thread, status, body): "GET /admin/threads/\(thread) answered \(status): \(body)"
        }
    }
}
