internal import CNNG
import Synchronization

/// An outgoing connection that NNG re-establishes when it drops.
/// The corresponding C type is `nng_dialer`.
public final class Dialer: Sendable {
    let id: UInt32
    public let url: String
    private let closed = Atomic<Bool>(false)

    init(id: UInt32, url: String) {
        self.id = id
        self.url = url
    }

    /// Closes this dialer and its connection. Idempotent; it does not happen in
    /// `deinit`, since closing the socket closes its dialers anyway.
    /// The corresponding C function is `nng_dialer_close`.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        nng_dialer_close(nng_dialer(id: id))
    }
}

/// A bound address accepting connections. The corresponding C type is `nng_listener`.
public final class Listener: Sendable {
    let id: UInt32
    public let url: String
    private let closed = Atomic<Bool>(false)

    init(id: UInt32, url: String) {
        self.id = id
        self.url = url
    }

    /// The TCP port actually bound (useful after listening on port 0), or nil
    /// for transports without ports. The corresponding option is `NNG_OPT_TCP_BOUND_PORT`.
    public var port: Int? {
        var port: Int32 = 0
        guard nng_listener_get_int(nng_listener(id: id), NNG_OPT_TCP_BOUND_PORT, &port) == 0 else { return nil }
        return Int(port)
    }

    /// Closes this listener and the connections it accepted. Idempotent.
    /// The corresponding C function is `nng_listener_close`.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        nng_listener_close(nng_listener(id: id))
    }
}

/// Facts about endpoint URLs shared by dialers and listeners.
public enum Endpoint {
    /// The URL schemes libnng 1.5.2 on Debian supports.
    public static let schemes = ["tcp", "tcp4", "tcp6", "ipc", "inproc", "ws", "ws4", "ws6", "wss", "wss4", "wss6", "tls+tcp", "tls+tcp4", "tls+tcp6", "abstract"]

    static func usesTLS(_ url: String) -> Bool {
        url.hasPrefix("tls+") || url.hasPrefix("wss")
    }

    /// The host part of `url` (`localhost` in `tls+tcp://localhost:1`), as
    /// libnng parses it; nil when it has none. The corresponding C function is `nng_url_parse`.
    public static func host(of url: String) -> String? {
        var parsed: UnsafeMutablePointer<nng_url>?
        guard nng_url_parse(&parsed, url) == 0, let parsed else { return nil }
        defer { nng_url_free(parsed) }
        guard let hostname = parsed.pointee.u_hostname, hostname.pointee != 0 else { return nil }
        return String(cString: hostname)
    }

    /// The scheme of `url` (`tcp` in `tcp://host:1`), or nil when there is no `://`.
    public static func scheme(of url: String) -> String? {
        guard let range = url.firstRange(of: "://") else { return nil }
        return String(url[..<range.lowerBound])
    }

    /// `tcp://*:PORT` means every address, which libnng spells with an empty host.
    static func normalizedListenURL(_ url: String) -> String {
        guard let range = url.firstRange(of: "://*:") else { return url }
        var result = url
        result.replaceSubrange(range, with: "://:")
        return result
    }
}
