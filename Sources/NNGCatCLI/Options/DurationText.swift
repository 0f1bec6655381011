/// Durations as messages and `.status` print them: `10s`, `250ms`, `forever`.
enum DurationText {
    static func format(_ duration: Duration?) -> String {
        guard let duration else { return "forever" }
        let millis = Int64(duration.components.seconds) * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return millis % 1000 == 0 ? "\(millis / 1000)s" : "\(millis)ms"
    }
}
