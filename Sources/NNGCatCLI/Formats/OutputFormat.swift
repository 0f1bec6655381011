import NNGCore

/// How a received message is printed.
enum OutputFormat: String, CaseIterable, Sendable {
    /// The bytes, then the separator (newline, or NUL with --null).
    case line
    /// The bytes only, nothing between messages.
    case raw
    /// A C string literal: `"a\"b\n\x01"`, then a newline (the C nngcat's `--quoted`).
    case quoted
    /// Every byte as `\xHH` inside quotes, then a newline (the C nngcat's `--hex`).
    case hex
    /// A msgpack bin8/bin16/bin32 object (the C nngcat's `--msgpack`).
    case msgpack
    /// Printable ASCII kept, every other byte as `.`; a newline after each in
    /// the subcommands (the legacy syntax runs messages together, as the C tool does).
    case ascii
    /// One JSON object per line: `{"data":...}` or `{"base64":...}`, then seq, time, size, peer.
    case json
    /// Nothing at all.
    case no
}
