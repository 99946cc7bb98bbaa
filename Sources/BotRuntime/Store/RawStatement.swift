import CSQLite
import GRDB

/// A GRDB-prepared statement driven through SQLite's C API, for the few statements every turn
/// runs: GRDB's argument boxing costs more than the statement itself there. GRDB still owns the
/// connection, the statement's lifetime, transactions and errors' shape.
struct RawStatement {
    private let handle: OpaquePointer
    private let db: Database
    private var index: Int32 = 0

    /// The cached statement for `sql` on `db`, reset and ready for `bind`.
    init(_ sql: String, in db: Database) throws {
        let statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        self.db = db
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds the next parameter.
    mutating func bind(_ text: String?) {
        index += 1
        guard let text else {
            sqlite3_bind_null(handle, index)
            return
        }
        var copy = text
        copy.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
    }

    /// Binds UTF-8 bytes (JSON a `JSONWriter` wrote) as text.
    mutating func bind(utf8 bytes: [UInt8]) {
        index += 1
        bytes.withUnsafeBufferPointer { buffer in
            _ = buffer.withMemoryRebound(to: CChar.self) { chars in
                sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), Self.transient)
            }
        }
    }

    mutating func bind(_ number: Int) {
        index += 1
        sqlite3_bind_int64(handle, index, Int64(number))
    }

    mutating func bind(_ number: Double) {
        index += 1
        sqlite3_bind_double(handle, index, number)
    }

    mutating func bind(_ flag: Bool) { bind(flag ? 1 : 0) }

    /// Runs a statement that returns no rows.
    mutating func run() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
        sqlite3_reset(handle)
        index = 0
    }

    /// Steps to the next row; false when there are no more.
    mutating func next() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        guard code == SQLITE_DONE else { throw error(code) }
        return false
    }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column's UTF-8 bytes, valid until the statement steps again or is reset.
    func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: sqlite3_column_text(handle, column), count: Int(sqlite3_column_bytes(handle, column)))
    }

    func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// Leaves the statement reset, so the connection holds no read cursor.
    func finish() { sqlite3_reset(handle) }

    private func error(_ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        sqlite3_reset(handle)
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message)
    }

    /// SQLite copies the bound text (SQLITE_TRANSIENT, a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
