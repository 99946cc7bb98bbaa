import BotRuntime
import CoreMetrics
import FlowDSL
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The `BotStore` several `botcli serve` processes (replicas) share: PostgreSQL through
/// postgres-nio.
///
/// - **One thread's turns never overlap across replicas**: a turn runs in one transaction that
///   starts with a transaction-scoped advisory lock on its thread (`withTurnLock`), reads the
///   thread and its idempotency key, and ends with the turn's writes and `COMMIT`, which lets
///   the next turn of the thread in. A retry that reaches another replica waits for the lock
///   and then finds the first turn's receipt. A lock, not `SELECT … FOR UPDATE`: a new thread
///   has no row to lock yet.
/// - **Accepted work belongs to a replica while it lives**: inbox entries and outbox items are
///   written with the replica's id; each replica renews its row in `replica` every third of the
///   lease. Work whose replica stopped renewing is claimed by another (`pendingInbound`,
///   `pendingOutbox`), once, under row locks; a turn whose inbox entry another replica handled
///   meanwhile writes nothing (`InboxEntryTaken`). Timers fire once: the replica whose `DELETE`
///   removes the timer files its event.
///
/// Metrics (through swift-metrics: `botcli serve`'s `/metrics`): `parley_store_lock_wait_seconds`,
/// how long turns waited for their thread's lock (a thread busy on another replica, or here);
/// `parley_store_turn_connections`, the turns holding one of the pool's connections now, beside
/// `parley_store_pool_connections`, the pool's size (turns beyond it wait for one).
public final class PostgresStore: BotStore {
    let client: PostgresClient
    /// This process's id in `replica`, `owner` of the work it accepts.
    public let replica: String
    public let sharedLease: Duration?
    /// The database, as messages name it (the URL without its password).
    public let location: String
    let logger: Logger
    /// The client's connection work, for as long as the store is open.
    private let run: Task<Void, Never>
    private let renewal = Mutex<Task<Void, Never>?>(nil)
    /// Hears the other replicas' commits, once the engine asks (`otherProcessesCommits()`).
    let listener = Mutex<Task<Void, Never>?>(nil)
    private let lockWait = CoreMetrics.Timer(label: "parley_store_lock_wait_seconds")
    private let turnConnections = Meter(label: "parley_store_turn_connections")

