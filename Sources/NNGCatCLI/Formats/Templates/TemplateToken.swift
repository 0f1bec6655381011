/// Where a template is used; the token table says which tokens each allows.
enum TemplateUse: Sendable, Equatable {
    /// `send --template`: arguments, `--data`, `--file`, stdin lines.
    case payload
    /// `listen --rep --template --reply TEXT`.
    case reply
    /// `listen --format 'TEXT'` with `{{` in TEXT.
    case output
}

/// A token that is rendered per message. `hostname`, `pid` and `env NAME`
/// do not change while the process runs: the compiler turns them into literal bytes.
enum TemplateToken: Sendable, Equatable {
    case seq, time, unix, unixMillis, unixNanos, random(Int, Int), uuid
    case request
    case data, quoted, hex, base64, json, size, peer, topic
}

/// One row of the token table: the single list of what may appear inside
/// `{{ }}`, its arguments and where it is valid.
struct TemplateTokenSpec: Sendable {
    enum Kind: Sendable { case token(TemplateToken), random, hostname, pid, env }
    let name: String
    let arguments: String
    let kind: Kind
    let uses: Set<TemplateUse>
    let help: String

    static let everywhere: Set<TemplateUse> = [.payload, .reply, .output]

    static let table: [TemplateTokenSpec] = [
        .init(name: "seq", arguments: "", kind: .token(.seq), uses: everywhere,
              help: "1-based count: messages sent, requests answered, or messages received"),
        .init(name: "time", arguments: "", kind: .token(.time), uses: everywhere, help: "RFC 3339 UTC with milliseconds, as --format json"),
        .init(name: "unix", arguments: "", kind: .token(.unix), uses: everywhere, help: "seconds since 1970"),
        .init(name: "unixms", arguments: "", kind: .token(.unixMillis), uses: everywhere, help: "milliseconds since 1970"),
        .init(name: "unixns", arguments: "", kind: .token(.unixNanos), uses: everywhere, help: "nanoseconds since 1970"),
        .init(name: "random", arguments: "A B", kind: .random, uses: everywhere, help: "an integer from A to B, both included"),
        .init(name: "uuid", arguments: "", kind: .token(.uuid), uses: everywhere, help: "a random (version 4) UUID"),
        .init(name: "hostname", arguments: "", kind: .hostname, uses: everywhere, help: "this machine's host name"),
        .init(name: "pid", arguments: "", kind: .pid, uses: everywhere, help: "this process's id"),
        .init(name: "env", arguments: "NAME", kind: .env, uses: everywhere, help: "the environment variable NAME (empty when unset)"),
        .init(name: "request", arguments: "", kind: .token(.request), uses: [.reply], help: "the request being answered"),
        .init(name: "data", arguments: "", kind: .token(.data), uses: [.output], help: "the body, raw bytes"),
        .init(name: "quoted", arguments: "", kind: .token(.quoted), uses: [.output], help: "the body as --format quoted, without its newline"),
        .init(name: "hex", arguments: "", kind: .token(.hex), uses: [.output], help: "the body as --format hex, without its newline"),
        .init(name: "base64", arguments: "", kind: .token(.base64), uses: [.output], help: "the body in base64"),
        .init(name: "json", arguments: "", kind: .token(.json), uses: [.output], help: "the body as a JSON string (bytes that are not UTF-8 become U+FFFD)"),
        .init(name: "size", arguments: "", kind: .token(.size), uses: [.output], help: "the body's length in bytes"),
        .init(name: "peer", arguments: "", kind: .token(.peer), uses: [.output], help: "the sender's address, when the transport has one"),
        .init(name: "topic", arguments: "", kind: .token(.topic), uses: [.output], help: "the longest --subscribe prefix the body matched (sub)"),
    ]

    static func names(for use: TemplateUse) -> [String] { table.filter { $0.uses.contains(use) }.map(\.name) }

    /// Where a token is valid, for an error naming the place it was misused.
    var placesText: String {
        var places: [String] = []
        if uses.contains(.payload) { places.append("send --template") }
        if uses.contains(.reply) { places.append("--template --reply") }
        if uses.contains(.output) { places.append("listen --format templates") }
        return places.joined(separator: " and ")
    }
}
