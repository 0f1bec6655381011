internal import CNNG

/// How long an operation may take before it fails with `.timedOut`.
public enum Timeout: Sendable, Equatable {
    case infinite
    case after(Duration)

    /// `nil` means no bound.
    public init(_ duration: Duration?) {
        self = duration.map { .after($0) } ?? .infinite
    }

    /// The value in NNG's unit (milliseconds, -1 for infinite), rounded up so
    /// that a sub-millisecond timeout is not turned into "immediately".
    var nngDuration: nng_duration {
        switch self {
        case .infinite:
            return -1
        case .after(let duration):
            let (seconds, attoseconds) = duration.components
            if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
            let millis = seconds.multipliedReportingOverflow(by: 1000)
            if millis.overflow || millis.partialValue > Int64(Int32.max) { return Int32.max }
            let extra = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            return nng_duration(min(millis.partialValue + extra, Int64(Int32.max)))
        }
    }
}

extension Duration {
    /// Whole milliseconds, saturating; used for NNG's millisecond options.
    var nngMilliseconds: nng_duration { Timeout.after(self).nngDuration }
}