    /// Connects, brings the schema up to date (or waits while another replica does) and starts
    /// renewing this replica's claim.
    public static func open(_ settings: PostgresSettings, logger: Logger) async throws -> PostgresStore {
        // The pool's own log from errors up: what fails reaches the store's callers, which say
        // so; its warning that the first lease may come before `run()` has begun is noise.
        try await settings.checkReachable(logger: logger)
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: settings.configuration, backgroundLogger: background)
        let run = Task { await client.run() }
        do {
            try await migrate(client, logger: logger)
        } catch {
            run.cancel()
            throw error
        }
        Meter(label: "parley_store_pool_connections").set(settings.configuration.options.maximumConnections)
        let store = PostgresStore(client: client, lease: settings.lease, location: settings.description, logger: logger, run: run)
        // Replicas that died long ago: their work, if any, is claimable either way.
        try await client.query("DELETE FROM replica WHERE seen < now() - interval '1 day'", logger: logger)
        try await store.renewClaim()
        store.startRenewing()
        return store
    }

    private init(client: PostgresClient, lease: Duration, location: String, logger: Logger, run: Task<Void, Never>) {
        self.client = client
        self.sharedLease = lease
        self.location = location
        self.logger = logger
        replica = UUID().uuidString.lowercased()
        self.run = run
    }

    /// Stops renewing the claim, hands this replica's unfinished work to the others at once
    /// and closes the connections.
    public func close() async {
        let renewing = renewal.withLock { task in
            defer { task = nil }
            return task
        }
        guard let renewing else { return }
        renewing.cancel()
        await renewing.value
        if let listening = listener.withLock({ $0 }) {
            listening.cancel()
            await listening.value
        }
        do {
            // Gone at once: the others take over what it leaves without waiting out its lease.
            try await client.query("DELETE FROM replica WHERE id = \(replica)", logger: logger)
        } catch {
            logger.warning("could not hand this replica's work over at close; it is taken over when its lease runs out",
                           metadata: ["error": "\(PostgresStoreError.describe(error))"])
        }
        run.cancel()
        await run.value
    }

    deinit {
        renewal.withLock { $0 }?.cancel()
        listener.withLock { $0 }?.cancel()
        run.cancel()
    }

    private func startRenewing() {
        let every = sharedLease! / 3
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: every)
                guard let self, !Task.isCancelled else { return }
                do {
                    try await self.renewClaim()
                } catch {
                    self.logger.warning("could not renew this replica's claim on its work", metadata: ["error": "\(PostgresStoreError.describe(error))"])
                }
            }
        }
        renewal.withLock { $0 = task }
    }

    /// Asks the database for one row, within two seconds.
    public func probe() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await self.client.query("SELECT 1", logger: self.logger)
                } catch {
                    throw PostgresStoreError.unavailable(PostgresStoreError.describe(error))
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(2))
                throw PostgresStoreError.noAnswer(seconds: 2)
            }
            try await group.next()
            group.cancelAll()
        }
    }

    func renewClaim() async throws {
        try await client.query("""
            INSERT INTO replica (id, seen) VALUES (\(replica), now()) ON CONFLICT (id) DO UPDATE SET seen = now()
            """, logger: logger)
    }

    // MARK: Connections

    /// The turn this task runs (`withTurnLock`): its connection, in a transaction until the
    /// turn commits. Every query of the turn, before and after its commit, goes through that
    /// one connection: a turn holding a connection never waits for a second (N turns holding
    /// a pool of N would wait for ever; seen with 300 concurrent turns on a pool of 8). Tasks
    /// the turn starts inherit the task-local but are not its task: they use the pool.
    final class TurnScope: Sendable {
        private struct State {
            var connection: PostgresConnection?
            var inTransaction = true
            /// The oldest inbox entry of the thread held elsewhere, as the turn's start read it
            /// (`.some(nil)`: none); nil before that read.
            var earliestElsewhere: Int64??
        }

        let thread: String
        private let state: Mutex<State>
        private let task: Int

        init(thread: String, connection: PostgresConnection) {
            self.thread = thread
            state = Mutex(State(connection: connection))
            task = Self.currentTask
        }

        private static var currentTask: Int { withUnsafeCurrentTask { $0?.hashValue ?? 0 } }

        /// The turn's connection, to its own task while the turn lasts.
        var connection: PostgresConnection? {
            guard Self.currentTask == task else { return nil }
            return state.withLock { $0.connection }
        }

        /// The connection while the turn's transaction is open.
        var transaction: PostgresConnection? {
            guard Self.currentTask == task else { return nil }
            return state.withLock { $0.inTransaction ? $0.connection : nil }
        }

        /// What the turn's start read of the thread's inbox held elsewhere (`inboundAhead`).
        var earliestElsewhere: Int64?? {
            get { state.withLock { $0.earliestElsewhere } }
            set { state.withLock { $0.earliestElsewhere = newValue } }
        }

        /// Marks the transaction ended; true when it was open (the caller ends it).
        func endTransaction() -> Bool {
            state.withLock { state in
                defer { state.inTransaction = false }
                return state.inTransaction
            }
        }

        /// The turn is over: its connection goes back to the pool.
        func end() {
            state.withLock { $0.connection = nil }
        }
    }

    @TaskLocal static var turn: TurnScope?

    public func withTurnLock<T: Sendable>(thread: String, _ body: () async throws -> T) async throws -> T {
        try await Self.described { try await turn(thread: thread, body) }
    }

    private func turn<T: Sendable>(thread: String, _ body: () async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            turnConnections.increment()
            defer { turnConnections.decrement() }
            try await connection.query("BEGIN", logger: logger)
            let turn = TurnScope(thread: thread, connection: connection)
            defer { turn.end() }
            do {
                let waiting = ContinuousClock.now
                try await lock(thread: thread, on: connection)
                let waited = (ContinuousClock.now - waiting).components
                lockWait.recordNanoseconds(waited.seconds * 1_000_000_000 + waited.attoseconds / 1_000_000_000)
                let result = try await Self.$turn.withValue(turn) { try await body() }
                // Still open: the turn wrote nothing through `commit` (a duplicate delivery,
                // a deferred event), but what it did write (the inbox) is kept.
                if turn.endTransaction() { try await connection.query("COMMIT", logger: logger) }
                return result
            } catch {
                if turn.endTransaction() { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    /// Takes the thread's turn lock for the open transaction on `connection`.
    func lock(thread: String, on connection: PostgresConnection) async throws {
        for try await _ in try await connection.execute(LockThread(thread: thread), logger: logger) {}
    }

    /// Runs `body` on the connection of the turn this task runs, else on one from the pool.
    @discardableResult
    nonisolated(nonsending) func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let connection = Self.turn?.connection { return try await body(connection) }
        return try await Self.described { try await client.withConnection { try await body($0) } }
    }

    /// Runs `body`; a postgres-nio error out of it (whose own description says nothing, to keep
    /// statements' values out of logs) becomes `PostgresStoreError.unavailable` with what the
    /// server said or why the connection failed (`PostgresStoreError.describe`).
    nonisolated(nonsending) static func described<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            throw PostgresStoreError.unavailable(PostgresStoreError.describe(error))
        }
    }

    /// Runs `body` in a transaction: the open turn's (left open), or a new one of its own.
    nonisolated(nonsending) func inTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let connection = Self.turn?.transaction { return try await body(connection) }
        return try await withConnection { connection in
            try await Self.transaction(on: connection, logger: logger) { try await body(connection) }
        }
    }
}
