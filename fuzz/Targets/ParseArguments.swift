// The subcommands' parser and settings: ArgumentParser.parse for every
// command, then SettingsBuilder.send/listen (every value parser, every
// cross-check), and the value parsers on each word directly.
// Input: the first byte picks the command, the rest is argv split at NULs.
// Only UsageError may come out; anything else (a trap) is a finding.

import NNGCore

@_cdecl("nngcat_fuzz_ParseArguments")
func fuzzParseArguments(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzInput(data, size)
    guard let selector = input.first else { return 0 }
    let words = fuzzWords(UnsafeRawBufferPointer(rebasing: input.dropFirst()))
    let commands: [Command] = [.send, .listen, .repl, .bench]
    let command = commands[Int(selector) % commands.count]
    if let parsed = try? ArgumentParser.parse(words, command: command) {
        switch command {
        case .send: _ = try? SettingsBuilder.send(parsed)
        case .listen: _ = try? SettingsBuilder.listen(parsed)
        default: break
        }
    }
    if selector & 0x80 != 0 {
        for word in words {
            _ = try? ValueParsers.duration(word, option: "--x")
            _ = try? ValueParsers.size(word, option: "--x")
            _ = try? ValueParsers.integer(word, option: "--x", minimum: Int(selector & 3))
            _ = try? ValueParsers.url(word, option: "--x")
            _ = ValueParsers.socketProtocol(word)
            _ = Endpoint.scheme(of: word)
        }
    }
    return 0
}
