import Testing
@testable import NNGCatCLI

/// The completion scripts: what is committed in completions/ is what the
/// option tables generate now, and every option of every table is in them.
@Suite("completion scripts")
struct CompletionScriptsTests {
    static let committed: [(CompletionScripts.Shell, String)] = [
        (.bash, "completions/nngcat.bash"), (.zsh, "completions/_nngcat"), (.fish, "completions/nngcat.fish"),
    ]

    @Test("the committed script is what the tables generate (else run scripts/regenerate-docs)", arguments: committed)
    func golden(shell: CompletionScripts.Shell, path: String) {
        let generated = CompletionScripts.script(for: shell)
        let file = committedFile(path)
        guard generated != file else { return }
        // Name the first differing line rather than dumping two scripts.
        let new = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let old = file.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(new.count, old.count)).first { new[$0] != old[$0] } ?? min(new.count, old.count)
        Issue.record("""
            \(path) is out of date: run scripts/regenerate-docs. First difference at line \(line + 1):
              committed: \(line < old.count ? String(old[line]) : "(end of file)")
              generated: \(line < new.count ? String(new[line]) : "(end of file)")
            """)
    }

    static let tableNames = CompletionScripts.tables.map(\.name)

    static func table(_ name: String) -> [OptionSpec] {
        CompletionScripts.tables.first { $0.name == name }?.options ?? []
    }

    @Test("bash offers every spelling of every option", arguments: tableNames)
    func bashCoversTable(name: String) {
        let options = Self.table(name)
        #expect(!options.isEmpty)
        let function = CompletionScripts.bashFunction(name: name, options: options)
        let offered = function.split(separator: "\n").first { $0.contains("compgen -W '-") }
        let words = Set((offered ?? "").split(separator: "'").dropFirst().first?.split(separator: " ").map(String.init) ?? [])
        for spec in options {
            for spelling in CompletionScripts.spellings(spec, in: options) {
                #expect(words.contains(spelling), "\(name): \(spelling)")
            }
        }
    }

    @Test("zsh and fish name every option of every table", arguments: tableNames)
    func zshAndFishCoverTable(name: String) {
        let options = Self.table(name)
        let zsh = CompletionScripts.zshSpecs(options).joined(separator: "\n")
        let fishLines = CompletionScripts.fish().split(separator: "\n")
            .filter { $0.hasPrefix("complete -c nngcat -n '__nngcat_mode_is \(name)'") }
            .map { $0.split(separator: " ").map(String.init) }
        for spec in options {
            for long in CompletionScripts.longNames(spec, in: options) {
                #expect(zsh.contains("'\(spec.takesValue ? "*" : "")--\(long)\(spec.takesValue ? "=" : "")["), "zsh \(name): --\(long)")
                #expect(fishLines.contains { words in zip(words, words.dropFirst()).contains { $0 == ("-l", long) } },
                        "fish \(name): --\(long)")
            }
            if let short = spec.short {
                #expect(zsh.contains("'\(spec.takesValue ? "*" : "")-\(short)\(spec.takesValue ? "+" : "")["), "zsh \(name): -\(short)")
                #expect(fishLines.contains { words in zip(words, words.dropFirst()).contains { $0 == ("-s", String(short)) } },
                        "fish \(name): -\(short)")
            }
        }
    }

    @Test("the legacy table also completes the version-less protocol names the C parser accepts as prefixes")
    func legacyProtocolAliases() {
        let table = LegacyOptionTable.options
        let names = table.flatMap { CompletionScripts.longNames($0, in: table) }
        for name in ["req", "rep", "pub", "push", "pull", "surveyor", "respondent", "bus"] {
            #expect(names.contains(name), "--\(name)")
        }
        // Already a name of its own: not doubled.
        #expect(names.filter { $0 == "sub" }.count == 1)
        // pair0's prefix "pair" is a name of its own too.
        #expect(names.filter { $0 == "pair" }.count == 1)
    }

    @Test("what is offered after an option that takes a value")
    func valueCompletions() {
        func spec(_ long: String, _ command: Command) -> OptionSpec {
            OptionTable.options(for: command).first { $0.long == long }!
        }
        #expect(CompletionScripts.completion(for: spec("protocol", .send)) == .words(ValueParsers.protocolNames))
        #expect(CompletionScripts.completion(for: spec("format", .listen)) == .words(OutputFormat.allCases.map(\.rawValue)))
        #expect(CompletionScripts.completion(for: spec("input", .send)) == .words(["raw", "hex", "base64", "quoted", "json"]))
        #expect(CompletionScripts.completion(for: spec("role", .bench)) == .words(["sender", "receiver"]))
        #expect(CompletionScripts.completion(for: spec("file", .send)) == .files)
        #expect(CompletionScripts.completion(for: spec("dial", .send)) == .urls)
        #expect(CompletionScripts.completion(for: spec("count", .send)) == .nothing)
        let legacyFormat = LegacyOptionTable.options.first { $0.long == "format" }!
        #expect(CompletionScripts.completion(for: legacyFormat) == .words(["no", "ascii", "quoted", "raw", "hex", "msgpack"]))
    }

    @Test("quoting for the shells")
    func quoting() {
        #expect(CompletionScripts.shellWord("it's") == #"'it'\''s'"#)
        #expect(CompletionScripts.fishWord(#"a\b'c"#) == #"'a\\b\'c'"#)
        #expect(CompletionScripts.zshDescription("a [b]: c\\d 'e'") == #"a \[b\]\: c\\d '\''e'\''"#)
    }
}
