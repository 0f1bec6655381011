/// How rep and respondent answer.
enum ReplyAction: Sendable, Equatable {
    case text([UInt8])
    /// `--template --reply TEXT`.
    case template(Template)
    case echo
    case exec(String)
}

/// `listen`, validated.
struct ListenSettings: Sendable {
    var socket: SocketSettings
    var count: Int?
    var reply: ReplyAction?
    /// For pull/sub/pair/bus: a command run per message.
    var exec: String?
    var jobs = 1
    var stats: StatsSettings?
    var checkSeq = false
}
