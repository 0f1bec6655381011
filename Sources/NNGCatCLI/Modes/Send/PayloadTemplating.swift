/// `send --template`: turns each message text into the bytes sent. Texts
/// that repeat (arguments, `--data`, `--file`) are compiled once, in their
/// slot; a stdin line is compiled as it arrives into one reused template.
/// Rendering appends into one reused buffer.
struct PayloadTemplating {
    private var renderer = TemplateRenderer()
    private var buffer = OutputBuffer(reserving: 256)
    private var compiled: [Template?] = []
    private var scratch = Template()
    private var sequence = 0

    /// Renders `text` and hands the bytes to `body`. `slot` names a text that
    /// repeats (nil: a stdin line). A text that does not compile is an error
    /// naming `label()`: usage (2) for a fixed text, found before the first
    /// send; a failure (1) for a stdin line, like an undecodable one.
    mutating func render(_ text: UnsafeRawBufferPointer, slot: Int?, label: () -> String,
                         _ body: (UnsafeRawBufferPointer) throws(CLIError) -> Void) throws(CLIError) {
        sequence += 1
        buffer.removeAll()
        if let slot {
            if slot >= compiled.count { compiled += Array(repeating: nil, count: slot + 1 - compiled.count) }
            if compiled[slot] == nil { compiled[slot] = try compile(text, label: label, status: .usage) }
            renderer.render(compiled[slot]!, .init(sequence: sequence), into: &buffer)
        } else {
            do throws(TemplateError) {
                try TemplateCompiler.compile(text, for: .payload, into: &scratch)
            } catch {
                throw CLIError("\(label()): \(error.message)", status: .failure)
            }
            renderer.render(scratch, .init(sequence: sequence), into: &buffer)
        }
        try buffer.bytes.withBytes { (bytes) throws(CLIError) in try body(bytes) }
    }

    private func compile(_ text: UnsafeRawBufferPointer, label: () -> String, status: ExitStatus) throws(CLIError) -> Template {
        var template = Template()
        do throws(TemplateError) {
            try TemplateCompiler.compile(text, for: .payload, into: &template)
        } catch {
            throw CLIError("\(label()): \(error.message)", status: status)
        }
        return template
    }
}
