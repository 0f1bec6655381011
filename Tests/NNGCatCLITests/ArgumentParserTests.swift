import Testing
@testable import NNGCatCLI

@Suite("argument parser")
struct ArgumentParserTests {
    @Test("long options take values separately or after =")
    func longValues() throws {
        let parsed = try ArgumentParser.parse(["--data", "a", "--data=b", "tcp://x:1"], command: .send)
        #expect(parsed.all(.data).map(\.value) == ["a", "b"])
        #expect(parsed.positionals == ["tcp://x:1"])
    }

    @Test("short options attach, separate and cluster")
    func shortOptions() throws {
        let parsed = try ArgumentParser.parse(["-Dhello", "-C", "3", "-v0"], command: .send)
        #expect(parsed.last(.data)?.value == "hello")
        #expect(parsed.last(.count)?.value == "3")
        #expect(parsed.has(.verbose) && parsed.has(.null))
    }

    @Test("-- ends options")
    func doubleDash() throws {
        let parsed = try ArgumentParser.parse(["tcp://x:1", "--", "--not-an-option"], command: .send)
        #expect(parsed.positionals == ["tcp://x:1", "--not-an-option"])
    }

    @Test("a misspelt option gets a suggestion, even from another command")
    func suggestion() {
        #expect(throws: UsageError("unknown option '--subscibe' (did you mean '--subscribe'?)")) {
            try ArgumentParser.parse(["--subscibe", "x"], command: .send)
        }
        #expect(throws: UsageError("unknown option '--zzzzzzzzzz'")) {
            try ArgumentParser.parse(["--zzzzzzzzzz"], command: .listen)
        }
    }

    @Test("an option of another command names its owners")
    func wrongCommand() {
        #expect(throws: UsageError("option '--echo' is not valid with 'send' (it belongs to: listen)")) {
            try ArgumentParser.parse(["--echo"], command: .send)
        }
    }

    @Test("a missing value is reported with the value's name")
    func missingValue() {
        #expect(throws: UsageError("option '--count' needs a value (N)")) {
            try ArgumentParser.parse(["--count"], command: .send)
        }
    }

    @Test("edit distance")
    func distance() {
        #expect(ArgumentParser.editDistance("kitten", "sitting") == 3)
        #expect(ArgumentParser.editDistance("", "abc") == 3)
        #expect(ArgumentParser.editDistance("same", "same") == 0)
    }

    @Test("every option name is unique within a command")
    func uniqueNames() {
        for command in Command.allCases {
            let names = OptionTable.options(for: command).flatMap(\.allLongNames)
            #expect(Set(names).count == names.count, "duplicate long name in \(command)")
            let shorts = OptionTable.options(for: command).compactMap(\.short)
            #expect(Set(shorts).count == shorts.count, "duplicate short name in \(command)")
        }
    }
}
