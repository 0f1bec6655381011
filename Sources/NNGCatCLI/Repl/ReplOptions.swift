/// The socket options `.set` knows by name, with how their values parse.
/// Any other name is passed to NNG as `--option NAME=VALUE` would be.
enum ReplOptions {
    enum Kind { case size, duration, integer, boolean }

    // NNG's own names (NNG_OPT_RECVMAXSZ and so on), spelled out: NNGCore
    // offers these only as typed `SocketOption`s and the CLI does not import CNNG.
    static let known: [(name: String, kind: Kind)] = [
        ("recv-size-max", .size),
        ("send-buffer", .integer),
        ("recv-buffer", .integer),
        ("reconnect-time-min", .duration),
        ("reconnect-time-max", .duration),
        ("req:resend-time", .duration),
        ("surveyor:survey-time", .duration),
        ("tcp-nodelay", .boolean),
        ("tcp-keepalive", .boolean),
        ("ttl-max", .integer),
    ]

    static var names: [String] { known.map(\.name) }

    /// The value as NNG's typed setters want it: durations in whole
    /// milliseconds, sizes in bytes.
    static func normalize(_ value: String, for name: String) throws(UsageError) -> String {
        switch known.first(where: { $0.name == name })?.kind {
        case .size: return String(try ValueParsers.size(value, option: name))
        case .duration:
            if value == "-1" || value == "off" || value == "infinite" { return "-1" }
            let duration = try ValueParsers.duration(value, option: name)
            return String(Int64(duration.components.seconds) * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        case .integer: return String(try ValueParsers.integer(value, option: name))
        case .boolean:
            switch value.lowercased() {
            case "true", "on", "yes", "1": return "true"
            case "false", "off", "no", "0": return "false"
            default: throw UsageError("invalid value '\(value)' for \(name): expected true or false")
            }
        case nil: return value
        }
    }
}
