import PostgresNIO

/// What went wrong with the database, said for a person.
public enum PostgresStoreError: Error, CustomStringConvertible {
    /// An insert returned no id: a statement cannot produce that.
    case noRow(String)
    case noAnswer(seconds: Int)
    /// The database cannot be reached or refused; `reason` from `describe(_:)`.
    case unavailable(String)
    /// State is copied only into a database that holds none.
    case notEmpty(threads: Int, vaultKeys: Int)

    public var description: String {
        switch self {
        case .noRow(let table): "an insert into \(table) returned no id"
        case .noAnswer(let seconds): "the database did not answer within \(seconds) s"
        case .unavailable(let reason): reason
        case let .notEmpty(threads, vaultKeys):
            "the database already holds \([Self.count(threads, "thread"), Self.count(vaultKeys, "vault key")].compactMap { $0 }.joined(separator: " and ")); "
                + "copy into one that holds none"
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String? {
        number == 0 ? nil : "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// An error of postgres-nio said without what its statement carried (its own description
    /// says nothing, for that reason): the server's message, never its detail (which may quote
    /// row values), else the error's code and the connection's own error.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return "the database said: \(message)" }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
