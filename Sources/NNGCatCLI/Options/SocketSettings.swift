import NNGCore

/// What `send`, `listen` and `repl` share, validated.
struct SocketSettings: Sendable {
    var socketProtocol: SocketProtocol
    var dials: [String] = []
    var listens: [String] = []
    var dialPolicy: DialPolicy = .failFast
    var tls: TLSConfiguration?
    var sendTimeout: Duration?
    var receiveTimeout: Duration?
    var receiveMaxSize: Int?
    var socketOptions: [(name: String, value: String)] = []
    var verbose = false
    var quiet = false
    var format: OutputFormat = .line
    var separator: UInt8 = 0x0a
    /// `--format 'TEXT'` with `{{` in TEXT: printed per message instead of `format`.
    var outputTemplate: Template?
    var subscriptions: [[UInt8]] = []
    var surveyTime: Duration?
    /// NNG's reconnect back-off: the first wait, and the longest it doubles to.
    var reconnectMin: Duration?
    var reconnectMax: Duration?

    init(socketProtocol: SocketProtocol) { self.socketProtocol = socketProtocol }
}
