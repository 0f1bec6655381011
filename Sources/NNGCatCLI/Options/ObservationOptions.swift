/// The pacing and observing options (`--rate`, `--pace`, `--duration`,
/// `--stats`, `--progress`, …) turned into settings, kept apart from
/// SettingsBuilder so it stays about sockets and sources.
enum ObservationOptions {
    static func apply(_ parsed: ParsedArguments, to settings: inout SendSettings) throws(UsageError) {
        var pacers: [(key: OptionKey, spelling: String)] = []
        var speed: (Double, String)?
        for occurrence in parsed.options {
            let value = occurrence.value ?? ""
            let name = occurrence.spelling
            switch occurrence.spec.key {
            case .interval:
                settings.pacing = .interval(try ValueParsers.duration(value, option: name))
                if !pacers.contains(where: { $0.key == occurrence.spec.key }) { pacers.append((occurrence.spec.key, name)) }
            case .rate:
                settings.pacing = .rate(try Rate.parse(value, option: name))
                if !pacers.contains(where: { $0.key == occurrence.spec.key }) { pacers.append((occurrence.spec.key, name)) }
            case .pace:
                guard value == "recorded" else { throw UsageError("unknown pace '\(value)' for \(name) (known: recorded)") }
                settings.pacing = .recorded(speed: 1)
                if !pacers.contains(where: { $0.key == occurrence.spec.key }) { pacers.append((occurrence.spec.key, name)) }
            case .speed: speed = (try Self.speed(value, option: name), name)
            case .duration: settings.duration = try ValueParsers.duration(value, option: name)
            case .progress: settings.progress = .forced
            case .noProgress: settings.progress = .off
            default: continue
            }
        }
        if pacers.count > 1 { throw UsageError("choose one way to pace: \(pacers[0].spelling) and \(pacers[1].spelling) both given") }
        if case .recorded = settings.pacing {
            if settings.input != .json { throw UsageError("--pace recorded needs --input json (records with a time field, as 'listen --format json' writes)") }
            if let speed { settings.pacing = .recorded(speed: speed.0) }
        } else if let speed {
            throw UsageError("\(speed.1) works only with --pace recorded")
        }
        settings.stats = try stats(parsed)
    }

    /// `--stats` alone: every second; `--stats=DUR`: every DUR. `--stats-format` alone implies `--stats`.
    static func stats(_ parsed: ParsedArguments) throws(UsageError) -> StatsSettings? {
        guard parsed.has(.stats) || parsed.has(.statsFormat) else { return nil }
        var settings = StatsSettings()
        if let given = parsed.last(.stats), let value = given.value {
            let interval = try ValueParsers.duration(value, option: given.spelling)
            settings.interval = interval
            if interval < .milliseconds(10) { throw UsageError("\(given.spelling) must be at least 10ms, not \(value)") }
        }
        if let format = parsed.last(.statsFormat) {
            guard let chosen = StatsSettings.Format(rawValue: format.value ?? "") else {
                throw UsageError("unknown stats format '\(format.value ?? "")' for \(format.spelling) (known: text, json)")
            }
            settings.format = chosen
        }
        return settings
    }

    /// A positive decimal: `2`, `0.5`.
    static func speed(_ text: String, option: String) throws(UsageError) -> Double {
        let decimal = !text.isEmpty && text.first != "." && text.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == "." }
        guard decimal, let value = Double(text), value.isFinite, value > 0, value <= 1e6 else {
            throw UsageError("invalid speed '\(text)' for \(option): expected a number above 0, e.g. 2 or 0.5")
        }
        return value
    }
}
