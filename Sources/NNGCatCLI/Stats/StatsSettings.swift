/// `--stats[=DUR]` and `--stats-format`.
struct StatsSettings: Sendable, Equatable {
    enum Format: String, Sendable, CaseIterable { case text, json }

    static let defaultInterval: Duration = .seconds(1)

    /// Nil: the summary at exit only (`--check-seq` without `--stats`).
    var interval: Duration? = defaultInterval
    var format: Format = .text
}

/// Whether `send` draws its progress line: `--progress`, `--no-progress`,
/// `NNGCAT_NO_PROGRESS`; on a terminal only, whatever was asked.
enum ProgressChoice: Sendable, Equatable {
    /// When stderr is a terminal and the input's size is known.
    case automatic
    /// When stderr is a terminal.
    case forced
    case off
}
