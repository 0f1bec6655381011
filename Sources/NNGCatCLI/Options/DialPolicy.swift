/// How a socket's dials start.
enum DialPolicy: Sendable, Equatable {
    /// The first attempt must connect, or its error ends the run: `send`'s
    /// default, and `--no-retry`.
    case failFast
    /// The first attempt is made at once; if nobody is there yet, that is said
    /// once and NNG keeps retrying in the background: `listen`'s and `repl`'s
    /// default, so that a subscriber may start before its publisher.
    case retry
    /// Dial in the background from the start, silently: `--async`.
    case background
}
