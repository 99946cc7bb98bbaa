import ArgumentParser
import BotServer
import Foundation

/// Where botcli finds the admin API's bearer token: `--admin-token-file FILE`, else
/// `$PARLEY_ADMIN_TOKEN`. One reader for `serve` (which demands the token) and `vault upload
/// --to` (which sends it), so both accept the same files and say the same things about them.
enum AdminTokenSource {
    static let variable = "PARLEY_ADMIN_TOKEN"

    /// The token from `file`, else from the environment; nil when neither is given. Errors name
    /// the file or the variable, never the token.
    static func read(file: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AdminToken? {
        let text: String, source: String
        if let file {
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read --admin-token-file \(file): \((error as NSError).localizedDescription)")
            }
            source = file
        } else if let value = environment[variable], !value.isEmpty {
            (text, source) = (value, variable)
        } else {
            return nil
        }
        guard let token = AdminToken(text) else {
            throw ValidationError("the admin token in \(source) is shorter than \(AdminToken.minimumLength) characters; "
                                  + "make one with `openssl rand -hex 32`")
        }
        return token
    }
}
