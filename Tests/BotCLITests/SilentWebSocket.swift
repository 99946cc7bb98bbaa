import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A WebSocket client that completes the upgrade and then never reads or answers anything —
/// not even the server's close frame: a sleeping browser tab, a client cut off by the network.
/// Such a client must not keep a stopping server alive. Plain POSIX sockets, so that no
/// library answers on its behalf.
final class SilentWebSocket {
    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port` and upgrades `GET /ws?query`; throws unless the answer is 101.
    init(port: Int, query: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SilentWebSocketError.socket(errno) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw SilentWebSocketError.socket(errno)
        }
        let request = "GET /ws?\(query) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(descriptor, $0, strlen($0), 0) }
        var answer = [UInt8](), buffer = [UInt8](repeating: 0, count: 1024)
        while !answer.ends(with: Array("\r\n\r\n".utf8)) {
            let count = recv(descriptor, &buffer, 1, 0)
            guard count > 0 else { break }
            answer.append(buffer[0])
        }
        let head = String(decoding: answer, as: UTF8.self)
        guard head.hasPrefix("HTTP/1.1 101") else {
            close(descriptor)
            throw SilentWebSocketError.notUpgraded(head)
        }
    }

    deinit { close(descriptor) }
}

enum SilentWebSocketError: Error, CustomStringConvertible {
    case socket(Int32)
    case notUpgraded(String)

    var description: String {
        switch self {
        case .socket(let code): "socket error \(code)"
        case .notUpgraded(let head): "the upgrade was refused: \(head)"
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
