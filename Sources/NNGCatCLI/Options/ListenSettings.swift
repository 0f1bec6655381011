/// How rep and respondent answer.
public enum ReplyAction: Sendable, Equatable {
    case text([UInt8])
    case echo
    case exec(String)
}

/// `listen`, validated.
public struct ListenSettings: Sendable {
    public var socket: SocketSettings
    public var count: Int?
    public var reply: ReplyAction?
    /// For pull/sub/pair/bus: a command run per message.
    public var exec: String?
    public var jobs = 1
}
