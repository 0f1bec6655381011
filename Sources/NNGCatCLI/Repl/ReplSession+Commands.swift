import NNGCore
import Glibc

/// What a line does. Handlers throw `ReplError` and `execute` prints it, so a
/// failed command costs one line of stderr and the session goes on.
extension ReplSession {
    /// One line typed or read: a message, or a dot-command.
    func execute(_ line: String) {
        do throws(ReplError) {
            if line.hasPrefix(".") {
                try command(line)
            } else if !line.isEmpty {
                try send(Array(line.utf8))
            }
        } catch {
            console.error(error.message)
        }
    }

    private func command(_ line: String) throws(ReplError) {
        let name = String(line.prefix { $0 != " " && $0 != "\t" })
        var argument = Substring(line.dropFirst(name.count))
        if let first = argument.first, first == " " || first == "\t" { argument = argument.dropFirst() }
        let rawArgument = String(argument)  // .send, .sub keep their spaces
        let trimmed = rawArgument.trimmingSpaces
        guard let spec = ReplCommands.named(name), name.count > 1 else {
            throw ReplError("unknown command '\(name)'\(ReplCommands.suggestion(for: name)); type .help for the list, or .send TEXT to send a line that starts with a dot")
        }
        switch spec.key {
        case .dial, .listen:
            guard !trimmed.isEmpty else { throw ReplError("\(spec.name) needs a URL, e.g. \(spec.name) tcp://127.0.0.1:5555") }
            try addEndpoint(trimmed, listen: spec.key == .listen)
        case .close: try closeEndpoint(trimmed)
        case .proto:
            guard !trimmed.isEmpty else { throw ReplError(".proto needs a protocol: \(ValueParsers.protocolNames.joined(separator: ", "))") }
            try switchProtocol(to: trimmed)
        case .sub: try subscribe(Array(rawArgument.utf8))
        case .unsub: try unsubscribe(Array(rawArgument.utf8))
        case .format:
            guard !trimmed.isEmpty else {
                console.output("format: \(settings.format.rawValue)\n")
                return
            }
            guard let format = OutputFormat(rawValue: trimmed) else {
                throw ReplError("unknown format '\(trimmed)' (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            settings.format = format
        case .send: try send(Array(rawArgument.utf8))
        case .hex:
            let decoded = Array(trimmed.utf8).withUnsafeBytes { raw in
                Result { () throws(DecodeError) in try RecordDecoders.hex(raw) }
            }
            switch decoded {
            case .success(let bytes): try send(bytes)
            case .failure(let error): throw ReplError(error.message)
            }
        case .file: try send(try Self.readFile(trimmed))
        case .set: try setOption(trimmed)
        case .timeout: try setTimeout(trimmed)
        case .status: console.output(statusText)
        case .help:
            guard let text = ReplCommands.helpText(for: trimmed) else {
                throw ReplError("no command '\(trimmed)'\(ReplCommands.suggestion(for: trimmed.hasPrefix(".") ? trimmed : "." + trimmed))")
            }
            console.output(text)
        case .quit: requestQuit()
        }
    }

    private func subscribe(_ topic: [UInt8]) throws(ReplError) {
        guard let socket, socket.socketProtocol == .sub0 else { throw ReplError(".sub works only with sub; use .proto sub") }
        do throws(NNGError) {
            if everything && !topic.isEmpty {
                try socket.unsubscribe(from: [])
                everything = false
            }
            if topic.isEmpty {
                if !everything { try socket.subscribe(to: []) }
                everything = true
            } else if !topics.contains(topic) {
                try socket.subscribe(to: topic)
                topics.append(topic)
            }
        } catch {
            throw ReplError(error)
        }
        console.note(topic.isEmpty ? "subscribed to everything" : "subscribed to '\(String(decoding: topic, as: UTF8.self))'")
    }

    private func unsubscribe(_ topic: [UInt8]) throws(ReplError) {
        guard let socket, socket.socketProtocol == .sub0 else { throw ReplError(".unsub works only with sub") }
        let shown = topic.isEmpty ? "everything" : "'\(String(decoding: topic, as: UTF8.self))'"
        guard (topic.isEmpty && everything) || topics.contains(topic) else { throw ReplError("not subscribed to \(shown)") }
        do throws(NNGError) {
            if topic.isEmpty && everything {
                try socket.unsubscribe(from: [])
                everything = false
            } else if let index = topics.firstIndex(of: topic) {
                try socket.unsubscribe(from: topic)
                topics.remove(at: index)
            }
        } catch {
            throw ReplError(error)
        }
        console.note("unsubscribed from \(shown)")
    }

    private func setOption(_ argument: String) throws(ReplError) {
        let parts = argument.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, let socket else {
            throw ReplError(".set needs OPTION VALUE (options: \(ReplOptions.names.joined(separator: ", ")))")
        }
        let name = String(parts[0])
        let value: String
        do { value = try ReplOptions.normalize(parts[1].trimmingSpaces, for: name) } catch { throw ReplError(error) }
        if name == "send-timeout" || name == "recv-timeout" {
            throw ReplError("use .timeout DUR: every send and reply wait here has its own timeout")
        }
        do { try socket.setOption(named: name, to: value) } catch { throw ReplError(error) }
        settings.socketOptions.removeAll { $0.name == name }
        settings.socketOptions.append((name, value))
        console.note("\(name) = \(value)")
    }

    private func setTimeout(_ argument: String) throws(ReplError) {
        if argument.isEmpty {
            console.output("timeout: send \(DurationText.format(sendTimeout)), reply \(DurationText.format(replyTimeout))\n")
            return
        }
        let value: Duration?
        if ["off", "none", "infinite", "forever"].contains(argument) {
            value = nil
        } else {
            do { value = try ValueParsers.duration(argument, option: ".timeout") } catch { throw ReplError(error) }
        }
        sendTimeout = value
        replyTimeout = value
        console.note("timeout: \(DurationText.format(value))")
    }

    static func readFile(_ text: String) throws(ReplError) -> [UInt8] {
        guard !text.isEmpty else { throw ReplError(".file needs a PATH") }
        var path = text
        if path.hasPrefix("~/"), let home = getenv("HOME") { path = String(cString: home) + path.dropFirst() }
        if path == "-" { path = "./-" }  // stdin holds the session itself, not a message
        do { return try WholeFile.read(path) } catch { throw ReplError("cannot read \(text): \(error.reason)") }
    }
}

fileprivate extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
