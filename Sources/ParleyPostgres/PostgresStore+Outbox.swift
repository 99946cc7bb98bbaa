import BotRuntime
import FlowDSL
import Foundation
import PostgresNIO

/// The inbox, the outbox and timers, shared by the replicas: what a replica accepts or a turn
/// of it causes is that replica's (`owner`) until it stops renewing its claim; then the first
/// replica to look claims it, under row locks that keep two replicas from claiming one row.
extension PostgresStore {
    /// Rows whose owner is another replica that has not renewed its claim within the lease.
    private var abandoned: String {
        """
        owner <> $1 AND owner NOT IN (SELECT id FROM replica WHERE seen > now() - make_interval(secs => $2))
        """
    }

    private var leaseSeconds: Double { Double(sharedLease!.components.seconds) }

    public func enqueueInbound(_ event: Event) async throws -> Int64 {
        try await withConnection { connection in try await insertInbound(event, on: connection) }
    }

    private func insertInbound(_ event: Event, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("""
            INSERT INTO inbox (thread_id, event, owner) VALUES (\(event.threadID), \(event.inboxJSON), \(replica)) RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw PostgresStoreError.noRow("inbox")
    }

    /// Claims the inbox entries of replicas that stopped renewing (at start: of the processes
    /// before this one) and those released and not claimed since, oldest first.
    public func pendingInbound() async throws -> [InboxEntry] {
        try await Self.entries(client.query(PostgresQuery(unsafeSQL: """
            UPDATE inbox SET owner = $1 WHERE id IN (SELECT id FROM inbox WHERE \(abandoned) FOR UPDATE SKIP LOCKED)
            RETURNING id, event
            """, binds: claimBinds()), logger: logger))
    }

    private static func entries(_ rows: PostgresRowSequence) async throws -> [InboxEntry] {
        var entries: [InboxEntry] = []
        for try await (id, json) in rows.decode((Int64, String).self) {
            entries.append(InboxEntry(id: id, event: try Event(inboxJSON: json)))
        }
        return entries.sorted { $0.id < $1.id }
    }

    public func inboundAhead(thread: String, before id: Int64?) async throws -> Bool {
        // The turn's start read it under the thread's lock (entries accepted since came after);
        // outside a turn, the same statement reads it now.
        let earliest: Int64?
        if let scope = Self.turn, scope.thread == thread, let read = scope.earliestElsewhere {
            earliest = read
        } else {
            earliest = try await withConnection { connection in
                for try await row in try await connection.execute(StartTurn(thread: thread, user: "", idempotencyKey: nil, replica: replica),
                                                                  logger: logger) {
                    return row.7
                }
                return nil
            }
        }
        guard let earliest else { return false }
        return id.map { earliest < $0 } ?? true
    }

    public func releaseInbound(_ id: Int64) async throws {
        try await withConnection { connection in
            try await connection.query("UPDATE inbox SET owner = '' WHERE id = \(id)", logger: logger)
        }
    }

    public func setAsideInbound(_ id: Int64) async throws {
        try await withConnection { connection in
            try await connection.query("UPDATE inbox SET set_aside = true WHERE id = \(id)", logger: logger)
        }
    }

    public func claimWaitingInbound(thread: String) async throws -> [InboxEntry] {
        // Released entries are held by nobody, so the turn's start saw them; another replica
        // can release one only under the thread's lock, after this turn. None seen: none to claim.
        if let scope = Self.turn, scope.thread == thread, case .some(nil) = scope.earliestElsewhere { return [] }
        return try await withConnection { connection in
            try await Self.entries(connection.query("""
                UPDATE inbox SET owner = \(replica) WHERE thread_id = \(thread) AND owner = '' RETURNING id, event
                """, logger: logger))
        }
    }

    public func removeInbound(_ id: Int64) async throws {
        try await withConnection { connection in
            try await connection.query("DELETE FROM inbox WHERE id = \(id)", logger: logger)
        }
    }

    /// Inserts a turn's outbound work (this replica's) and timer changes in the turn's
    /// transaction; returns the work's ids, in order.
    func writeOutbox(_ outbox: EncodedOutbox, threadID: String, on connection: PostgresConnection) async throws -> [Int64] {
        var ids: [Int64] = []
        for work in outbox.outbound {
            let rows = try await connection.query("""
                INSERT INTO outbox (thread_id, integration, lane, kind, payload, owner)
                VALUES (\(threadID), \(work.integration), \(work.lane), \(work.kind), \(work.payloadJSON), \(replica)) RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { ids.append(id) }
        }
        for change in outbox.timerChanges {
            try await connection.query("DELETE FROM timer WHERE thread_id = \(threadID) AND name = \(change.name)", logger: logger)
            if let due = change.due {
                try await connection.query("""
                    INSERT INTO timer (thread_id, name, due, data, event_type)
                    VALUES (\(threadID), \(change.name), \(due), \(change.dataJSON), \(change.eventType))
                    """, logger: logger)
            }
        }
        return ids
    }

