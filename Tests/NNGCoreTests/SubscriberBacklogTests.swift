@testable import NNGCore
import Testing

/// The arithmetic behind SubscriberPace, fed the counts libnng's statistics give.
@Suite("Subscriber backlog")
struct SubscriberBacklogTests {
    private func submitted(_ sizes: [Int], window: Int = 100, budget: Int = 1_000) -> SubscriberBacklog {
        var backlog = SubscriberBacklog(window: window, byteBudget: budget)
        for size in sizes { backlog.submit(bytes: size) }
        return backlog
    }

    @Test("a pipe that joined at the start lags by what it has not written")
    func lagFromStart() {
        let backlog = submitted(Array(repeating: 10, count: 30))
        let lag = backlog.deepestLag(transmitted: [(pipe: 1, messages: 12)], joinedAt: [1: 0])
        #expect(lag.messages == 18)
        #expect(lag.bytes == 180)
        let room = backlog.room(transmitted: [(pipe: 1, messages: 12)], joinedAt: [1: 0])
        #expect(room.messages == 82)
        #expect(room.bytes == 820)
    }

    @Test("a pipe that joined later owes only what came after it joined")
    func lateJoiner() {
        let backlog = submitted([1, 2, 3, 4, 5, 6])
        // Joined when 4 were accepted: it is given messages 5 and 6 (5 + 6 bytes).
        #expect(backlog.deepestLag(transmitted: [(pipe: 9, messages: 0)], joinedAt: [9: 4]) == (messages: 2, bytes: 11))
        #expect(backlog.deepestLag(transmitted: [(pipe: 9, messages: 1)], joinedAt: [9: 4]) == (messages: 1, bytes: 6))
        #expect(backlog.deepestLag(transmitted: [(pipe: 9, messages: 2)], joinedAt: [9: 4]) == (messages: 0, bytes: 0))
    }

    @Test("the slowest of several pipes sets the room, and unknown pipes are skipped")
    func slowestWins() {
        let backlog = submitted(Array(repeating: 1, count: 50))
        let counts: [(pipe: UInt32, messages: Int)] = [(1, 50), (2, 20), (3, 45), (4, 0)]
        #expect(backlog.deepestLag(transmitted: counts, joinedAt: [1: 0, 2: 0, 3: 0]).messages == 30)
        #expect(backlog.room(transmitted: counts, joinedAt: [1: 0, 2: 0, 3: 0]).messages == 70)
    }

    @Test("no room once a pipe lags by the window, in messages or in bytes")
    func full() {
        let byCount = submitted(Array(repeating: 1, count: 100))
        #expect(byCount.room(transmitted: [(pipe: 1, messages: 0)], joinedAt: [1: 0]) == (messages: 0, bytes: 0))
        #expect(byCount.room(transmitted: [(pipe: 1, messages: 1)], joinedAt: [1: 0]).messages == 1)
        let byBytes = submitted([600, 400])
        #expect(byBytes.room(transmitted: [(pipe: 1, messages: 0)], joinedAt: [1: 0]) == (messages: 0, bytes: 0))
        #expect(byBytes.room(transmitted: [(pipe: 1, messages: 1)], joinedAt: [1: 0]) == (messages: 99, bytes: 600))
    }

    @Test("a message larger than the byte budget still goes when nothing lags")
    func oversizedMessage() {
        let backlog = submitted([5_000])
        #expect(backlog.room(transmitted: [(pipe: 1, messages: 1)], joinedAt: [1: 0]) == (messages: 100, bytes: 1_000))
    }

    @Test("byte totals stay right after the ring has wrapped many times")
    func wrapped() {
        var backlog = SubscriberBacklog(window: 4, byteBudget: 1_000)
        for size in 1...1_000 { backlog.submit(bytes: size) }
        // Messages 998, 999 and 1000 are not written yet.
        #expect(backlog.deepestLag(transmitted: [(pipe: 1, messages: 997)], joinedAt: [1: 0]) == (messages: 3, bytes: 998 + 999 + 1_000))
    }

    @Test("counts from a join recorded a little late never go below zero")
    func overCounted() {
        let backlog = submitted([1, 1, 1])
        #expect(backlog.deepestLag(transmitted: [(pipe: 1, messages: 3)], joinedAt: [1: 2]) == (messages: 0, bytes: 0))
    }
}
