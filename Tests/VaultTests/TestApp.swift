import Foundation
import GRDB
@testable import Vault

/// A throwaway app folder for one test, with the helpers the vault tests share.
struct TestApp {
    static let planted = "s3cr3t-PLANTED-7f9c"

    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("parley-vault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func vault(environment: [String: String] = [:]) -> AppVault { AppVault(app: url, environment: environment) }

    var parley: URL { url.appendingPathComponent(".parley") }
    var databasePath: String { parley.appendingPathComponent("state.sqlite").path }

    /// The standard secrets, every one carrying the planted marker.
    static let secrets: [(key: String, value: VaultValue)] = [
        ("twilio.account_sid", .string("AC-\(planted)-sid")),
        ("twilio.api_key_sid", .string("SK-\(planted)-key")),
        ("twilio.api_key_secret", .string("\(planted)-secret")),
        ("twilio_flex.flex_flow_sid", .string("FO-\(planted)-flow")),
        ("twilio_flex.flex_chat_service_sid", .list([.string("IS-\(planted)"), .int(42)])),
    ]

    /// Every file under `.parley/`, raw.
    func filesUnderParley() throws -> [(String, Data)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: parley.path)
        return try names.map { ($0, try Data(contentsOf: parley.appendingPathComponent($0))) }
    }

    /// Names of `.parley/` files whose raw bytes contain `needle`.
    func filesContaining(_ needle: String) throws -> [String] {
        try filesUnderParley().filter { $0.1.range(of: Data(needle.utf8)) != nil }.map(\.0)
    }

    /// The vault table, raw, through SQLite itself.
    func table() throws -> [Row] {
        let queue = try DatabaseQueue(path: databasePath)
        return try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM vault ORDER BY key") }
    }

    /// Flips one byte of a stored ciphertext, through SQLite.
    func tamper(_ key: String, at index: Int = 40) throws {
        let queue = try DatabaseQueue(path: databasePath)
        try queue.write { db in
            var blob = try Data.fetchOne(db, sql: "SELECT ciphertext FROM vault WHERE key = ?", arguments: [key])!
            blob[blob.startIndex + index] ^= 0x01
            try db.execute(sql: "UPDATE vault SET ciphertext = ? WHERE key = ?", arguments: [blob, key])
        }
    }

    func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }
}
