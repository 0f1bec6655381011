internal import CNNG
import Glibc

/// Per-pipe counters from libnng's statistics, the one place libnng tells
/// how far a pipe's transport has got. A snapshot copies every statistic of
/// the process, so read it now and then, not per message.
enum PipeStatistics {
    /// Messages each of `socket`'s pipes has written, appended to `counts`
    /// (emptied first, so its storage is reused). Throws `.notSupported`
    /// when libnng was built without statistics.
    static func transmitted(on socket: Socket, into counts: inout [(pipe: UInt32, messages: Int)]) throws(NNGError) {
        counts.removeAll(keepingCapacity: true)
        var snapshot: OpaquePointer?
        try check(nng_stats_get(&snapshot), "read statistics")
        defer { nng_stats_free(snapshot) }
        // Pipes are scopes named "pipe" at the top of the tree, each holding
        // its id, its socket's id and its counters.
        var scope = nng_stat_child(snapshot)
        while let current = scope {
            scope = nng_stat_next(current)
            guard nng_stat_type(current) == Int32(NNG_STAT_SCOPE.rawValue), named(current, "pipe") else { continue }
            var owner: UInt64?
            var pipe: UInt64?
            var written: UInt64?
            var item = nng_stat_child(current)
            while let stat = item {
                item = nng_stat_next(stat)
                if named(stat, "socket") { owner = nng_stat_value(stat) }
                else if named(stat, "id") { pipe = nng_stat_value(stat) }
                else if named(stat, "tx_msgs") { written = nng_stat_value(stat) }
            }
            if owner == UInt64(socket.id), let pipe, let written {
                counts.append((UInt32(truncatingIfNeeded: pipe), Int(truncatingIfNeeded: written)))
            }
        }
    }

    private static func named(_ stat: OpaquePointer, _ name: StaticString) -> Bool {
        guard let actual = nng_stat_name(stat) else { return false }
        return name.withUTF8Buffer { expected in
            strncmp(actual, UnsafeRawPointer(expected.baseAddress!).assumingMemoryBound(to: CChar.self), expected.count) == 0
                && actual[expected.count] == 0
        }
    }
}
