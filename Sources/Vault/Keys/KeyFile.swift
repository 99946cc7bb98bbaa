import CSodium
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX reading and writing of key files, so the secret key never sits in a file anyone else
/// could read, not even for a moment: files are created with mode 0600 by `open`, never
/// `chmod`ed afterwards, and read through the descriptor that `fstat` checked.
enum KeyFile {
    /// Largest key file we accept (base64 of 32 bytes plus white space is 45).
    private static let maximumSize = 256

    /// Creates `directory` with mode 0700 if it does not exist yet.
    static func createDirectory(_ directory: String) throws(VaultError) {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .fileError(path: directory, reason: "cannot create folder (\(errorText()))")
        }
    }

    /// Reads a secret key file into guarded memory and hands the bytes to `body`, then wipes them.
    /// Returns nil when the file does not exist. Refuses group- or world-accessible files.
    static func readSecret<T>(at path: String, _ body: ([UInt8]) throws(VaultError) -> T) throws(VaultError) -> T? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor < 0 {
            switch errno {
            case ENOENT: return nil
            case ELOOP: throw .keyFileNotRegular(path: path)
            default: throw .fileError(path: path, reason: "cannot be read (\(errorText()))")
            }
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .fileError(path: path, reason: "cannot be read (\(errorText()))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .keyFileNotRegular(path: path) }
        guard status.st_mode & 0o077 == 0 else { throw .keyFileTooOpen(path: path, mode: UInt32(status.st_mode)) }
        var bytes = [UInt8](repeating: 0, count: maximumSize + 1)
        defer { bytes.wipe() }
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .fileError(path: path, reason: "cannot be read (\(errorText()))")
            }
            if got == 0 { break }
            count += got
        }
        guard count <= maximumSize else { throw .invalidKey(source: path) }
        var content = Array(bytes[..<count])
        defer { content.wipe() }
        return try body(content)
    }

    /// Writes `bytes` to a new file created with `mode` (`O_CREAT | O_EXCL`: fails if it exists).
    static func create(at path: String, mode: mode_t, bytes: UnsafeRawBufferPointer) throws(VaultError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        if descriptor < 0 {
            if errno == EEXIST { throw .keyExists(path: path) }
            throw .fileError(path: path, reason: "cannot be created (\(errorText()))")
        }
        var written = 0
        while written < bytes.count {
            let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                let reason = errorText()
                close(descriptor)
                unlink(path)
                throw .fileError(path: path, reason: "cannot be written (\(reason))")
            }
            written += result
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        if !synced {
            unlink(path)
            throw .fileError(path: path, reason: "cannot be written (\(errorText()))")
        }
    }

    /// Writes a file through a fresh temporary file in the same folder, then renames it over
    /// `path`, so readers see the old file or the new one, never half of one.
    static func replace(at path: String, mode: mode_t, bytes: UnsafeRawBufferPointer) throws(VaultError) {
        let temporary = "\(path).new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try create(at: temporary, mode: mode, bytes: bytes)
        guard rename(temporary, path) == 0 else {
            let reason = errorText()
            unlink(temporary)
            throw .fileError(path: path, reason: "cannot be replaced (\(reason))")
        }
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
