import Testing
@testable import NNGCatCLI

/// The port of `nng_opts_parse` behind the legacy syntax. Every expectation
/// marked "C" was checked against /usr/bin/nngcat 1.5.2 (its stderr text).
@Suite("legacy scanner")
struct LegacyScannerTests {
    /// Each option as `long` or `long=value` (the table's long name, so a
    /// prefix shows which option it matched), or the first error's text.
    enum Scan: Equatable, CustomStringConvertible {
        case options([String])
        case failure(String)

        var description: String {
            switch self {
            case .options(let words): "options \(words)"
            case .failure(let message): "failure \"\(message)\""
            }
        }
    }

    static func scan(_ words: [String]) -> Scan {
        var scanner = LegacyScanner(words)
        var found: [String] = []
        do {
            while let (spec, value) = try scanner.next() {
                found.append(spec.long + (value.map { "=" + $0 } ?? ""))
            }
        } catch {
            return .failure(error.message ?? "(quiet exit \(error.status))")
        }
        return .options(found)
    }

    @Test("a unique prefix of a long name selects that option", arguments: [
        (["--req"], ["req0"]),
        (["--surv"], ["surveyor0"]),
        (["--resp"], ["respondent0"]),
        (["--subs", "news"], ["subscribe=news"]),
        (["--recv-m", "5"], ["recv-maxsz=5"]),
        (["--recv-t", "5"], ["recv-timeout=5"]),
        (["--rece", "5"], ["receive-timeout=5"]),   // ours, not the C tool's: NNG's manual spells it so
        (["--ins"], ["insecure"]),
        (["--z", "/x"], ["zt-home=/x"]),
        (["--bu"], ["bus0"]),
    ])
    func uniquePrefix(words: [String], expected: [String]) {
        #expect(Self.scan(words) == .options(expected))
    }

    @Test("an exact name wins over the longer names it is a prefix of", arguments: [
        (["--sub"], ["sub"]),                    // also a prefix of sub0 and subscribe
        (["--pair"], ["pair"]),                  // pair0, pair1
        (["--bind", "u"], ["bind=u"]),           // bind-local, bind-ipc
        (["--connect", "u"], ["connect=u"]),     // connect-local, connect-ipc
    ])
    func exactBeatsPrefix(words: [String], expected: [String]) {
        #expect(Self.scan(words) == .options(expected))
    }

    @Test("a prefix of several names is ambiguous (C: same text)", arguments: [
        "--re", "--p", "--pu", "--con", "--bin", "--ve", "--s", "--recv",
    ])
    func ambiguous(word: String) {
        #expect(Self.scan([word]) == .failure("Option \(word) is ambiguous (specify in full)."))
    }

    @Test("the whole word, value included, is quoted in the ambiguity error (C: --ve:1)")
    func ambiguousWithValue() {
        #expect(Self.scan(["--ve:1"]) == .failure("Option --ve:1 is ambiguous (specify in full)."))
        #expect(Self.scan(["--re=x"]) == .failure("Option --re=x is ambiguous (specify in full)."))
    }

    @Test("'--' is a long option with an empty name, so it matches everything (C: ambiguous)")
    func doubleDash() {
        #expect(Self.scan(["--"]) == .failure("Option -- is ambiguous (specify in full)."))
    }

    @Test("a value after '=', after ':' or as the next word", arguments: [
        (["--dial=tcp://h:1"], ["dial=tcp://h:1"]),
        (["--dial:tcp://h:1"], ["dial=tcp://h:1"]),
        (["--dial", "tcp://h:1"], ["dial=tcp://h:1"]),
        (["--dat=a=b"], ["data=a=b"]),           // only the first separator splits
        (["--data:a:b"], ["data=a:b"]),
        (["--data=:x"], ["data=:x"]),
        (["--data:=x"], ["data==x"]),
        (["--form:no"], ["format=no"]),
        (["--dial="], ["dial="]),                // an empty value (C: "Unable to create dialer for : ...")
        (["--data", "-x"], ["data=-x"]),         // the next word is taken even if it looks like an option
        (["--data", "--pull0"], ["data=--pull0"]),
    ])
    func longValues(words: [String], expected: [String]) {
        #expect(Self.scan(words) == .options(expected))
    }

    @Test("short options: -x, -xVALUE and -x VALUE", arguments: [
        (["-v"], ["verbose"]),
        (["-q"], ["silent"]),
        (["-Dhello"], ["data=hello"]),
        (["-D", "hello"], ["data=hello"]),
        (["-D=x"], ["data==x"]),                 // C: '=' is part of a short option's value
        (["-C5"], ["count=5"]),
        (["-L", "4000", "-x", "/p"], ["bind-local=4000", "connect-ipc=/p"]),
        (["-D", "-v"], ["data=-v"]),
    ])
    func shortOptions(words: [String], expected: [String]) {
        #expect(Self.scan(words) == .options(expected))
    }

    @Test("short options do not cluster, and unknown ones are invalid (C: same text)", arguments: [
        "-vq", "-y", "-é", "-V1", "-hv",
    ])
    func invalidShort(word: String) {
        #expect(Self.scan([word]) == .failure("Option \(word) is invalid."))
    }

    @Test("unknown long names, wrong case and values given to flags are invalid (C: same text)", arguments: [
        "--bogus", "--VERBOSE", "--verbose=1", "--verbose=", "--verbose:", "--req0=x", "--reqq", "--pair-",
    ])
    func invalidLong(word: String) {
        #expect(Self.scan([word]) == .failure("Option \(word) is invalid."))
    }

    @Test("an option that needs a value and is last says so, under the spelling used (C: same text)", arguments: [
        "--dial", "--dia", "-D", "--count", "-F", "--subscribe",
    ])
    func missingValue(word: String) {
        #expect(Self.scan(["--pull0", word]) == .failure("Option \(word) requires argument."))
    }

    @Test("a word that is not an option is refused (the C tool silently ignores it and the rest)")
    func nonOption() {
        #expect(Self.scan(["--pull0", "tcp://h:1"]) == .failure("Unexpected argument 'tcp://h:1': every argument must be an option."))
        #expect(Self.scan(["-"]) == .failure("Unexpected argument '-': every argument must be an option."))
        #expect(Self.scan([""]) == .failure("Unexpected argument '': every argument must be an option."))
    }

    @Test("options come out one at a time, in order, so the first bad one stops the scan where it stands")
    func stepwise() throws {
        var scanner = LegacyScanner(["--pull0", "-v", "--bogus", "--dial", "x"])
        #expect(try scanner.next()?.spec.long == "pull0")
        #expect(try scanner.next()?.spec.long == "verbose")
        #expect(throws: LegacyExit.self) { try scanner.next() }
        #expect(Self.scan([]) == .options([]))
    }

    @Test("every protocol's version-less name is a unique prefix, as the C help promises")
    func versionlessProtocolNames() {
        for name in ["req", "rep", "pub", "push", "pull", "surveyor", "respondent", "bus"] {
            #expect(Self.scan(["--" + name]) == .options([name + "0"]), "--\(name)")
        }
    }
}
