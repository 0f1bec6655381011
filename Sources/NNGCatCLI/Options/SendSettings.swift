/// Where `send` takes its messages from.
enum MessageSource: Sendable, Equatable {
    case messages([[UInt8]])
    case stdinRecords
    case stdinWhole
    case file(String)
}

/// `send`, validated.
struct SendSettings: Sendable {
    var socket: SocketSettings
    var source: MessageSource = .stdinRecords
    var input: InputFormat = .raw
    /// `--template`: every message text is a template, rendered per message.
    var template = false
    /// How many times the message set is sent; 0 = forever.
    var count = 1
    var delay: Duration?
    var waitPeers = 1
    var connectTimeout: Duration? = .seconds(10)
    var linger: Duration = .seconds(10)
    /// `--lossy`: pub sends at its own pace, and slow subscribers lose messages.
    var lossy = false
    /// `--interval`, `--rate` or `--pace recorded`.
    var pacing: Pacing = .none
    var duration: Duration?
    var stats: StatsSettings?
    var progress: ProgressChoice = .automatic
}
