import BotRuntime
import PostgresNIO

/// What one replica tells the others: each turn's commit, and each change of the stored vault,
/// on the channel `parley_commits` (`pg_notify` in the writing transaction, so the notice
/// leaves at commit and never for work rolled back). Each replica listens on one connection of
/// its pool and hands the other replicas' notices to its engine, which reads those turns'
/// events from the ledger for its live subscribers, or reads the vault again. PostgreSQL drops
/// notices while nobody listens: after (re)connecting the listener says `resync`, and the
/// engine reads every watched thread's ledger and the vault again.
extension PostgresStore {
    static let commitChannel = "parley_commits"

    /// `REPLICA TURN LAST THREAD`: the thread last, as it may hold spaces.
    func commitNotice(_ turn: EncodedTurn) -> String {
        "\(replica) \(turn.turnSequence) \(turn.lastSequence) \(turn.threadID)"
    }

    /// `REPLICA vault`.
    var vaultNotice: String { "\(replica) \(Self.vaultWord)" }

    private static let vaultWord = "vault"

    public func otherProcessesCommits() -> AsyncStream<CommitNotice>? {
        let (stream, continuation) = AsyncStream.makeStream(of: CommitNotice.self)
        let client = client, replica = replica, logger = logger
        let task = Task {
            while !Task.isCancelled {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: Self.commitChannel) { notifications in
                            continuation.yield(.resync)
                            for try await notification in notifications {
                                if let notice = Self.notice(notification.payload, from: replica) { continuation.yield(notice) }
                            }
                        }
                    }
                } catch {
                    guard !Task.isCancelled else { break }
                    logger.warning("not hearing other replicas' commits; listening again in a second", metadata: ["error": "\(PostgresStoreError.describe(error))"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        listener.withLock { $0 = task }
        return stream
    }

    /// The notice in `payload`, unless this replica (`own`) sent it.
    static func notice(_ payload: String, from own: String) -> CommitNotice? {
        let parts = payload.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] != own else { return nil }
        if parts.count == 2, parts[1] == vaultWord { return .vault }
        guard parts.count == 4, let turn = Int(parts[1]), let last = Int(parts[2]) else { return nil }
        return .turn(thread: String(parts[3]), turn: turn, last: last)
    }
}
