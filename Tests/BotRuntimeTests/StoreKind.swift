import BotRuntime
import Foundation
import ParleyPostgres
import SharedTestFixtures
import Testing

/// The stores the store conformance tests run on: a behaviour one store has, all have.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    /// The stores that outlive their process (restart tests).
    static let durable: [StoreKind] = [.sqlite, .postgres]

    var testDescription: String { rawValue }

    /// A place of its own for one test's store: a memory store, a new SQLite file, a new
    /// PostgreSQL database on the test cluster.
    func place() async throws -> StorePlace {
        switch self {
        case .memory: StorePlace(kind: self, location: "", memory: MemoryStore())
        case .sqlite:
            StorePlace(kind: self, location: FileManager.default.temporaryDirectory
                .appendingPathComponent("parley-\(UUID().uuidString)/state.sqlite").path, memory: nil)
        case .postgres: StorePlace(kind: self, location: try await TestPostgres.database(), memory: nil)
        }
    }
}

/// Where one test's store lives. Each `open()` is a process starting on it; close the store
/// (`BotStore.close()`) when the process it stands for stops.
struct StorePlace: Sendable {
    let kind: StoreKind
    let location: String
    let memory: MemoryStore?

    /// - Parameter lease: a PostgreSQL replica's lease in seconds: by default one, so that a
    ///   stopped process's work is taken over within a second or two.
    func open(lease: Int = 1) async throws -> any BotStore {
        switch kind {
        case .memory: memory!
        case .sqlite: try SQLiteStore(path: location)
        case .postgres: try await PostgresStore.open(PostgresSettings(url: location + "?sslmode=disable&lease=\(lease)&pool=8"),
                                                     logger: TestLogs.logger("parley.store"))
        }
    }
}