    /// Claims the outbound work of replicas that stopped renewing, in commit order.
    public func pendingOutbox() async throws -> [OutboxItem] {
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            UPDATE outbox SET owner = $1 WHERE id IN (SELECT id FROM outbox WHERE \(abandoned) FOR UPDATE SKIP LOCKED)
            RETURNING id, thread_id, integration, lane, kind, payload, attempts, not_before
            """, binds: claimBinds()), logger: logger)
        var items: [OutboxItem] = []
        for try await (id, thread, integration, lane, kind, payload, attempts, notBefore)
            in rows.decode((Int64, String, String, String, String, String, Int, Double).self) {
            items.append(OutboxItem(id: id, threadID: thread,
                                    work: OutboundWork(integration: integration, lane: lane, kind: kind,
                                                       payload: try TemplateMap(storedJSON: payload, what: "an outbox payload")),
                                    attempts: attempts, notBefore: Date(timeIntervalSince1970: notBefore)))
        }
        return items.sorted { $0.id < $1.id }
    }

    private func claimBinds() throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(replica)
        binds.append(leaseSeconds)
        return binds
    }

    public func finishOutbox(_ id: Int64, reply: Event?) async throws -> Int64? {
        try await inTransaction { connection in
            try await connection.query("DELETE FROM outbox WHERE id = \(id)", logger: logger)
            guard let reply else { return nil }
            return try await insertInbound(reply, on: connection)
        }
    }

    public func postponeOutbox(_ id: Int64, attempts: Int, notBefore: Date) async throws {
        try await withConnection { connection in
            try await connection.query("""
                UPDATE outbox SET attempts = \(attempts), not_before = \(notBefore.timeIntervalSince1970) WHERE id = \(id)
                """, logger: logger)
        }
    }

    public func dueTimers(at time: Date) async throws -> [StoredTimer] {
        let rows = try await client.query("""
            SELECT id, thread_id, name, due, data, event_type FROM timer WHERE due <= \(time.timeIntervalSince1970) ORDER BY due, id
            """, logger: logger)
        var timers: [StoredTimer] = []
        for try await (id, thread, name, due, data, type) in rows.decode((Int64, String, String, Double, String, String).self) {
            timers.append(StoredTimer(id: id, timer: DurableTimer(threadID: thread, name: name, due: Date(timeIntervalSince1970: due),
                                                                  data: try TemplateMap(storedJSON: data, what: "a timer's data"),
                                                                  eventType: type)))
        }
        return timers
    }

    public func backlog() async throws -> StoreBacklog {
        let rows = try await client.query("""
            SELECT (SELECT count(*) FROM inbox)::bigint, (SELECT count(*) FROM outbox)::bigint, (SELECT count(*) FROM timer)::bigint
            """, logger: logger)
        for try await (inbox, outbox, timers) in rows.decode((Int, Int, Int).self) {
            return StoreBacklog(inbox: inbox, outbox: outbox, timers: timers)
        }
        throw PostgresStoreError.noRow("counts")
    }

    public func nextTimerDue() async throws -> Date? {
        for try await due in try await client.query("SELECT min(due) FROM timer", logger: logger).decode(Double?.self) {
            return due.map { Date(timeIntervalSince1970: $0) }
        }
        return nil
    }

    /// Removes the timer and files its event in one transaction; the replica whose `DELETE`
    /// found the row fires it, the others get nil.
    public func fireTimer(_ timer: StoredTimer, event: Event) async throws -> Int64? {
        try await inTransaction { connection in
            var removed = false
            for try await _ in try await connection.query("DELETE FROM timer WHERE id = \(timer.id) RETURNING id", logger: logger)
                .decode(Int64.self) { removed = true }
            guard removed else { return nil }
            return try await insertInbound(event, on: connection)
        }
    }
}
