import Foundation

/// Everything that can go wrong with the vault, as one typed error so callers can react per case.
///
/// Messages name the key, the file, the environment variable and (for YAML) `file:line:col`,
/// so the reader can find the problem, but they never contain a vault value, nor any part of a
/// key: an error is printed, logged and pasted into chats, a secret must never be.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libsodium could not be initialised (no usable random source).
    case sodiumUnavailable
    /// No secret key: neither the key file nor the environment variable exists.
    case missingSecretKey(path: String, environmentVariable: String)
    /// No public key: neither `vault.pub`, the environment variable nor a secret key to derive it from.
    case missingPublicKey(path: String, environmentVariable: String)
    /// The secret key file can be read or written by group or others.
    case keyFileTooOpen(path: String, mode: UInt32)
    /// The key file exists but is not a regular file (a symbolic link, a folder, …).
    case keyFileNotRegular(path: String)
    /// The key in `source` (a file or an environment variable) is not base64 of a 32-byte key.
    case invalidKey(source: String)
    /// The secret and the public key given do not form a pair.
    case keysDoNotMatch(secretSource: String, publicSource: String)
    /// `keygen` without force found an existing key file.
    case keyExists(path: String)
    /// A file could not be read, written or created.
    case fileError(path: String, reason: String)
    /// A stored value could not be opened: tampered ciphertext or sealed to a different key.
    case cannotOpen(key: String)
    /// A value opened but is not the JSON of a vault value.
    case corruptValue(key: String)
    /// A value could not be encoded for sealing (a NaN or infinite number, …).
    case unsealable(key: String)
    /// The secrets file is not valid YAML.
    case yamlSyntax(file: String, line: Int, column: Int, problem: String)
    /// The secrets file's document is not a mapping of keys to values.
    case notAMapping(file: String, line: Int, column: Int)
    /// The secrets file has no keys at all.
    case noKeys(file: String)
    /// A key has an empty value (`key:`, `key: ""`, `key: null`).
    case emptyValue(file: String, line: Int, column: Int, key: String)
    /// A key appears more than once in one mapping.
    case duplicateKey(file: String, line: Int, column: Int, key: String)
    /// A key is not a dotted name (empty part, white space, not a plain scalar). The key's text
    /// is not repeated: a malformed key may be a value written on the wrong side of the colon.
    case invalidKeyName(file: String, line: Int, column: Int)
    /// A value holds something a vault value cannot (a mapping with a non-text key, …).
    case unsupportedValue(file: String, line: Int, column: Int, key: String, reason: String)
    /// `remove` or `open` of a key that is not stored.
    case keyNotFound(key: String)
    /// A key changed between reading and writing the vault; nothing was stored.
    case versionConflict(key: String)
    /// The SQLite file could not be opened, migrated, read or written.
    case storage(path: String, reason: String)

    public var description: String {
        switch self {
        case .sodiumUnavailable:
            return "libsodium could not be initialised"
        case let .missingSecretKey(path, variable):
            return "no vault secret key: \(path) does not exist and \(variable) is not set; "
                + "create a key pair with `botcli vault keygen`"
        case let .missingPublicKey(path, variable):
            return "no vault public key: \(path) does not exist and \(variable) is not set; "
                + "create a key pair with `botcli vault keygen`"
        case let .keyFileTooOpen(path, mode):
            return "\(path) is readable or writable by group or others (mode \(String(mode & 0o777, radix: 8))); "
                + "a secret key must be private to its owner: run `chmod 600 \(path)`"
        case let .keyFileNotRegular(path):
            return "\(path) is not a regular file; a key file must not be a link or a folder"
        case let .invalidKey(source):
            return "\(source) does not hold a vault key (base64 of 32 bytes)"
        case let .keysDoNotMatch(secretSource, publicSource):
            return "the secret key in \(secretSource) does not belong to the public key in \(publicSource); "
                + "values sealed to one cannot be opened with the other"
        case let .keyExists(path):
            return "\(path) already exists; replacing it would make every value stored in the vault unreadable"
        case let .fileError(path, reason):
            return "\(path): \(reason)"
        case let .cannotOpen(key):
            return "vault key `\(key)` could not be opened: its value was sealed to a different key "
                + "or its ciphertext was altered"
        case let .corruptValue(key):
            return "vault key `\(key)` opened but does not hold a vault value"
        case let .unsealable(key):
            return "vault key `\(key)` has a value that cannot be stored (numbers must be finite)"
        case let .yamlSyntax(file, line, column, problem):
            return "\(file):\(line):\(column): YAML syntax error: \(problem)"
        case let .notAMapping(file, line, column):
            return "\(file):\(line):\(column): expected a mapping of dotted keys to values"
        case let .noKeys(file):
            return "\(file): no keys to upload"
        case let .emptyValue(file, line, column, key):
            return "\(file):\(line):\(column): vault key `\(key)` has an empty value"
        case let .duplicateKey(file, line, column, key):
            return "\(file):\(line):\(column): vault key `\(key)` appears more than once"
        case let .invalidKeyName(file, line, column):
            return "\(file):\(line):\(column): not a vault key name; use dotted names without spaces, like `twilio.account_sid`"
        case let .unsupportedValue(file, line, column, key, reason):
            return "\(file):\(line):\(column): vault key `\(key)`: \(reason)"
        case let .keyNotFound(key):
            return "vault key `\(key)` is not stored in the vault"
        case let .versionConflict(key):
            return "vault key `\(key)` changed while uploading; nothing was stored, upload again"
        case let .storage(path, reason):
            return "\(path): \(reason)"
        }
    }
}
