import NNGCore
import Testing

/// Cancelling the task that awaits an operation cancels the operation's aio.
@Suite("Task cancellation", .timeLimit(.minutes(1)))
struct CancellationTests {
    @Test("cancelling a task waiting in receive ends it with .canceled")
    func cancelReceive() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let waiting = Task { () -> NNGError.Code? in
            do throws(NNGError) {
                _ = try await pull.receive(timeout: patience)
                return nil
            } catch {
                return error.code
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        waiting.cancel()
        #expect(await waiting.value == .canceled)
        #expect(seconds(since: start) < 2)
    }

    @Test("a task cancelled before it starts receiving still ends with .canceled, not a hang")
    func cancelBeforeSubmit() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let start = ContinuousClock.now
        let waiting = Task { () -> NNGError.Code? in
            // Wait until cancelled, so the cancellation comes before the aio is submitted.
            while !Task.isCancelled { await Task.yield() }
            do throws(NNGError) {
                _ = try await pull.receive(timeout: patience)
                return nil
            } catch {
                return error.code
            }
        }
        waiting.cancel()
        #expect(await waiting.value == .canceled)
        #expect(seconds(since: start) < 2)
    }

    @Test("cancelling a pending send hands the message back with .canceled")
    func cancelSend() async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let body = pattern(300, seed: 11)
        let sending = Task { () -> (NNGError.Code?, String?) in
            let outcome = await push.trySend(try! Message(body), timeout: patience)
            switch consume outcome {
            case .sent: return (nil, nil)
            case .failed(let error, let message): return (error.code, mismatch(message, body))
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        sending.cancel()
        let (code, problem) = await sending.value
        #expect(code == .canceled)
        #expect(problem == nil)
    }

    @Test("cancelling a context receive ends it with .canceled")
    func cancelContextReceive() async throws {
        let rep = try Socket(.rep0)
        defer { rep.close() }
        let context = try Context(on: rep)
        defer { context.close() }
        let waiting = Task { () -> NNGError.Code? in
            do throws(NNGError) {
                _ = try await context.receive(timeout: patience)
                return nil
            } catch {
                return error.code
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == .canceled)
    }

    @Test("AIO.cancel() ends a receive with .canceled")
    func cancelAIODirectly() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let aio = try AIO()
        defer { aio.close() }
        aio.startReceive(on: pull, timeout: patience)
        #expect(!aio.isDone)
        aio.cancel()
        await aio.completion()
        #expect(aio.isDone)
        #expect(throws: NNGError(.canceled, operation: "aio")) { try aio.result() }
    }

    @Test("closing the socket ends a pending receive with .closed")
    func closeEndsReceive() async throws {
        let pull = try Socket(.pull0)
        let waiting = Task { () -> NNGError.Code? in
            do throws(NNGError) {
                _ = try await pull.receive(timeout: patience)
                return nil
            } catch {
                return error.code
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        pull.close()
        #expect(await waiting.value == .closed)
        #expect(pull.isClosed)
    }
}
