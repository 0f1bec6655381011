import NNGCore
import Testing

/// PeerTracker follows peers through NNG's pipe notifications.
@Suite("Peer events", .timeLimit(.minutes(1)))
struct PeerTrackerTests {
    /// Events collected from an NNG thread.
    private final class EventLog: Sendable {
        let events = Locked<[PeerEvent]>([])
        func append(_ event: PeerEvent) { events.withLock { $0.append(event) } }
        var snapshot: [PeerEvent] { events.withLock { $0 } }
    }

    @Test("onEvent reports a peer connecting and disconnecting", arguments: Transport.allCases)
    func connectAndDisconnect(transport: Transport) async throws {
        let log = EventLog()
        let server = try Socket(.pull0)
        defer { server.close() }
        server.peers.onEvent { log.append($0) }
        let listener = try server.listen(listenAddress(transport))
        let client = try Socket(.push0)
        defer { client.close() }
        try client.dial(dialAddress(for: listener))
        #expect(try await onThread { server.peers.waitForPeers(1, timeout: .seconds(5)) })
        #expect(server.peers.connectedCount == 1)

        // The pipe a message arrives on is the one the event named.
        try await client.send(Message(string: "hello"), timeout: patience)
        let message = try await server.receive(timeout: patience)
        let connected = try #require(log.snapshot.first)
        #expect(connected.kind == .connected)
        #expect(message.pipe == connected.pipe)
        if transport == .tcp {
            let address = try #require(connected.remoteAddress)
            #expect(address.hasPrefix("127.0.0.1:"))
        }

        client.close()
        let deadline = ContinuousClock.now + .seconds(5)
        while !log.snapshot.contains(where: { $0.kind == .disconnected }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let events = log.snapshot
        #expect(events.map(\.kind) == [.connected, .disconnected])
        #expect(events.last?.pipe == connected.pipe)
        #expect(events.last?.remoteAddress == connected.remoteAddress)
        #expect(server.peers.connectedCount == 0)
    }

    @Test("waitForPeers counts several peers")
    func waitForSeveral() async throws {
        let server = try Socket(.bus0)
        defer { server.close() }
        let listener = try server.listen(listenAddress(.ipc))
        var clients: [Socket] = []
        defer { for client in clients { client.close() } }
        for _ in 0..<3 {
            let client = try Socket(.bus0)
            try client.dial(dialAddress(for: listener))
            clients.append(client)
        }
        #expect(try await onThread { server.peers.waitForPeers(3, timeout: .seconds(5)) })
        #expect(server.peers.connectedCount == 3)
        for client in clients { #expect(client.peers.connectedCount == 1) }
    }

    @Test("waitForPeers gives up after its timeout")
    func waitForPeersTimesOut() async throws {
        let lonely = try Socket(.pair1)
        defer { lonely.close() }
        try lonely.listen(listenAddress(.inproc))
        let start = ContinuousClock.now
        #expect(try await onThread { lonely.peers.waitForPeers(1, timeout: .milliseconds(100)) } == false)
        let elapsed = seconds(since: start)
        #expect(elapsed >= 0.09)
        #expect(elapsed < 2)
        #expect(lonely.peers.waitForPeers(0, timeout: .zero))
    }

    @Test("a message built locally names no pipe")
    func localMessageHasNoPipe() throws {
        let message = try Message(string: "local")
        #expect(message.pipe == nil)
    }
}

@Suite("Peer tracking lifetime", .timeLimit(.minutes(1)))
struct PeerTrackerLifetimeTests {
    @Test("sockets released right after close get no late peer callbacks", arguments: Transport.allCases)
    func churn(transport: Transport) async throws {
        // Each round connects two sockets and drops both at once while pipes
        // are still being torn down; a callback reaching a freed tracker
        // would crash here (and ASan/TSan would name it).
        for _ in 0..<100 {
            do {
                let server = try Socket(.pair1)
                server.peers.onEvent { _ in }
                let listener = try server.listen(listenAddress(transport))
                let client = try Socket(.pair1)
                try client.dial(dialAddress(for: listener), blocking: false)
                _ = client.peers.waitForPeers(1, timeout: .milliseconds(2))
                client.close()
                server.close()
            }
        }
    }
}
