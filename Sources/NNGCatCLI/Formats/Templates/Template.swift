/// A compiled template: literal bytes and tokens, in order. Literals live in
/// one byte store and segments point into it, so compiling into a template
/// that is reused (`reset()`) allocates nothing once it has grown.
struct Template: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(Range<Int>)
        case token(TemplateToken)
    }

    private(set) var literals: [UInt8] = []
    private(set) var segments: [Segment] = []

    init() {}

    /// True when some segment is `token` (arguments of `random` ignored).
    func uses(_ token: TemplateToken) -> Bool {
        segments.contains { segment in
            guard case .token(let t) = segment else { return false }
            if case .random = t, case .random = token { return true }
            return t == token
        }
    }

    mutating func reset() {
        literals.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
    }

    mutating func appendLiteral(_ byte: UInt8) {
        let start = literals.count
        literals.append(byte)
        extendLiteral(from: start)
    }

    mutating func appendLiteral(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        let start = literals.count
        literals.append(contentsOf: bytes)
        extendLiteral(from: start)
    }

    mutating func appendToken(_ token: TemplateToken) { segments.append(.token(token)) }

    /// Grows the last literal segment over the bytes just stored, or starts one.
    private mutating func extendLiteral(from start: Int) {
        if case .literal(let range)? = segments.last, range.upperBound == start {
            segments[segments.count - 1] = .literal(range.lowerBound..<literals.count)
        } else {
            segments.append(.literal(start..<literals.count))
        }
    }
}
