internal import CNNG
import Glibc

/// How a `tls+tcp://` or `wss://` endpoint authenticates. Files are read when
/// the endpoint is created, so a missing file fails the dial or listen.
public struct TLSConfiguration: Sendable, Equatable {
    public enum Verification: Sendable, Equatable {
        /// Do not check the peer's certificate.
        case none
        /// Check it if the peer sends one (a server's usual mode).
        case optional
        /// Refuse a peer without a valid certificate (a client's usual mode).
        case required
    }

    /// PEM file of the certificate authorities that vouch for the peer.
    public var caFile: String?
    /// PEM file of our own certificate (may also hold the key).
    public var certificateFile: String?
    /// PEM file of our private key; when nil, `certificateFile` must hold it.
    public var keyFile: String?
    /// The name the server's certificate must carry; a dialer defaults it to the
    /// URL's host. mbedTLS 2.28 matches it against the certificate's DNS names and
    /// common name only, never its IP addresses.
    public var serverName: String?
    /// When nil: required for dialers, optional for listeners with a CA, none otherwise.
    public var verification: Verification?

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                serverName: String? = nil, verification: Verification? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
        self.verification = verification
    }

    /// Builds a C configuration; the caller frees it with `nng_tls_config_free`
    /// once the endpoint holds its own reference.
    func make(forServer server: Bool) throws(NNGError) -> OpaquePointer {
        var pointer: OpaquePointer?
        try check(nng_tls_config_alloc(&pointer, server ? NNG_TLS_MODE_SERVER : NNG_TLS_MODE_CLIENT), "configure TLS")
        let config = pointer!
        do {
            let mode = verification ?? (server ? (caFile == nil ? .none : .optional) : .required)
            let cMode: nng_tls_auth_mode = switch mode {
            case .none: NNG_TLS_AUTH_MODE_NONE
            case .optional: NNG_TLS_AUTH_MODE_OPTIONAL
            case .required: NNG_TLS_AUTH_MODE_REQUIRED
            }
            try check(nng_tls_config_auth_mode(config, cMode), "configure TLS")
            if let caFile {
                try check(nng_tls_config_ca_file(config, caFile), "load CA file", url: caFile)
            }
            if let serverName {
                try check(nng_tls_config_server_name(config, serverName), "configure TLS server name")
            }
            if let certificateFile {
                if let keyFile {
                    let certificate = try Self.readPEM(certificateFile)
                    let key = try Self.readPEM(keyFile)
                    try check(nng_tls_config_own_cert(config, certificate, key, nil), "load certificate", url: certificateFile)
                } else {
                    try check(nng_tls_config_cert_key_file(config, certificateFile, nil), "load certificate", url: certificateFile)
                }
            }
        } catch {
            nng_tls_config_free(config)
            throw error
        }
        return config
    }

    private static func readPEM(_ path: String) throws(NNGError) -> String {
        guard let file = fopen(path, "rb") else { throw NNGError(.notFound, operation: "read", url: path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
