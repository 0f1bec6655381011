/// What `send` reports while it runs: `--stats` lines (with round-trip times
/// for req/surveyor) and, on a terminal, the progress line.
enum SendObservation {
    static func reporter(_ settings: SendSettings, latency: Bool) -> LiveReporter {
        let size = inputSize(settings)
        let progress = ProgressMeter.shouldDraw(settings.progress, knownSize: size != nil) ? ProgressMeter(total: size) : nil
        return LiveReporter(stats: settings.stats, latency: latency && settings.stats != nil ? LatencyHistogram() : nil,
                            progress: progress)
    }

    /// The input's size in bytes when it is known ahead: a regular file on
    /// stdin, or `--file` (times `--count`); nil for pipes and endless runs.
    static func inputSize(_ settings: SendSettings) -> Int? {
        switch settings.source {
        case .stdinRecords, .stdinWhole:
            return ProgressMeter.remainingSize(of: 0)
        case .file(let path):
            guard settings.count > 0, let size = path == "-" ? ProgressMeter.remainingSize(of: 0) : ProgressMeter.fileSize(path) else { return nil }
            return (size + 1) * settings.count
        case .messages:
            return nil
        }
    }
}
