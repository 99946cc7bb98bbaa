import ArgumentParser
import BotServer
import Foundation

/// Where botcli finds a bearer secret: a file option, else an environment variable. One reader
/// for the admin token (`serve` demands it, `vault upload --to` sends it) and the REST
/// channel's shared secret, so all accept the same files and say the same things about them.
struct BearerSecretSource {
    /// The option naming the file, as the user types it (`--admin-token-file`).
    let option: String
    let variable: String
    /// What the secret is, in messages (`the admin token`).
    let name: String

    static let admin = BearerSecretSource(option: "--admin-token-file", variable: "PARLEY_ADMIN_TOKEN", name: "the admin token")
    static let rest = BearerSecretSource(option: "--rest-secret-file", variable: "PARLEY_REST_SECRET", name: "the REST shared secret")

    /// The secret from `file`, else from the environment; nil when neither is given. Errors name
    /// the file or the variable, never the secret.
    func read(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BearerSecret? {
        let text: String, source: String
        if let file {
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(option) \(file): \((error as NSError).localizedDescription)")
            }
            source = file
        } else if let value = environment[variable], !value.isEmpty {
            (text, source) = (value, variable)
        } else {
            return nil
        }
        guard let secret = BearerSecret(text) else {
            throw ValidationError("\(name) in \(source) \(BearerSecret.problem(with: text) ?? "is not a token"); "
                                  + "make one with `openssl rand -hex 32`")
        }
        return secret
    }
}
