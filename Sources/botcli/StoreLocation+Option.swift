import ArgumentParser
import Foundation
import ParleyApp
import ParleyPostgres

extension StoreLocation {
    /// Where `botcli serve` keeps an app's conversations and vault: `option` (`--store`) when
    /// given, else `PARLEY_DATABASE_URL` in `environment`; nil when neither is (the app's
    /// `.parley/state.sqlite`).
    /// - Throws: a `ValidationError` naming which of the two is malformed.
    static func resolved(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> StoreLocation? {
        guard let text = option ?? environment["PARLEY_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        do {
            return try StoreLocation(text)
        } catch {
            throw ValidationError("\(option == nil ? "PARLEY_DATABASE_URL" : "--store"): \(error)")
        }
    }
}

extension PostgresStore {
    /// Opens the database a command works on; when it cannot, says why (never the password) and
    /// ends the command with status 1. Close it when the command is done.
    static func openForCommand(_ settings: PostgresSettings) async throws -> PostgresStore {
        do {
            return try await PostgresStore.open(settings, logger: ParleyLogging.logger("parley.store"))
        } catch {
            Terminal.error("error: cannot open the store \(settings): \(error)")
            throw ExitCode(1)
        }
    }
}
