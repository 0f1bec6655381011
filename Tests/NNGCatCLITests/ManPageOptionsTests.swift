import Testing
@testable import NNGCatCLI

/// man/nngcat.1's generated option lists, and the roff they are made of.
@Suite("man page options")
struct ManPageOptionsTests {
    /// The lines between a command's markers, each with its newline, or nil
    /// when the markers are missing or repeated.
    static func section(of page: String, _ command: Command) -> String? {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        let begin = lines.indices.filter { lines[$0] == ManPageOptions.beginMarker(command) }
        let end = lines.indices.filter { lines[$0] == ManPageOptions.endMarker(command) }
        guard begin.count == 1, end.count == 1, begin[0] < end[0] else { return nil }
        return lines[(begin[0] + 1)..<end[0]].map { $0 + "\n" }.joined()
    }

    @Test("man/nngcat.1 holds what the tables generate (else run scripts/regenerate-docs)", arguments: ManPageOptions.documented)
    func golden(command: Command) throws {
        let section = try #require(Self.section(of: committedFile("man/nngcat.1"), command),
                                   "man/nngcat.1 lacks the GENERATED OPTIONS markers of \(command)")
        let generated = ManPageOptions.fragment(for: command)
        guard section != generated else { return }
        let new = generated.split(separator: "\n"), old = section.split(separator: "\n")
        let line = (0..<min(new.count, old.count)).first { new[$0] != old[$0] } ?? min(new.count, old.count)
        Issue.record("""
            man/nngcat.1 (\(command)) is out of date: run scripts/regenerate-docs. First difference at fragment line \(line + 1):
              committed: \(line < old.count ? String(old[line]) : "(end)")
              generated: \(line < new.count ? String(new[line]) : "(end)")
            """)
    }

    @Test("every fragment sits between its markers in allSections, in man page order")
    func allSections() {
        let everything = ManPageOptions.allSections()
        for command in ManPageOptions.documented {
            #expect(Self.section(of: everything, command) == ManPageOptions.fragment(for: command), "\(command)")
        }
        #expect(ManPageOptions.documented == Command.allCases)
    }

    @Test("every option is listed, with all its spellings", arguments: ManPageOptions.documented)
    func everyOption(command: Command) {
        let fragment = ManPageOptions.fragment(for: command)
        for option in OptionTable.options(for: command) {
            #expect(fragment.contains(".TP\n" + ManPageOptions.tag(option) + "\n"), "\(command): --\(option.long)")
            for name in option.allLongNames {
                #expect(fragment.contains("\\-\\-" + name.replacing("-", with: "\\-")), "\(command): --\(name)")
            }
        }
    }

    @Test("tags: .B for one name, .BR for several, .BI with the value's name")
    func tags() {
        func spec(_ long: String, _ command: Command = .send) -> OptionSpec {
            OptionTable.options(for: command).first { $0.long == long }!
        }
        #expect(ManPageOptions.tag(spec("whole")) == #".B \-\-whole"#)
        #expect(ManPageOptions.tag(spec("verbose")) == #".BR \-v ", " \-\-verbose"#)
        #expect(ManPageOptions.tag(spec("push")) == #".BR \-\-push ", " \-\-push0"#)
        #expect(ManPageOptions.tag(spec("count")) == #".BI "\-C, \-\-count " N"#)
        #expect(ManPageOptions.tag(spec("send-timeout")) == #".BI "\-\-send\-timeout " DUR"#)
    }

    @Test("prose escapes: backslash, a dash that starts a word, a control character at the start", arguments: [
        ("a\\b", "a\\eb"),
        ("-x or --long", "\\-x or \\-\\-long"),
        ("well-known 1-2", "well-known 1-2"),
        ("(-1)", "(\\-1)"),
        (".dot", "\\&.dot"),
        ("'quote", "\\&'quote"),
        ("plain", "plain"),
    ])
    func text(prose: String, roff: String) {
        #expect(ManPageOptions.text(prose) == roff)
    }

    @Test("source lines are wrapped at 80 bytes, at spaces, and never start with a control character")
    func wrap() {
        let words = (1...40).map { "w\($0)" }.joined(separator: " ") + " .x 'y"
        let lines = ManPageOptions.wrap(words).split(separator: "\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 80 })
        #expect(lines.allSatisfy { !$0.hasPrefix(".") && !$0.hasPrefix("'") })
        #expect(lines.joined(separator: " ").replacing("\\&", with: "") == words)
        let long = String(repeating: "x", count: 100)
        #expect(ManPageOptions.wrap(long) == long, "a word longer than the width stays whole")
        #expect(ManPageOptions.wrap("a " + long) == "a\n" + long)
    }
}
