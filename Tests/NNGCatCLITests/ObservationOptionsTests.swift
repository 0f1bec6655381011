import Testing
@testable import NNGCatCLI

@Suite("pacing and stats options")
struct ObservationOptionsTests {
    static func send(_ words: [String]) throws(UsageError) -> SendSettings {
        try SettingsBuilder.send(try ArgumentParser.parse(["ipc:///tmp/x"] + words, command: .send))
    }

    static func failure(_ words: [String]) -> String? {
        do { _ = try send(words); return nil } catch { return error.message }
    }

    @Test("--stats alone is every second; its value only inline; the next word stays a message")
    func statsValue() throws {
        #expect(try Self.send(["--stats"]).stats == StatsSettings())
        #expect(try Self.send(["--stats=250ms"]).stats?.interval == .milliseconds(250))
        #expect(try Self.send(["--stats", "2s"]).source == .messages([Array("2s".utf8)]))
        #expect(try Self.send(["--stats-format", "json"]).stats == StatsSettings(format: .json))
        #expect(try Self.send([]).stats == nil)
    }

    @Test("pacing choices and their conflicts", arguments: [
        (["--rate", "5", "--interval", "1"], "choose one way to pace: --rate and --interval both given"),
        (["--pace", "recorded"], "--pace recorded needs --input json (records with a time field, as 'listen --format json' writes)"),
        (["--pace", "live", "--input", "json"], "unknown pace 'live' for --pace (known: recorded)"),
        (["--speed", "2"], "--speed works only with --pace recorded"),
        (["--input", "json", "--pace", "recorded", "--speed", "0"], "invalid speed '0' for --speed: expected a number above 0, e.g. 2 or 0.5"),
        (["--stats=1us"], "--stats must be at least 10ms, not 1us"),
        (["--stats-format", "csv"], "unknown stats format 'csv' for --stats-format (known: text, json)"),
    ])
    func conflicts(words: [String], message: String) {
        #expect(Self.failure(words) == message)
    }

    @Test("--pace recorded --speed and --rate settings")
    func pacing() throws {
        #expect(try Self.send(["--input", "json", "--pace", "recorded", "--speed", "0.5"]).pacing == .recorded(speed: 0.5))
        #expect(try Self.send(["--rate", "30/m"]).pacing == .rate(Rate(perSecond: 0.5)))
        #expect(try Self.send(["-i", "1", "--interval", "2"]).pacing == .interval(.seconds(2)))
        #expect(try Self.send(["--duration", "3s"]).duration == .seconds(3))
        #expect(try Self.send(["--progress", "--no-progress"]).progress == .off)
    }
}
