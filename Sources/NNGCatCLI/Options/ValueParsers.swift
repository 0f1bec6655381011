import NNGCore

/// Parsing of option values: durations, sizes, counts and names.
enum ValueParsers {
    /// `1`, `0.5` (seconds), `250ms`, `2s`, `1m`, `1h`, `100us`.
    static func duration(_ text: String, option: String) throws(UsageError) -> Duration {
        let units: [(String, Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text)
        var scale = 1.0
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        // Decimal digits, a point and an exponent: Double(String) alone would
        // also take C's hex floats (0x10 would be 16 s), inf and nan.
        let decimal = number.first.map { $0.isASCII && ($0.isNumber || $0 == ".") } ?? false
            && number.allSatisfy { ($0.isASCII && $0.isNumber) || ".eE+-".contains($0) }
        guard decimal, let value = Double(number), value >= 0, value.isFinite else {
            throw UsageError("invalid duration '\(text)' for \(option) (examples: 1, 0.5, 250ms, 2s, 1m)")
        }
        let seconds = value * scale
        guard seconds < 86_400 * 365 else { throw UsageError("duration '\(text)' for \(option) is too long") }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// `0`, `512`, `64k`, `1m`, `2g` (powers of 1024); `b` suffix allowed.
    static func size(_ text: String, option: String) throws(UsageError) -> Int {
        var digits = Substring(text.lowercased())
        if digits.hasSuffix("b"), digits.count > 1 { digits = digits.dropLast() }
        var multiplier = 1
        switch digits.last {
        case "k": multiplier = 1 << 10
        case "m": multiplier = 1 << 20
        case "g": multiplier = 1 << 30
        default: break
        }
        if multiplier > 1 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw UsageError("invalid size '\(text)' for \(option) (examples: 0, 512, 64k, 1m)")
        }
        guard let value = Int(digits) else { throw UsageError("size '\(text)' for \(option) is too large") }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { throw UsageError("size '\(text)' for \(option) is too large") }
        return product
    }

    /// A whole number from `minimum` up.
    static func integer(_ text: String, option: String, minimum: Int = 0) throws(UsageError) -> Int {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else {
            throw UsageError("invalid number '\(text)' for \(option): expected a whole number\(minimum > 0 ? " from \(minimum)" : " (0 or more)")")
        }
        guard value >= minimum else { throw UsageError("\(option) must be at least \(minimum), not \(value)") }
        return value
    }

    /// `push`, `push0`, `pair` (pair1), … as the `-p` option and the REPL spell them.
    static func socketProtocol(_ text: String) -> SocketProtocol? {
        if text == "pair" { return .pair1 }
        if let exact = SocketProtocol(rawValue: text) { return exact }
        return SocketProtocol(rawValue: text + "0")
    }

    static var protocolNames: [String] {
        ["push", "pull", "pub", "sub", "req", "rep", "pair", "pair0", "pair1", "bus", "surveyor", "respondent"]
    }

    /// A URL with a scheme libnng knows and something after `://`.
    static func url(_ text: String, option: String) throws(UsageError) -> String {
        guard let scheme = Endpoint.scheme(of: text) else {
            throw UsageError("invalid URL '\(text)' for \(option): expected SCHEME://ADDRESS, e.g. tcp://127.0.0.1:5555")
        }
        guard Endpoint.schemes.contains(scheme) else {
            throw UsageError("unknown URL scheme '\(scheme)' in '\(text)' (known: tcp, ipc, inproc, ws, wss, tls+tcp)")
        }
        guard text.count > scheme.count + 3 else { throw UsageError("invalid URL '\(text)' for \(option): no address after '://'") }
        return text
    }
}
