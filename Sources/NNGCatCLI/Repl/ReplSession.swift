import NNGCore

/// The state of the REPL: socket, endpoints, counts, and the one send (or
/// request awaiting its reply) in flight. Lines are executed one at a time:
/// while something is in flight, the event loop holds further lines back.
///
/// Confined to the event loop's thread. Other threads only reach it through
/// `Wakeup` (aio completions, peer events), never directly.
final class ReplSession {
    /// What is in flight.
    enum Phase {
        /// An aio send; `request` when a reply (req) or responses (surveyor) follow.
        case sending(AIO, request: Bool)
        /// req: until the reply arrives or the deadline passes.
        case awaitingReply(MonotonicDeadline?)
        /// surveyor: responses print until the survey time is over.
        case surveying(MonotonicDeadline, responses: Int)
    }

    static let defaultTimeout: Duration = .seconds(10)

    // Each part of the state is written by the file of its concern, hence
    // the internal setters (nothing outside ReplSession writes them): socket
    // and endpoints by +Endpoints; `phase`, `sent`, `earlyResponses` and
    // `awaitingAnswer` by +Exchange (a new socket also clears the last);
    // `received` by +Receiving; settings, timeouts and topics by +Commands
    // (a protocol switch also sets the protocol and clears the topics).
    var settings: SocketSettings
    let console: ReplConsole
    let wakeup: Wakeup
    var socket: Socket?
    var peers: PeerLog
    var receiveDescriptor: Int32?
    var endpoints: [ReplEndpoint] = []
    var usedURLs: [String] = []
    var received = 0
    var sent = 0
    var phase: Phase?
    var sendTimeout: Duration?
    var replyTimeout: Duration?
    /// sub: the explicit topics; `everything` while the initial catch-all stands.
    var topics: [[UInt8]]
    var everything: Bool
    /// rep/respondent: a request has arrived and is not answered yet.
    var awaitingAnswer = false
    /// Replies or responses that arrived before the send's completion was seen:
    /// the wakeup from the aio can trail the reply's descriptor.
    var earlyResponses = 0
    private(set) var quitRequested = false

    init(settings: SocketSettings, console: ReplConsole, wakeup: Wakeup) {
        self.settings = settings
        self.console = console
        self.wakeup = wakeup
        peers = PeerLog(wakeup: wakeup)
        sendTimeout = settings.sendTimeout ?? Self.defaultTimeout
        replyTimeout = settings.receiveTimeout ?? Self.defaultTimeout
        topics = settings.subscriptions
        everything = settings.subscriptions.isEmpty
    }

    var isBusy: Bool { phase != nil }

    /// End of input, Ctrl-D, or a second Ctrl-C.
    func requestQuit() { quitRequested = true }
}
