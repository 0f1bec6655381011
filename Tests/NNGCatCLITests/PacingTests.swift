import Testing
@testable import NNGCatCLI

/// A clock that only moves when told: sleeping jumps to the deadline, plus
/// whatever lateness the test injects.
final class FakeClock: PacingClock {
    var current: Duration = .seconds(100)
    var lateness: Duration = .zero
    var sleeps: [Duration] = []
    var now: Duration { current }
    func sleep(until deadline: Duration) {
        sleeps.append(deadline - current)
        if deadline > current { current = deadline + lateness }
    }
}

@Suite("pacing")
struct PacingTests {
    static func rateFailure(_ text: String) -> String? {
        do { _ = try Rate.parse(text, option: "--rate"); return nil } catch { return error.message }
    }

    @Test("rates: per second by default, or /s, /m, /h", arguments: [
        ("200", 200.0), ("200/s", 200), ("30/m", 0.5), ("3600/h", 1), ("0.5/s", 0.5), ("1.5", 1.5),
    ])
    func rates(text: String, perSecond: Double) throws {
        #expect(try Rate.parse(text, option: "--rate").perSecond == perSecond)
    }

    @Test("a rate's period is 1/rate") func period() throws {
        #expect(try Rate.parse("200/s", option: "--rate").period == .milliseconds(5))
        #expect(try Rate.parse("60/m", option: "--rate").period == .seconds(1))
    }

    @Test("malformed rates are refused with examples", arguments: ["", "/s", "x", "10/d", "-5", "1e3", ".5", "10 /s", "inf"])
    func badRates(text: String) {
        #expect(Self.rateFailure(text) == "invalid rate '\(text)' for --rate (examples: 100, 200/s, 30/m, 1000/h)")
    }

    @Test("zero and absurd rates are out of range", arguments: ["0", "0/s", "2000000000"])
    func outOfRange(text: String) {
        #expect(Self.rateFailure(text)?.hasPrefix("rate '\(text)' for --rate is out of range") == true)
    }

    @Test("the scheduler keeps absolute due times: late wake-ups do not drift")
    func noDrift() {
        var scheduler = PaceScheduler(tolerance: .milliseconds(5))
        let period = Duration.milliseconds(5)
        var now = Duration.seconds(10)
        #expect(scheduler.delay(offset: .zero, now: now) == .zero)
        for k in 1...1000 {
            let wait = scheduler.delay(offset: period * k, now: now)
            // Each wake-up is 1 ms late; the next wait shrinks to make up for it.
            now += wait + .milliseconds(1)
        }
        // The 1000th message went at 10 s + 5 s (+ its own 1 ms lateness), not 10 s + 6 s.
        #expect(now == .seconds(15) + .milliseconds(1))
        #expect(scheduler.reanchors == 0)
    }

    @Test("after a stall the scheduler re-anchors instead of bursting")
    func stall() {
        var scheduler = PaceScheduler(tolerance: .milliseconds(5))
        let period = Duration.milliseconds(5)
        let start = Duration.seconds(1)
        #expect(scheduler.delay(offset: .zero, now: start) == .zero)
        #expect(scheduler.delay(offset: period, now: start) == period)
        // Message 2 is reached 100 ms late: sent at once, and the schedule moves.
        let late = start + .milliseconds(110)
        #expect(scheduler.delay(offset: period * 2, now: late) == .zero)
        #expect(scheduler.reanchors == 1)
        // Message 3 is one period after message 2, not due already.
        #expect(scheduler.delay(offset: period * 3, now: late) == period)
    }

    @Test("lateness within the tolerance keeps the schedule")
    func smallLateness() {
        var scheduler = PaceScheduler(tolerance: .milliseconds(5))
        _ = scheduler.delay(offset: .zero, now: .seconds(1))
        #expect(scheduler.delay(offset: .milliseconds(5), now: .seconds(1) + .milliseconds(8)) == .zero)
        #expect(scheduler.delay(offset: .milliseconds(10), now: .seconds(1) + .milliseconds(8)) == .milliseconds(2))
        #expect(scheduler.reanchors == 0)
    }

    @Test("a Pacer at --rate sleeps to start + k/rate on an injected clock")
    func pacerRate() throws {
        let clock = FakeClock()
        let pacer = Pacer(.rate(try Rate.parse("100/s", option: "--rate")), duration: nil, clock: clock)
        let start = clock.now
        for _ in 0..<101 { #expect(pacer.beforeMessage(UnsafeRawBufferPointer(start: nil, count: 0)) == .send) }
        #expect(clock.now - start == .seconds(1))
    }

    @Test("--pace recorded follows the time fields, scaled by --speed, first at once")
    func pacerRecorded() {
        let clock = FakeClock()
        let pacer = Pacer(.recorded(speed: 2), duration: nil, clock: clock)
        let start = clock.now
        let records = ["{\"data\":\"a\",\"time\":\"2026-01-01T00:00:00.000Z\"}",
                       "{\"data\":\"b\",\"time\":\"2026-01-01T00:00:01.000Z\"}",
                       "{\"data\":\"c\",\"time\":\"2026-01-01T00:00:01.500Z\"}"]
        var times: [Duration] = []
        for record in records {
            let verdict = Array(record.utf8).withUnsafeBytes { pacer.beforeMessage($0) }
            #expect(verdict == .send)
            times.append(clock.now - start)
        }
        #expect(times == [.zero, .milliseconds(500), .milliseconds(750)])
        let missing = Array("{\"data\":\"d\"}".utf8).withUnsafeBytes { pacer.beforeMessage($0) }
        #expect(missing == .missingTime)
    }

    @Test("--duration stops the run, and no sleep goes past its end")
    func pacerDuration() {
        let clock = FakeClock()
        let pacer = Pacer(.interval(.seconds(1)), duration: .milliseconds(2500), clock: clock)
        var sent = 0
        while pacer.beforeMessage(UnsafeRawBufferPointer(start: nil, count: 0)) == .send { sent += 1 }
        #expect(sent == 3)  // at 0, 1 and 2 s; the wait for 3 s ends at 2.5 s
        #expect(clock.sleeps.last == .milliseconds(500))
    }

    @Test("record times: the top-level time field, RFC 3339", arguments: [
        ("{\"data\":\"x\",\"time\":\"1970-01-01T00:00:01.250Z\"}", Int64(1_250_000_000)),
        ("{ \"time\" : \"1970-01-01T00:00:01Z\", \"data\":\"x\"}", 1_000_000_000),
        ("{\"time\":\"1970-01-01T01:00:00.5+01:00\"}", 500_000_000),
        ("{\"data\":\"\\\"time\\\":\\\"1970\",\"time\":\"1970-01-01T00:00:02.000Z\"}", 2_000_000_000),
    ])
    func recordTimes(record: String, nanoseconds: Int64) {
        #expect(Array(record.utf8).withUnsafeBytes { RecordTime.nanoseconds(in: $0) } == nanoseconds)
    }

    @Test("no usable time: missing, nested, malformed", arguments: [
        "{\"data\":\"x\"}",
        "{\"meta\":{\"time\":\"1970-01-01T00:00:01Z\"},\"data\":\"x\"}",
        "{\"time\":\"yesterday\"}",
        "{\"time\":12}",
        "{\"time\":\"1970-13-01T00:00:01Z\"}",
    ])
    func noRecordTime(record: String) {
        #expect(Array(record.utf8).withUnsafeBytes { RecordTime.nanoseconds(in: $0) } == nil)
    }
}
