import NNGCore

/// An endpoint opened in this session.
struct ReplEndpoint {
    enum Kind: String { case dial, listen }
    let kind: Kind
    let url: String
    var dialer: Dialer?
    var listener: Listener?
    /// The first dial found nobody there; NNG keeps trying in the background.
    var retrying = false
}
