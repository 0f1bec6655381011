/// Stats readings as text (`key=value`, for eyes and `grep`) or JSON (one object a line).
enum StatsLine {
    static func render(_ s: StatsSnapshot, as format: StatsSettings.Format) -> String {
        format == .json ? json(s) : text(s)
    }

    /// `nngcat: stats t=2.0s msgs=200 bytes=3200 rate=200.0/s bytes/s=3200 total_msgs=400 total_bytes=6400`
    /// (`stats summary` at exit, with the run's totals), then latency and
    /// `--check-seq` figures when there are any; one `stats peer` line per peer.
    static func text(_ s: StatsSnapshot) -> String {
        var line = s.summary ? "nngcat: stats summary" : "nngcat: stats"
        line += " t=\(fixed(s.elapsed, 3))s msgs=\(s.messages) bytes=\(s.bytes) rate=\(fixed(s.rate, 1))/s bytes/s=\(Int(s.byteRate.rounded()))"
        if !s.summary { line += " total_msgs=\(s.totalMessages) total_bytes=\(s.totalBytes)" }
        for part in s.parts {
            line += " \(part.name)_msgs=\(part.messages) \(part.name)_bytes=\(part.bytes)"
            if !s.summary { line += " \(part.name)_total_msgs=\(part.totalMessages)" }
        }
        if let l = s.latency {
            line += " rtt_p50=\(time(l.p50)) rtt_p90=\(time(l.p90)) rtt_p99=\(time(l.p99)) rtt_max=\(time(l.max))"
        }
        if let q = s.sequence {
            line += " " + seqText(q.total) + " unnumbered=\(q.unnumbered)"
            for peer in q.peers {
                line += "\nnngcat: stats peer=\(peer.label) pipe=\(peer.pipe) " + seqText(peer.counts)
            }
        }
        return line
    }

    static func seqText(_ c: SeqCounts) -> String {
        "gaps=\(c.gaps) missing=\(c.missing) dups=\(c.duplicates) reordered=\(c.reordered)"
    }

    static func json(_ s: StatsSnapshot) -> String {
        var out = "{\"type\":\"\(s.summary ? "summary" : "interval")\",\"elapsed_s\":\(fixed(s.elapsed, 3)),\"span_s\":\(fixed(s.span, 3))"
        out += ",\"messages\":\(s.messages),\"bytes\":\(s.bytes),\"rate\":\(fixed(s.rate, 1)),\"bytes_per_s\":\(Int(s.byteRate.rounded()))"
        out += ",\"total_messages\":\(s.totalMessages),\"total_bytes\":\(s.totalBytes)"
        for part in s.parts {
            out += ",\"\(part.name)\":{\"messages\":\(part.messages),\"bytes\":\(part.bytes)"
            out += ",\"total_messages\":\(part.totalMessages),\"total_bytes\":\(part.totalBytes)}"
        }
        if let l = s.latency {
            out += ",\"rtt_us\":{\"samples\":\(l.samples),\"p50\":\(micros(l.p50)),\"p90\":\(micros(l.p90)),\"p99\":\(micros(l.p99)),\"max\":\(micros(l.max))}"
        }
        if let q = s.sequence {
            out += ",\"seq\":{" + seqJSON(q.total) + ",\"unnumbered\":\(q.unnumbered),\"peers\":["
            out += q.peers.map { peer in
                var label = OutputBuffer()
                Array(peer.label.utf8).withUnsafeBytes { JSONEncoding.appendString($0, into: &label) }
                return "{\"peer\":\(String(decoding: label.bytes, as: UTF8.self)),\"pipe\":\(peer.pipe)," + seqJSON(peer.counts) + "}"
            }.joined(separator: ",")
            out += "]}"
        }
        return out + "}"
    }

    static func seqJSON(_ c: SeqCounts) -> String {
        "\"gaps\":\(c.gaps),\"missing\":\(c.missing),\"duplicates\":\(c.duplicates),\"reordered\":\(c.reordered)"
    }

    /// `850us`, `1.25ms`, `2.50s`; `-` without a sample.
    static func time(_ nanoseconds: Int?) -> String {
        guard let nanoseconds else { return "-" }
        let n = Double(nanoseconds)
        if n < 1e6 { return "\(Int((n / 1e3).rounded()))us" }
        if n < 1e9 { return fixed(n / 1e6, 2) + "ms" }
        return fixed(n / 1e9, 2) + "s"
    }

    static func micros(_ nanoseconds: Int?) -> String {
        nanoseconds.map { fixed(Double($0) / 1e3, 1) } ?? "null"
    }

    /// A decimal with `places` digits after the point, without Foundation.
    static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale)
        var text = (value < 0 && scaled != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let fraction = String(scaled % Int64(scale))
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }
}
