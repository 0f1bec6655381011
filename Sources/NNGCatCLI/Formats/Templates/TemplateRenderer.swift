import Glibc

/// Renders compiled templates into an `OutputBuffer`, appending: no
/// allocation beyond the buffer's growth. One per thread: it holds the state
/// of the random generator.
struct TemplateRenderer {
    /// What a message brings to its template. `body` is the request (reply
    /// templates) or the received message (output templates).
    struct Context {
        var sequence: Int
        var body = UnsafeRawBufferPointer(start: nil, count: 0)
        var peer: String? = nil
        var subscriptions: [[UInt8]] = []
    }

    private var random = TemplateRandom()

    mutating func render(_ template: Template, _ context: Context, into out: inout OutputBuffer) {
        // Every time token of one message shows the same instant.
        var clock: timespec?
        func now() -> timespec {
            if let clock { return clock }
            var reading = timespec()
            clock_gettime(CLOCK_REALTIME, &reading)
            clock = reading
            return reading
        }
        template.literals.withUnsafeBytes { literals in
            for segment in template.segments {
                switch segment {
                case .literal(let range):
                    out.append(UnsafeRawBufferPointer(rebasing: literals[range]))
                case .token(let token):
                    switch token {
                    case .seq: out.appendDecimal(context.sequence)
                    case .time: JSONEncoding.appendTimestamp(now(), into: &out)
                    case .unix: out.appendDecimal(now().tv_sec)
                    case .unixMillis: out.appendDecimal(now().tv_sec * 1_000 + now().tv_nsec / 1_000_000)
                    case .unixNanos: out.appendDecimal(now().tv_sec * 1_000_000_000 + now().tv_nsec)
                    case .random(let low, let high): out.appendDecimal(Int.random(in: low...high, using: &random))
                    case .uuid: appendUUID(into: &out)
                    case .request, .data: out.append(context.body)
                    case .quoted: MessageEncoder.appendQuoted(context.body, into: &out)
                    case .hex: MessageEncoder.appendHexString(context.body, into: &out)
                    case .base64: Base64.encode(context.body, into: &out)
                    case .json: JSONEncoding.appendLossyString(context.body, into: &out)
                    case .size: out.appendDecimal(context.body.count)
                    case .peer: if let peer = context.peer { out.append(peer) }
                    case .topic: out.append(Self.topic(of: context.body, among: context.subscriptions))
                    }
                }
            }
        }
    }

    /// Random version 4, variant 1: `xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`.
    private mutating func appendUUID(into out: inout OutputBuffer) {
        let high = random.next() & 0xffff_ffff_ffff_0fff | 0x0000_0000_0000_4000
        let low = random.next() & 0x3fff_ffff_ffff_ffff | 0x8000_0000_0000_0000
        for index in 0..<16 {
            if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
            let word = index < 8 ? high : low
            out.appendHex(UInt8(truncatingIfNeeded: word >> UInt64(56 - 8 * (index % 8))))
        }
    }

    /// The longest subscription that `body` starts with (empty when none does,
    /// as with a subscription to everything).
    static func topic(of body: UnsafeRawBufferPointer, among subscriptions: [[UInt8]]) -> UnsafeRawBufferPointer {
        var length = 0
        for topic in subscriptions where topic.count > length && topic.count <= body.count {
            if body.prefix(topic.count).elementsEqual(topic) { length = topic.count }
        }
        return UnsafeRawBufferPointer(rebasing: body[..<length])
    }
}
