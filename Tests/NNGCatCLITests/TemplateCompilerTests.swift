import Glibc
import Testing
@testable import NNGCatCLI

/// The template compiler: tokens, blanks inside braces, the `{{"{{"}}`
/// escape, output escapes, and errors that name the token and its position.
@Suite("template compiler")
struct TemplateCompilerTests {
    func compile(_ text: String, _ use: TemplateUse = .payload) throws(TemplateError) -> Template {
        try TemplateCompiler.compile(text, for: use)
    }

    func failure(_ text: String, _ use: TemplateUse = .payload) -> TemplateError? {
        do {
            _ = try compile(text, use)
            return nil
        } catch {
            return error
        }
    }

    /// The literal bytes and token of each segment, for comparing shapes.
    func shape(_ template: Template) -> [String] {
        template.segments.map { segment in
            switch segment {
            case .literal(let range): "'" + String(decoding: template.literals[range], as: UTF8.self) + "'"
            case .token(let token): "\(token)"
            }
        }
    }

    @Test("every per-message token compiles, with or without blanks inside the braces")
    func everyToken() throws {
        let tokens: [(String, TemplateUse, TemplateToken)] = [
            ("seq", .payload, .seq), ("time", .payload, .time), ("unix", .payload, .unix),
            ("unixms", .payload, .unixMillis), ("unixns", .payload, .unixNanos), ("uuid", .payload, .uuid),
            ("random 1 6", .payload, .random(1, 6)), ("request", .reply, .request),
            ("data", .output, .data), ("quoted", .output, .quoted), ("hex", .output, .hex), ("base64", .output, .base64),
            ("json", .output, .json), ("size", .output, .size), ("peer", .output, .peer), ("topic", .output, .topic),
        ]
        for (text, use, token) in tokens {
            #expect(try compile("{{\(text)}}", use).segments == [.token(token)], "\(text)")
            #expect(try compile("{{  \(text)\t }}", use).segments == [.token(token)], "\(text) with blanks")
            #expect(try compile("{{ \(text) }}", use).uses(token))
        }
        #expect(shape(try compile("n={{ seq }} at {{time}}!")) == ["'n='", "seq", "' at '", "time", "'!'"])
    }

    @Test("hostname, pid and env become literal bytes at compile time")
    func constants() throws {
        #expect(shape(try compile("{{pid}}")) == ["'\(getpid())'"])
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, 255)
        let hostname = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(shape(try compile("h={{ hostname }}")) == ["'h=\(hostname)'"])
        setenv("NNGCAT_TEMPLATE_TEST", "a b", 1)
        unsetenv("NNGCAT_TEMPLATE_UNSET")
        #expect(shape(try compile("<{{env NNGCAT_TEMPLATE_TEST}}|{{ env NNGCAT_TEMPLATE_UNSET }}>")) == ["'<a b|>'"])
    }

    @Test("{{\"{{\"}} writes a literal {{; braces without a token are plain bytes")
    func escape() throws {
        #expect(shape(try compile("{{\"{{\"}}seq}}")) == ["'{{seq}}'"])
        #expect(shape(try compile("a {{ \"}}\" }} b")) == ["'a }} b'"])
        #expect(shape(try compile("{ } }} {x}")) == ["'{ } }} {x}'"])
        #expect(shape(try compile("\\n stays")) == ["'\\n stays'"])
    }

    @Test("output templates know \\n, \\t, \\0 and \\\\")
    func outputEscapes() throws {
        #expect(try compile("{{data}}\\n\\t\\0\\\\", .output).literals == [0x0a, 0x09, 0x00, 0x5c])
        #expect(failure("{{data}}\\x", .output) == TemplateError("unknown escape '\\x' at character 9 (known: \\n, \\t, \\0, \\\\)", position: 9))
        #expect(failure("ab\\", .output)?.position == 3)
    }

    @Test("errors name the token and its position in characters")
    func errors() {
        #expect(failure("n={{sq}}")?.message.hasPrefix("unknown template token '{{sq}}' at character 3 (known: seq, time,") == true)
        #expect(failure("é {{ nope 1 }}")?.position == 3)
        #expect(failure("ab{{seq")?.message.hasPrefix("unclosed template token at character 3") == true)
        #expect(failure("{{\"x}}")?.position == 1)
        #expect(failure("{{\"x\" y}}")?.message == "malformed template token '{{\"x\" y}}' at character 1: expected }} after the quoted text")
        #expect(failure("x{{}}")?.message == "malformed template token '{{}}' at character 2: no token name")
        #expect(failure("{{seq 1}}")?.message == "malformed template token '{{seq 1}}' at character 1: seq takes no argument")
        #expect(failure("{{env}}")?.message == "malformed template token '{{env}}' at character 1: env takes one variable name")
        #expect(failure("{{data}}")?.message == "template token '{{data}}' at character 1 works only in listen --format templates")
        #expect(failure("{{request}}")?.message == "template token '{{request}}' at character 1 works only in --template --reply")
        #expect(failure("{{request}}", .output) != nil)
        #expect(failure("{{SEQ}}") != nil)
    }

    @Test("random takes two integers A <= B, signs allowed")
    func randomArguments() throws {
        #expect(try compile("{{random -5 +5}}").segments == [.token(.random(-5, 5))])
        #expect(try compile("{{random 7 7}}").segments == [.token(.random(7, 7))])
        for bad in ["{{random}}", "{{random 1}}", "{{random 1 2 3}}", "{{random a 2}}", "{{random 1 99999999999999999999}}", "{{random - 2}}"] {
            #expect(failure(bad)?.message.hasSuffix("random takes two integers, A B") == true, "\(bad)")
        }
        #expect(failure("{{random 3 1}}")?.message.hasSuffix("A (3) is greater than B (1)") == true)
    }

    @Test("compiling into a reused template replaces what it held")
    func reuse() throws {
        var template = Template()
        try bytes("a{{seq}}b").withBytes { (text) throws(TemplateError) in try TemplateCompiler.compile(text, for: .payload, into: &template) }
        try bytes("c").withBytes { (text) throws(TemplateError) in try TemplateCompiler.compile(text, for: .payload, into: &template) }
        #expect(shape(template) == ["'c'"])
    }
}
