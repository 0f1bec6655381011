import Testing
@testable import NNGCatCLI

/// What the subcommands' parser says about a word it cannot take
/// (ArgumentParserTests covers the basic cases).
@Suite("argument suggestions")
struct SuggestionTests {
    static func failure(_ words: [String], _ command: Command) -> String? {
        do {
            _ = try ArgumentParser.parse(words, command: command)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("a misspelt long option gets the nearest known spelling", arguments: [
        (["--verbos"], Command.send, "unknown option '--verbos' (did you mean '--verbose'?)"),
        (["--verbo"], .send, "unknown option '--verbo' (did you mean '--verbose'?)"),  // no prefix matching here
        (["--verb"], .send, "unknown option '--verb' (did you mean '--cert'?)"),       // 2 edits beat verbose's 3
        (["--formt", "x"], .listen, "unknown option '--formt' (did you mean '--format'?)"),
        (["--pul"], .listen, "unknown option '--pul' (did you mean '--pull'?)"),     // ties go to the first in the table
        (["--lisen", "u"], .bench, "unknown option '--lisen' (did you mean '--listen'?)"),
        (["--inteval=1"], .send, "unknown option '--inteval' (did you mean '--interval'?)"),
        (["--no-hist"], .repl, "unknown option '--no-hist' (did you mean '--no-history'?)"),  // three edits: the limit
        (["--echoo"], .listen, "unknown option '--echoo' (did you mean '--echo'?)"),
        // The suggestion may belong to another command: then using it says so.
        (["--replay", "x"], .send, "unknown option '--replay' (did you mean '--reply'?)"),
    ])
    func nearest(words: [String], command: Command, message: String) {
        #expect(Self.failure(words, command) == message)
    }

    @Test("nothing within three edits, nothing suggested", arguments: [
        (["--VERBOSE"], Command.send),
        (["--zzzzzzzzzz"], .listen),
        (["--bind-local", "1"], .listen),
    ])
    func noSuggestion(words: [String], command: Command) {
        #expect(Self.failure(words, command) == "unknown option '\(words[0])'")
    }

    @Test("an option of another command names every command it belongs to", arguments: [
        ("--reply", Command.repl, "listen"),
        ("--null", .repl, "send, listen"),
        ("--size", .send, "bench"),
        ("--subscribe", .send, "listen, repl"),
        ("--pub0", .listen, "send, repl"),
        ("--no-history", .listen, "repl"),
    ])
    func elsewhere(spelling: String, command: Command, owners: String) {
        #expect(Self.failure([spelling, "x"], command)
                == "option '\(spelling)' is not valid with '\(command.rawValue)' (it belongs to: \(owners))")
    }

    @Test("short options: unknown letters, values given to flags, missing values", arguments: [
        (["-vD"], Command.send, "option '-D' needs a value (TEXT)"),
        (["--verbose=1"], .send, "option '--verbose' takes no value"),
        (["--verbose="], .send, "option '--verbose' takes no value"),
        (["--format"], .listen, "option '--format' needs a value (FORMAT)"),
    ])
    func shortAndValues(words: [String], command: Command, message: String) {
        #expect(Self.failure(words, command) == message)
    }

    /// A letter is compared with the long names ("-y" against "--key": three
    /// edits), so any long name of up to three letters can be offered for it.
    @Test("an unknown short option is not offered an unrelated long one", arguments: [
        (["-y"], Command.send), (["-vy"], .send), (["-e"], .listen),
    ])
    func unknownShort(words: [String], command: Command) {
        #expect(Self.failure(words, command) == "unknown option '-\(words[0].last!)'")
    }

    @Test("an empty value after '=' is a value; '-' is a positional word")
    func emptyValues() throws {
        let parsed = try ArgumentParser.parse(["--data=", "-", "-vDx"], command: .send)
        #expect(parsed.all(.data).map(\.value) == ["", "x"])
        #expect(parsed.positionals == ["-"])
        #expect(parsed.all(.data).map(\.spelling) == ["--data", "-D"])
    }

    @Test("edit distance counts insertions, deletions and substitutions", arguments: [
        ("", "", 0), ("a", "", 1), ("--pul", "--pull", 1), ("--pul", "--pub", 1), ("--verb", "--verbose", 3),
        ("flaw", "lawn", 2), ("--VERBOSE", "--verbose", 7), ("é", "e", 2),   // bytes, not characters
    ])
    func distance(a: String, b: String, expected: Int) {
        #expect(ArgumentParser.editDistance(a, b) == expected)
        #expect(ArgumentParser.editDistance(b, a) == expected)
    }
}
