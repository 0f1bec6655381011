import NNGCore

/// What `send`, `listen` and `repl` share, validated.
public struct SocketSettings: Sendable {
    public var socketProtocol: SocketProtocol
    public var dials: [String] = []
    public var listens: [String] = []
    public var dialPolicy: DialPolicy = .failFast
    public var tls: TLSConfiguration?
    public var sendTimeout: Duration?
    public var receiveTimeout: Duration?
    public var receiveMaxSize: Int?
    public var socketOptions: [(name: String, value: String)] = []
    public var verbose = false
    public var quiet = false
    public var format: OutputFormat = .line
    public var separator: UInt8 = 0x0a
    public var subscriptions: [[UInt8]] = []
    public var surveyTime: Duration?
    /// NNG's reconnect back-off: the first wait, and the longest it doubles to.
    public var reconnectMin: Duration?
    public var reconnectMax: Duration?

    public init(socketProtocol: SocketProtocol) { self.socketProtocol = socketProtocol }
}
