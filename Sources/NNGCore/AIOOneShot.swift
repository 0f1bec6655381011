/// What a one-shot operation runs on: a socket, or one of its contexts.
enum AIOTarget {
    case socket(Socket)
    case context(Context)
}

extension AIO {
    /// One send on a fresh aio, awaited; the message comes back on failure.
    /// The control-flow level behind `Socket.trySend` and `Context.send`.
    static func sendOnce(_ message: consuming Message, on target: AIOTarget, timeout: Timeout) async -> SendOutcome {
        let aio: AIO
        do { aio = try AIO() } catch { return .failed(error, message) }
        defer { aio.close() }
        switch target {
        case .socket(let socket): aio.startSend(message, on: socket, timeout: timeout)
        case .context(let context): aio.startSend(message, on: context, timeout: timeout)
        }
        await aio.completion()
        do {
            try aio.result()
            return .sent
        } catch {
            guard let unsent = aio.takeMessage() else { return .sent }
            return .failed(NNGError(error.code, operation: "send"), unsent)
        }
    }

    /// One receive on a fresh aio, awaited.
    /// The control-flow level behind `Socket.receive` and `Context.receive`.
    static func receiveOnce(on target: AIOTarget, timeout: Timeout) async throws(NNGError) -> Message {
        let aio = try AIO()
        defer { aio.close() }
        switch target {
        case .socket(let socket): aio.startReceive(on: socket, timeout: timeout)
        case .context(let context): aio.startReceive(on: context, timeout: timeout)
        }
        await aio.completion()
        do { try aio.result() } catch { throw NNGError(error.code, operation: "receive") }
        guard let message = aio.takeMessage() else { throw NNGError(.incorrectState, operation: "receive") }
        return message
    }
}
