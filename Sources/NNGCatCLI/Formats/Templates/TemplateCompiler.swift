import Glibc

/// Turns template text into a `Template`: `{{ name args }}` tokens (blanks
/// allowed inside the braces), `{{"text"}}` for literal text such as `{{`,
/// and in output templates the escapes `\n`, `\t`, `\0` and `\\`.
enum TemplateCompiler {
    static func compile(_ text: String, for use: TemplateUse) throws(TemplateError) -> Template {
        try compile(Array(text.utf8), for: use)
    }

    static func compile(_ text: [UInt8], for use: TemplateUse) throws(TemplateError) -> Template {
        var template = Template()
        try text.withBytes { (bytes) throws(TemplateError) in try compile(bytes, for: use, into: &template) }
        return template
    }

    /// Compiles into `template`, reusing its storage: a stdin line compiled per
    /// message allocates nothing once the template has grown to fit.
    static func compile(_ text: UnsafeRawBufferPointer, for use: TemplateUse, into template: inout Template) throws(TemplateError) {
        template.reset()
        var index = 0
        var plainStart = 0
        func takePlain(upTo end: Int) {
            template.appendLiteral(UnsafeRawBufferPointer(rebasing: text[plainStart..<end]))
        }
        while index < text.count {
            let byte = text[index]
            if byte == openBrace && index + 1 < text.count && text[index + 1] == openBrace {
                takePlain(upTo: index)
                index = try token(in: text, at: index, for: use, into: &template)
                plainStart = index
            } else if byte == backslash && use == .output {
                takePlain(upTo: index)
                template.appendLiteral(try escape(in: text, at: index))
                index += 2
                plainStart = index
            } else {
                index += 1
            }
        }
        takePlain(upTo: text.count)
    }

    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let backslash = UInt8(ascii: "\\")
    private static let quote = UInt8(ascii: "\"")

    @inline(__always) private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    /// The 1-based position of byte `offset` in characters (UTF-8 continuation bytes do not count).
    static func characterPosition(_ text: UnsafeRawBufferPointer, _ offset: Int) -> Int {
        text[..<offset].reduce(1) { count, byte in byte & 0xc0 == 0x80 ? count : count + 1 }
    }

