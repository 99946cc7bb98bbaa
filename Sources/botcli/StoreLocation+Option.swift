import ArgumentParser
import Foundation
import ParleyApp

extension StoreLocation {
    /// Where `botcli serve` keeps an app's conversations and vault: `option` (`--store`) when
    /// given, else `PARLEY_DATABASE_URL`; nil when neither is (the app's `.parley/state.sqlite`).
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
