/// A steady message rate, as `--rate` spells it: `N`, `N/s`, `N/m`, `N/h`.
struct Rate: Sendable, Equatable {
    let perSecond: Double

    /// The time between two messages' scheduled starts.
    var period: Duration { .nanoseconds(Int64((1e9 / perSecond).rounded())) }

    /// `200`, `200/s`, `30/m`, `0.5/s`, `3600/h`; N decimal and above zero.
    static func parse(_ text: String, option: String) throws(UsageError) -> Rate {
        let units: [(String, Double)] = [("/s", 1), ("/m", 60), ("/h", 3600)]
        var number = Substring(text)
        var per = 1.0
        for (suffix, seconds) in units where text.hasSuffix(suffix) {
            number = number.dropLast(suffix.count)
            per = seconds
            break
        }
        let decimal = !number.isEmpty && number.first != "." && number.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." }
        guard decimal, let value = Double(number), value.isFinite else {
            throw UsageError("invalid rate '\(text)' for \(option) (examples: 100, 200/s, 30/m, 1000/h)")
        }
        let perSecond = value / per
        // Above a billion a second the period rounds to zero nanoseconds.
        guard perSecond > 0, perSecond <= 1e9, (1e9 / perSecond) < 86_400e9 * 365 else {
            throw UsageError("rate '\(text)' for \(option) is out of range (above 0, at most 1000000000/s)")
        }
        return Rate(perSecond: perSecond)
    }
}