    private static func escape(in text: UnsafeRawBufferPointer, at index: Int) throws(TemplateError) -> UInt8 {
        let position = characterPosition(text, index)
        guard index + 1 < text.count else {
            throw TemplateError("a lone '\\' at character \(position) ends the template (a backslash is written \\\\)", position: position)
        }
        switch text[index + 1] {
        case UInt8(ascii: "n"): return 0x0a
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "0"): return 0
        case backslash: return backslash
        default:
            let shown = String(decoding: text[index..<min(index + 2, text.count)], as: UTF8.self)
            throw TemplateError("unknown escape '\(shown)' at character \(position) (known: \\n, \\t, \\0, \\\\)", position: position)
        }
    }

    /// Compiles the token starting with `{{` at `start`; returns the offset after its `}}`.
    private static func token(in text: UnsafeRawBufferPointer, at start: Int, for use: TemplateUse,
                              into template: inout Template) throws(TemplateError) -> Int {
        let position = characterPosition(text, start)
        var cursor = start + 2
        while cursor < text.count && isBlank(text[cursor]) { cursor += 1 }
        if cursor < text.count && text[cursor] == quote {
            return try quotedLiteral(in: text, at: cursor, tokenStart: start, position: position, into: &template)
        }
        var close = cursor
        while close + 1 < text.count && !(text[close] == closeBrace && text[close + 1] == closeBrace) { close += 1 }
        guard close + 1 < text.count else { throw unclosed(position) }
        let shown = String(decoding: text[start..<close + 2], as: UTF8.self)
        func word() -> Range<Int>? {
            while cursor < close && isBlank(text[cursor]) { cursor += 1 }
            guard cursor < close else { return nil }
            let begin = cursor
            while cursor < close && !isBlank(text[cursor]) { cursor += 1 }
            return begin..<cursor
        }
        func malformed(_ why: String) -> TemplateError {
            TemplateError("malformed template token '\(shown)' at character \(position): \(why)", position: position)
        }
        guard let name = word() else { throw malformed("no token name") }
        let first = word(), second = word(), extra = word()
        guard let spec = TemplateTokenSpec.table.first(where: { text[name].elementsEqual($0.name.utf8) }) else {
            let known = TemplateTokenSpec.names(for: use).joined(separator: ", ")
            throw TemplateError("unknown template token '\(shown)' at character \(position) (known: \(known); a literal {{ is written {{\"{{\"}})", position: position)
        }
        guard spec.uses.contains(use) else {
            throw TemplateError("template token '\(shown)' at character \(position) works only in \(spec.placesText)", position: position)
        }
        switch spec.kind {
        case .random:
            guard let first, let second, extra == nil, let low = integer(text[first]), let high = integer(text[second]) else {
                throw malformed("random takes two integers, A B")
            }
            guard low <= high else { throw malformed("A (\(low)) is greater than B (\(high))") }
            template.appendToken(.random(low, high))
        case .env:
            guard let first, second == nil else { throw malformed("env takes one variable name") }
            appendEnvironment(UnsafeRawBufferPointer(rebasing: text[first]), into: &template)
        default:
            guard first == nil else { throw malformed("\(spec.name) takes no argument") }
            switch spec.kind {
            case .token(let token): template.appendToken(token)
            case .hostname: hostname.withBytes { template.appendLiteral($0) }
            case .pid: appendDecimal(Int(getpid()), into: &template)
            case .random, .env: break
            }
        }
        return close + 2
    }

    /// `{{"text"}}`: the bytes between the quotes, as they are.
    private static func quotedLiteral(in text: UnsafeRawBufferPointer, at openQuote: Int, tokenStart: Int, position: Int,
                                      into template: inout Template) throws(TemplateError) -> Int {
        var closeQuote = openQuote + 1
        while closeQuote < text.count && text[closeQuote] != quote { closeQuote += 1 }
        guard closeQuote < text.count else { throw unclosed(position) }
        var cursor = closeQuote + 1
        while cursor < text.count && isBlank(text[cursor]) { cursor += 1 }
        guard cursor + 1 < text.count && text[cursor] == closeBrace && text[cursor + 1] == closeBrace else {
            var end = cursor
            while end + 1 < text.count && !(text[end] == closeBrace && text[end + 1] == closeBrace) { end += 1 }
            let shown = String(decoding: text[tokenStart..<min(end + 2, text.count)], as: UTF8.self)
            throw TemplateError("malformed template token '\(shown)' at character \(position): expected }} after the quoted text", position: position)
        }
        template.appendLiteral(UnsafeRawBufferPointer(rebasing: text[(openQuote + 1)..<closeQuote]))
        return cursor + 2
    }

    private static func unclosed(_ position: Int) -> TemplateError {
        TemplateError("unclosed template token at character \(position): '{{' without '}}' (a literal {{ is written {{\"{{\"}})", position: position)
    }

    /// A decimal integer with an optional sign; nil when it is not one or overflows.
    static func integer(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int? {
        var digits = bytes[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1 && !overflow2 else { return nil }
            value = next
        }
        return value
    }

    private static func appendDecimal(_ value: Int, into template: inout Template) {
        var buffer = OutputBuffer(reserving: 20)
        buffer.appendDecimal(value)
        buffer.bytes.withBytes { template.appendLiteral($0) }
    }

    /// getenv needs a C string: the name is copied to the stack with its NUL.
    private static func appendEnvironment(_ name: UnsafeRawBufferPointer, into template: inout Template) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: name.count + 1) { cName in
            for (offset, byte) in name.enumerated() { cName[offset] = CChar(bitPattern: byte) }
            cName[name.count] = 0
            guard let value = getenv(cName.baseAddress!) else { return }
            template.appendLiteral(UnsafeRawBufferPointer(start: value, count: strlen(value)))
        }
    }

    /// Read once: the host name does not change while a run lasts.
    static let hostname: [UInt8] = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return [] }
        return name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    }()
}
