/// Where `send` takes its messages from.
public enum MessageSource: Sendable, Equatable {
    case messages([[UInt8]])
    case stdinRecords
    case stdinWhole
    case file(String)
}

/// `send`, validated.
public struct SendSettings: Sendable {
    public var socket: SocketSettings
    public var source: MessageSource = .stdinRecords
    public var input: InputFormat = .raw
    /// How many times the message set is sent; 0 = forever.
    public var count = 1
    public var interval: Duration?
    public var delay: Duration?
    public var waitPeers = 1
    public var connectTimeout: Duration? = .seconds(10)
    public var linger: Duration = .seconds(10)
}
