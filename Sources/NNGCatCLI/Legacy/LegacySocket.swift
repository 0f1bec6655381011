import NNGCore

/// Opens and connects the socket as the C nngcat does: protocol, topics,
/// maximum receive size, then every address in command-line order, with its
/// error texts (`Unable to dial on URL: Connection refused`, ...).
///
/// Timeouts are not socket options here: each send and receive carries its own.
enum LegacySocket {
    static func open(_ settings: LegacySettings) throws(LegacyExit) -> Socket {
        let socket: Socket
        do { socket = try Socket(settings.socketProtocol) } catch {
            throw .failure("Unable to open socket: \(error.code.text)")
        }
        do throws(LegacyExit) {
            for topic in settings.topics {
                do { try socket.subscribe(to: Array(topic.utf8)) } catch {
                    throw .failure("Unable to subscribe to topic \(topic): \(error.code.text)")
                }
            }
            if let size = settings.receiveMaxSize {
                do { try socket.set(.receiveMaxSize(size)) } catch {
                    throw .failure("Unable to set max receive size: \(error.code.text)")
                }
            }
            for (mode, url) in settings.addresses {
                try connect(socket, mode: mode, url: url, settings: settings)
            }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    private static func connect(_ socket: Socket, mode: LegacySettings.AddressMode, url: String, settings: LegacySettings) throws(LegacyExit) {
        let dialing = mode == .dial
        do {
            if dialing {
                try socket.dial(url, tls: tls(settings, server: false), blocking: !settings.async)
            } else {
                try socket.listen(url, tls: tls(settings, server: true))
            }
        } catch {
            if error.duringEndpointCreation {
                throw .failure("Unable to create \(dialing ? "dialer" : "listener") for \(url): \(error.code.text)")
            }
            if error.operation != "dial" && error.operation != "listen" {
                throw .failure("Unable to configure TLS: \(error.code.text)")
            }
            throw .failure("Unable to \(dialing ? "dial" : "listen") on \(url): \(error.code.text)")
        }
        // The C tool prints these on stdout, into the data; we keep stdout for messages.
        if settings.verbose { Diagnostics.line(dialing ? "Connected to: \(url)" : "Listening at: \(url)") }
    }

    /// The C tool's TLS set-up: `--insecure` turns verification off, `--cert`
    /// (with `--key`, or holding the key itself) is our identity, `--cacert`
    /// the authorities; otherwise libnng's defaults (a dialer verifies the
    /// server, a listener does not ask for client certificates).
    private static func tls(_ settings: LegacySettings, server: Bool) -> TLSConfiguration? {
        guard settings.insecure || settings.caFile != nil || settings.certificateFile != nil else { return nil }
        return TLSConfiguration(caFile: settings.caFile, certificateFile: settings.certificateFile,
                                keyFile: settings.certificateFile == nil ? nil : settings.keyFile,
                                verification: settings.insecure || server ? TLSConfiguration.Verification.none : .required)
    }
}
